"""“Am I registered?”: for councils that switch it on, a person gives their name,
date of birth and address and is told only “you appear to be registered at this
address” or “we could not find you: you can apply now”.

Every question that reaches the register does the same work, found or not: one
indexed query for the entries with the same keyed hash of name, date of birth and
postcode (at most a few rows), then the same comparison of the address in Python.
A miss and a near miss (right name, wrong date of birth; right person, another
address) are answered by the same page in the same words. Nothing typed is logged
or kept; each answer is recorded as its outcome and council only."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.http import HttpRequest

from ier.core import ratelimit
from ier.elections.models import RegisterCheckCouncil, RegisterCheckRecord
from ier.elections.upcoming import councils_at
from ier.registration.models import RegisterEntry
from ier.registration.register import register_match_key

Outcome = RegisterCheckRecord.Outcome
#: More entries than this with one person's key would be a data error; reading a
#: fixed, small number keeps the work the same for everyone.
ENTRIES_READ = 5
_WORD = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True)
class Question:
    first_name: str
    last_name: str
    date_of_birth: date
    postcode: str
    building: str


def allowed(request: HttpRequest) -> bool:
    """Counted per client address in the shared cache, so the limit holds across
    every web process; the same limit as the status lookup."""
    return ratelimit.hit(
        "register-check",
        ratelimit.client_address(request),
        settings.STATUS_LOOKUPS_PER_WINDOW,
        settings.STATUS_LOOKUP_WINDOW,
    )


def offering_councils(postcode: str) -> list[int]:
    """The councils at the postcode that offer the check."""
    return list(
        RegisterCheckCouncil.objects.filter(
            authority_id__in=councils_at(postcode)
        ).values_list("authority_id", flat=True)
    )


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _at_address(building: str, lines: tuple[str, str]) -> bool:
    """Whether the house number or name typed names the entry's address: its words
    appear, in order, among the words of the address's first lines."""
    wanted = _words(building)
    have = _words(" ".join(lines))
    width = len(wanted)
    return bool(wanted) and any(
        have[i : i + width] == wanted for i in range(len(have) - width + 1)
    )


def answer(question: Question, councils: list[int]) -> str:
    key = register_match_key(
        question.first_name,
        question.last_name,
        question.date_of_birth,
        question.postcode,
    )
    rows = list(
        RegisterEntry.objects.filter(authority_id__in=councils, match_key=key)
        .order_by("pk")
        .values_list("address_line_1", "address_line_2")[:ENTRIES_READ]
    )
    found = [_at_address(question.building, lines) for lines in rows]
    return Outcome.FOUND if any(found) else Outcome.NOT_FOUND


def record(request: HttpRequest, outcome: str, councils: list[int]) -> None:
    RegisterCheckRecord.objects.create(
        authority_id=councils[0] if len(councils) == 1 else None,
        outcome=outcome,
        request_id=getattr(request, "request_id", "") or "",
    )
