"""The sandbox: reserved tokens and references that give every response shape, so an
EMS supplier can build and test a client without any real application.

Nothing here touches the database; every call answers the same way every time."""

from datetime import UTC, date, datetime
from typing import Any

from ier.api.problems import Problem
from ier.registration.models import Status
from ier.registration.references import ALPHABET, is_valid_reference

VALID = "valid"
EXPIRED = "expired"
RATE_LIMITED = "rate_limited"

TOKENS = {
    "ier_sandbox_valid": VALID,
    "ier_sandbox_expired": EXPIRED,
    "ier_sandbox_rate_limited": RATE_LIMITED,
}
SANDBOX_AUTHORITY = "X99999999"


def token_outcome(secret: str) -> str | None:
    return TOKENS.get(secret)


def _reference(body: str) -> str:
    """The body with the one check character that makes it a valid reference."""
    return next(body + ch for ch in ALPHABET if is_valid_reference(body + ch))


# (reference body, status, verification result, nino given, flags)
_CASES = [
    ("SNDBXGRNN", "verified", "green", True, {}),
    ("SNDBXMBRR", "partial", "amber", True, {"possible_duplicate": True}),
    ("SNDBXRDDD", "not_verified", "red", True, {}),
    ("SNDBXNNNN", "no_nino", "no_nino", False, {}),
    ("SNDBXDRKR", "not_verified", "dark_red", True, {"nino_reused": True}),
    ("SNDBXDNNN", "accepted", "green", True, {}),
]
REFERENCES = {_reference(body): status for body, status, *_rest in _CASES}
DETERMINED = _reference("SNDBXDNNN")


def _document(
    body: str, status: str, result: str, has_nino: bool, flags: dict[str, bool]
) -> dict[str, Any]:
    submitted = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    determined = status == "accepted"
    return {
        "reference": _reference(body),
        "status": status,
        "journey": "ordinary",
        "channel": "online",
        "council_reference": "",
        "language": "en",
        "authority": SANDBOX_AUTHORITY,
        "submitted_at": submitted,
        "downloaded_at": submitted if determined else None,
        "determined_at": submitted if determined else None,
        "name": {
            "first_name": "Sandbox",
            "middle_names": "",
            "last_name": result.replace("_", " ").title(),
        },
        "previous_name": None,
        "date_of_birth": date(1980, 1, 1),
        "no_date_of_birth_reason": "",
        "age_range": "",
        "nino": "QQ123456C" if has_nino else "",
        "no_nino_reason": "" if has_nino else "I have never been given one",
        "nationalities": ["GB"],
        "nationality_reason": "",
        "address": {
            "uprn": None,
            "line_1": "1 Example Street",
            "line_2": "",
            "line_3": "",
            "town": "Exampletown",
            "postcode": "ZZ99 9ZZ",
            "typed_by_applicant": False,
        },
        "moved": "no",
        "previous_address": None,
        "other_address": "no",
        "open_register": False,
        "postal_vote": "no-in-person",
        "email": "sandbox@example.invalid",
        "phone": "",
        "details": {},
        "flags": {"possible_duplicate": False, "nino_reused": False, **flags},
        "verification": {
            "result": result,
            "checked_at": submitted,
            "reasons": [] if result == "green" else ["Example reason for %s" % result],
            "checks": [
                {"name": "nino", "outcome": "found" if has_nino else "not_given"}
            ],
        },
    }


def documents(state: str) -> list[dict[str, Any]]:
    docs = [_document(*case) for case in _CASES]
    return [d for d in docs if state == "all" or d["status"] != "accepted"]


def document(reference: str) -> dict[str, Any]:
    for doc in documents("all"):
        if doc["reference"] == reference.strip().upper():
            return doc
    raise Problem(404, "not_found", "There is no application with that reference.")


def acknowledge(references: list[str]) -> dict[str, list[str]]:
    wanted = list(dict.fromkeys(r.strip().upper() for r in references))
    return {
        "acknowledged": [r for r in wanted if r in REFERENCES and r != DETERMINED],
        "already_acknowledged": [r for r in wanted if r == DETERMINED],
        "not_acknowledged": [r for r in wanted if r not in REFERENCES],
    }


def determine(reference: str, outcome: str) -> dict[str, Any]:
    doc = document(reference)
    if doc["reference"] == DETERMINED and outcome != "accepted":
        raise Problem(
            409,
            "conflict",
            "An application that is accepted cannot become %s." % outcome,
            current_status="accepted",
        )
    return {
        "reference": doc["reference"],
        "status": outcome,
        "determined_at": doc["submitted_at"]
        if outcome != "evidence_requested"
        else None,
    }


def counts() -> dict[str, Any]:
    docs = documents("all")
    by_status = dict.fromkeys(Status.values, 0)
    for doc in docs:
        by_status[doc["status"]] = by_status.get(doc["status"], 0) + 1
    return {"by_status": by_status, "new": len(documents("new")), "register_entries": 0}


#: Council references that give the other outcomes of `POST /applications`.
SANDBOX_REFUSED = "SANDBOX-REFUSED"
SANDBOX_AGAIN = "SANDBOX-AGAIN"


def submission(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every line accepted with a made-up reference, except those whose council
    reference is SANDBOX-REFUSED (refused, with an error on `nino`) or
    SANDBOX-AGAIN (already received)."""
    results = []
    for number, record in enumerate(records, start=1):
        council_reference = record["council_reference"]
        outcome = {SANDBOX_REFUSED: "refused", SANDBOX_AGAIN: "already_received"}.get(
            council_reference, "accepted"
        )
        refused = outcome == "refused"
        results.append(
            {
                "line": number,
                "outcome": outcome,
                "council_reference": council_reference,
                "reference": None
                if refused
                else _reference("SNDBXPPR%d" % (number % 10)),
                "channel": record["channel"],
                "errors": [
                    {
                        "field": "nino",
                        "message": "Enter a National Insurance number in the "
                        "correct format, like QQ 12 34 56 C",
                        "code": "invalid_nino",
                    }
                ]
                if refused
                else [],
            }
        )
    return results


def correct(reference: str, fields: list[str]) -> tuple[int, dict[str, Any]]:
    """A correction of a sandbox application: accepted, but nothing is kept."""
    doc = document(reference)
    if doc["reference"] == DETERMINED:
        raise Problem(
            409,
            "conflict",
            "An application that is accepted can no longer be corrected here.",
            current_status="accepted",
        )
    return 201, {
        "reference": doc["reference"],
        "status": "submitted",
        "correction_id": 1,
        "corrected_at": doc["submitted_at"],
        "fields": fields,
        "replayed": False,
    }
