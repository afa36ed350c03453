"""Applications as the EMS receives them, and the verification result in one shape
whether or not the verification record has been written yet."""

import functools
import types
from typing import TYPE_CHECKING, Any

from django.utils import translation

from ier.core import crypto
from ier.registration.models import Application, Status
from ier.verification import presenters

RESULT_BY_STATUS = {
    Status.SUBMITTED.value: "white",
    Status.VERIFYING.value: "white",
    Status.VERIFIED.value: "green",
    Status.PARTIAL.value: "amber",
    Status.NOT_VERIFIED.value: "red",
    Status.NO_NINO.value: "no_nino",
}


def latest_verification(application: Application) -> Any:
    """The newest verification record (read from a prefetch when there is one).
    Never cached across calls: applications compare equal by id, so a cache would
    answer with the record it first saw, and a corrected application is verified
    again."""
    records = list(application.verifications.all())  # type: ignore[attr-defined]
    return max(records, key=lambda r: (r.checked_at, r.pk), default=None)


def _result_from_history(application: Application) -> str:
    """Once downloaded the status no longer says how verification went; the
    event that ended verification does."""
    ended = (
        application.events.filter(to_status__in=Status.VERIFICATION_OUTCOMES)
        .order_by("-at", "-pk")
        .values_list("to_status", flat=True)
        .first()
    )
    return RESULT_BY_STATUS.get(ended, "white") if ended else "white"


def _reasons(checks: list[dict[str, Any]]) -> list[str]:
    try:
        frozen = tuple(tuple(sorted(check.items())) for check in checks)
        return list(_reasons_in(translation.get_language(), frozen))
    except TypeError:  # a check holding a list or dict: worded afresh
        return _worded(checks)


@functools.lru_cache(maxsize=1024)
def _reasons_in(language: str | None, checks: tuple) -> tuple[str, ...]:
    """Reasons worded once per language and set of checks: a page of a thousand
    applications has a handful of distinct sets, and translating every sentence of
    every item took a quarter of the hand-over's time."""
    return tuple(_worded([dict(check) for check in checks]))


def _worded(checks: list[dict[str, Any]]) -> list[str]:
    return [str(sentence) for sentence in presenters.reasons(checks)]


_LOOK_UP = object()


def verification_result(
    application: Any, record: Any = _LOOK_UP, ended_as: str | None = None
) -> dict[str, Any]:
    """green / amber / red / dark_red / white / no_nino, with the checks that led
    there and what they mean, when verification has recorded them. A caller that
    has already read the record (or the status verification ended in) passes it."""
    if record is _LOOK_UP:
        record = latest_verification(application)
    if record is not None:
        result = RESULT_BY_STATUS.get(record.result, "white")
    elif application.status in RESULT_BY_STATUS:
        result = RESULT_BY_STATUS[application.status]
    elif ended_as is not None:
        result = RESULT_BY_STATUS.get(ended_as, "white")
    else:
        result = _result_from_history(application)
    if application.nino_reused:
        result = "dark_red"
    checks = [c for c in (record.checks if record else []) if isinstance(c, dict)]
    return {
        "result": result,
        "checked_at": record.checked_at if record else None,
        "reasons": _reasons(checks),
        "checks": [
            {"name": str(c.get("check", "")), "outcome": str(c.get("outcome", ""))}
            for c in checks
        ],
    }


def _address(app: Application, prefix: str, manual: bool) -> dict[str, Any]:
    return {
        "uprn": getattr(app, prefix + "uprn"),
        "line_1": getattr(app, prefix + "line_1"),
        "line_2": getattr(app, prefix + "line_2"),
        "line_3": getattr(app, prefix + "line_3"),
        "town": getattr(app, prefix + "town"),
        "postcode": getattr(app, prefix + "postcode"),
        "typed_by_applicant": manual,
    }


def _previous_name(app: Application) -> dict[str, str] | None:
    if not (app.previous_first_name or app.previous_last_name):
        return None
    return {
        "first_name": app.previous_first_name,
        "middle_names": app.previous_middle_names,
        "last_name": app.previous_last_name,
    }


def application_document(
    app: Any, verification: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the applicant told us, and what the service found out. `app` is an
    Application or a `ValuesRow` of one."""
    has_previous = bool(app.previous_line_1 or app.previous_postcode)
    return {
        "reference": app.reference,
        "status": app.status,
        "journey": app.journey,
        "language": app.language,
        "authority": app.authority.gss_code,
        "submitted_at": app.submitted_at,
        "downloaded_at": app.downloaded_at,
        "determined_at": app.determined_at,
        "name": {
            "first_name": app.first_name,
            "middle_names": app.middle_names,
            "last_name": app.last_name,
        },
        "previous_name": _previous_name(app),
        "date_of_birth": app.date_of_birth,
        "no_date_of_birth_reason": app.no_dob_reason,
        "age_range": app.age_range,
        "nino": app.nino,
        "no_nino_reason": app.no_nino_reason,
        "nationalities": list(app.nationalities or []),
        "nationality_reason": app.nationality_reason,
        "address": _address(app, "address_", app.address_manual),
        "moved": app.moved,
        "previous_address": (
            _address(app, "previous_", app.previous_manual) if has_previous else None
        ),
        "other_address": app.other_address,
        "open_register": app.open_register,
        "postal_vote": app.postal_vote,
        "email": app.email,
        "phone": app.phone,
        "details": app.details or {},
        "flags": {
            "possible_duplicate": app.possible_duplicate,
            "nino_reused": app.nino_reused,
            "corrected": app.corrected_at is not None,
        },
        "corrected_at": app.corrected_at,
        "verification": verification or verification_result(app),
        "channel": app.channel,
        "council_reference": app.council_reference,
    }


@functools.lru_cache(maxsize=512)
def _council(gss_code: str) -> types.SimpleNamespace:
    return types.SimpleNamespace(gss_code=gss_code)


class ValuesRow:
    """An application read with `.values(*ROW_FIELDS)`: the attributes the document
    needs, without building a model instance for each of hundreds of rows."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.authority = _council(values["authority__gss_code"])

    if TYPE_CHECKING:
        # Each of ROW_FIELDS is an attribute, set from the row above.
        def __getattr__(self, name: str) -> Any: ...

    @property
    def nino(self) -> str:
        return crypto.decrypt(self.nino_encrypted)


#: Columns the service keeps for itself; a page of documents does not read them.
NOT_SENT = {"idempotency_key", "updated_at", "nino_hash", "authority"}
ROW_FIELDS = [
    f.attname for f in Application._meta.concrete_fields if f.name not in NOT_SENT
] + ["authority__gss_code"]
