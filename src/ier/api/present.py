"""Applications as the EMS receives them, and the verification result in one shape
whether or not the verification record has been written yet."""

import importlib
import logging
from typing import Any

from ier.registration.models import Application, Status

logger = logging.getLogger(__name__)

RESULT_BY_STATUS = {
    Status.SUBMITTED: "white",
    Status.VERIFYING: "white",
    Status.VERIFIED: "green",
    Status.PARTIAL: "amber",
    Status.NOT_VERIFIED: "red",
    Status.NO_NINO: "no_nino",
}

VERIFICATION_OUTCOMES = [
    Status.VERIFIED,
    Status.PARTIAL,
    Status.NOT_VERIFIED,
    Status.NO_NINO,
]


def _verification_model():
    """The verification engineer's model, if this deployment has it."""
    try:
        return importlib.import_module("ier.verification.models").Verification
    except (ImportError, AttributeError):
        return None


def _record_for(application: Application) -> Any:
    model = _verification_model()
    if model is None:
        return None
    try:
        return (
            model.objects.filter(application_id=application.pk).order_by("-pk").first()
        )
    except Exception:
        logger.warning("verification record unreadable")
        return None


def _first_attr(record: Any, names: tuple[str, ...], default: Any) -> Any:
    for name in names:
        value = getattr(record, name, None)
        if value not in (None, ""):
            return value
    return default


def _checks(record: Any) -> list[dict[str, Any]]:
    raw = _first_attr(record, ("checks",), [])
    checks = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict):
            checks.append(
                {
                    "name": str(item.get("name") or item.get("check") or ""),
                    "passed": item.get("passed"),
                    "detail": str(item.get("detail") or item.get("reason") or ""),
                }
            )
    return checks


def _result_from_history(application: Application) -> str:
    """Once downloaded the status no longer says how verification went; the
    event that ended verification does."""
    ended = (
        application.events.filter(to_status__in=VERIFICATION_OUTCOMES)
        .order_by("-at", "-pk")
        .values_list("to_status", flat=True)
        .first()
    )
    return RESULT_BY_STATUS.get(ended, "white") if ended else "white"


def verification_result(application: Application, record: Any = None) -> dict[str, Any]:
    """green / amber / red / dark_red / white / no_nino, with reasons when known."""
    result = RESULT_BY_STATUS.get(application.status) or _result_from_history(
        application
    )
    if application.nino_reused:
        result = "dark_red"
    record = record if record is not None else _record_for(application)
    if record is None:
        return {"result": result, "checked_at": None, "reasons": [], "checks": []}
    stored = str(_first_attr(record, ("rag", "result", "outcome"), result)).lower()
    if stored in {"green", "amber", "red", "dark_red", "white", "no_nino"}:
        result = "dark_red" if application.nino_reused else stored
    reasons = _first_attr(record, ("reasons",), [])
    return {
        "result": result,
        "checked_at": _first_attr(
            record, ("checked_at", "completed_at", "created_at"), None
        ),
        "reasons": [str(r) for r in reasons]
        if isinstance(reasons, list)
        else [str(reasons)],
        "checks": _checks(record),
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


def application_document(app: Application, record: Any = None) -> dict[str, Any]:
    """Everything the applicant told us, and what the service found out."""
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
        },
        "verification": verification_result(app, record),
    }
