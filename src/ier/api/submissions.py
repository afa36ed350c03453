"""Applications a council's EMS sends from other channels: each line checked by the
online journey's rules (`ier.citizen.keyed`), the good ones saved together
(`ier.registration.lifecycle.submit_many`), then verified, duplicate-checked and
handed over like online ones.

Retry-safe: each line's idempotency key is derived from what identifies it to the
council (its council reference; else the request's Idempotency-Key and the line's
position), so sending a line again, even at the same moment from two connections,
finds the first application instead of making a second."""

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation

from ier.citizen import keyed
from ier.geography.models import Authority
from ier.registration import lifecycle, references
from ier.registration.models import Application, Status
from ier.verification import intake

#: A reference drawn for a new line can collide with one already taken (rarely);
#: such lines are drawn again, this many times at most.
REFERENCE_ATTEMPTS = 5


@dataclass
class Line:
    number: int
    record: dict[str, Any]
    key: str
    outcome: str = "refused"
    reference: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    application: Application | None = None

    def result(self) -> dict[str, Any]:
        return {
            "line": self.number,
            "outcome": self.outcome,
            "council_reference": self.record["council_reference"],
            "reference": self.reference,
            "channel": self.record["channel"],
            "errors": self.errors,
        }


def line_key(authority: Authority, record: dict[str, Any], request_key: str, n: int):
    """The idempotency key of a line: the same line sent again gets the same one."""
    if record["council_reference"]:
        source = "council:%d:%s" % (authority.pk, record["council_reference"])
    elif request_key:
        source = "request:%d:%s:%d" % (authority.pk, request_key, n)
    else:
        return uuid.uuid4().hex
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def _application(line: Line, values: dict[str, Any]) -> Application:
    values = dict(values)
    nino = values.pop("nino", "")
    application = Application(
        reference=references.new_reference(),
        idempotency_key=line.key,
        journey="ordinary",
        language=line.record["language"],
        status=Status.SUBMITTED,
        channel=line.record["channel"],
        council_reference=line.record["council_reference"],
        **values,
    )
    application.nino = nino
    return application


def submit(
    authority: Authority, actor: str, records: list[dict[str, Any]], request_key: str
) -> list[dict[str, Any]]:
    """Check and save `records` for the sender's `authority`; each line's result."""
    councils = set(authority.office_council_ids)
    today = timezone.localdate()
    lines = [
        Line(n, record, line_key(authority, record, request_key, n))
        for n, record in enumerate(records, start=1)
    ]
    pending = []
    with translation.override("en"):
        batch = keyed.Batch(records)
        for line in lines:
            checked = keyed.check(line.record, councils, today, batch)
            if checked.errors:
                line.errors = [
                    {"field": name, "message": message, "code": code}
                    for name, message, code in checked.errors
                ]
            else:
                line.application = _application(line, checked.values)
                pending.append(line)
    _save(authority, pending, actor)
    return [line.result() for line in lines]


def _save(authority: Authority, lines: list[Line], actor: str) -> None:
    for _attempt in range(REFERENCE_ATTEMPTS):
        if not lines:
            return
        written = {
            application.idempotency_key
            for application in lifecycle.submit_many(
                [line.application for line in lines if line.application],
                actor,
                intake.before_insert_many,
                intake.after_insert_many,
            )
        }
        skipped = []
        for line in lines:
            assert line.application is not None
            if line.key in written:
                line.outcome, line.reference = "accepted", line.application.reference
            else:
                skipped.append(line)
        lines = _earlier(authority, skipped)
    raise RuntimeError("could not allocate unique references")


def _earlier(authority: Authority, skipped: list[Line]) -> list[Line]:
    """Mark the skipped lines sent before (under the same key, or with the same
    council reference) as such; the rest (a reference already taken) get a new
    reference, to be saved again."""
    sent = Application.objects.for_authority(authority)
    by_key = dict(
        sent.filter(idempotency_key__in=[line.key for line in skipped]).values_list(
            "idempotency_key", "reference"
        )
    )
    council_references = [
        line.record["council_reference"]
        for line in skipped
        if line.record["council_reference"]
    ]
    by_council_reference = dict(
        sent.filter(council_reference__in=council_references).values_list(
            "council_reference", "reference"
        )
        if council_references
        else ()
    )
    again = []
    for line in skipped:
        assert line.application is not None
        found = by_key.get(line.key) or by_council_reference.get(
            line.record["council_reference"]
        )
        if found:
            line.outcome, line.reference = "already_received", found
        else:
            line.application.reference = references.new_reference()
            line.application.pk = None
            again.append(line)
    return again
