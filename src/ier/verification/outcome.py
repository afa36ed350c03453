"""Turning the identity service's match levels into a result and its reasons.

The identity service says how well each part matched; this is where the service
decides what that means, as the government service turns the DWP match level into
pass or fail. The policy is the two sets below: precision first, so only names that
are the same (or a listed variant of each other) verify without a person looking."""

from dataclasses import dataclass, field
from typing import Any

from ier.registration.models import Status

#: First-name levels that verify on their own (with NINO and date of birth).
GREEN_FIRST_NAME = {"exact", "variant"}
#: Last-name levels that verify on their own.
GREEN_LAST_NAME = {"exact", "part"}


@dataclass(frozen=True)
class Outcome:
    result: str
    # One entry per check: {"check": ..., "outcome": ..., and sometimes "score"}.
    checks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reason_codes(self) -> list[str]:
        return ["%s:%s" % (c["check"], c["outcome"]) for c in self.checks]


def no_nino() -> Outcome:
    return Outcome(Status.NO_NINO, [{"check": "application", "outcome": "no_nino"}])


def decide(answer: dict[str, Any]) -> Outcome:
    """The result for one answer of the identity service's batch endpoint."""
    if answer.get("error"):
        return Outcome(
            Status.NOT_VERIFIED, [{"check": "request", "outcome": "invalid"}]
        )
    checks = [{"check": "nino", "outcome": answer["nino"]}]
    if answer["nino"] != "found":
        return Outcome(Status.NOT_VERIFIED, checks)
    checks.append({"check": "date_of_birth", "outcome": answer["date_of_birth"]})
    name = answer.get("name")
    if answer["date_of_birth"] != "match" or not name:
        return Outcome(Status.NOT_VERIFIED, checks)
    checks.extend(_name_checks(name))
    return Outcome(_name_result(name), checks)


def _name_checks(name: dict[str, Any]) -> list[dict[str, Any]]:
    checks = [
        {
            "check": "first_name",
            "outcome": name["first_name"],
            "score": name.get("first_name_score"),
        },
        {
            "check": "last_name",
            "outcome": name["last_name"],
            "score": name.get("last_name_score"),
        },
        {"check": "middle_names", "outcome": name["middle_names"]},
    ]
    if name.get("matched_on", "current_name") != "current_name":
        checks.append({"check": "name_history", "outcome": name["matched_on"]})
    return checks


def _name_result(name: dict[str, Any]) -> str:
    if name["first_name"] in GREEN_FIRST_NAME and name["last_name"] in GREEN_LAST_NAME:
        return Status.VERIFIED
    if name["first_name"] != "none" or name["last_name"] != "none":
        return Status.PARTIAL
    return Status.NOT_VERIFIED
