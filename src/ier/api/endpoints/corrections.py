"""A council's EMS corrects named fields of one of its applications (issue 20)."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Header, Router, Schema
from pydantic import ConfigDict

from ier.api import sandbox
from ier.api.audit import record_api
from ier.api.auth import CallerRequest
from ier.api.problems import Problem
from ier.api.schemas import StatusName, Text
from ier.registration import corrections
from ier.registration.models import CorrectionSource
from ier.verification.intake import after_correction

router = Router(tags=["applications"])

Uprn = int | None


class CorrectionChanges(Schema):
    """The fields to correct, with their new values; a field left out is not
    changed. Checked with the rules of the online journey. A field that may be
    empty (middle names, a previous name or address, an address's second line) is
    emptied by sending "" (or null)."""

    model_config = ConfigDict(extra="forbid")

    first_name: Text | None = Field(None, max_length=60)
    middle_names: Text | None = Field(None, max_length=100)
    last_name: Text | None = Field(None, max_length=60)
    previous_first_name: Text | None = Field(None, max_length=60)
    previous_middle_names: Text | None = Field(None, max_length=100)
    previous_last_name: Text | None = Field(None, max_length=60)
    date_of_birth: date | None = Field(None, description="ISO 8601, in the past")
    nino: Text | None = Field(
        None, max_length=20, description="National Insurance number, like QQ123456C"
    )
    nationalities: list[Text] | None = Field(
        None,
        min_length=1,
        max_length=4,
        description="ISO 3166-1 alpha-2 codes (GB for British, IE for Irish)",
    )
    address_uprn: Uprn = Field(
        None,
        ge=1,
        le=999_999_999_999,
        description="The address's UPRN: its lines, town and postcode are taken "
        "from the address base, and it must be in the council's area",
    )
    address_line_1: Text | None = Field(None, max_length=200)
    address_line_2: Text | None = Field(None, max_length=200)
    address_line_3: Text | None = Field(None, max_length=200)
    address_town: Text | None = Field(None, max_length=100)
    address_postcode: Text | None = Field(None, max_length=10)
    previous_uprn: Uprn = Field(
        None,
        ge=1,
        le=999_999_999_999,
        description="The previous address's UPRN (lines taken from the address base)",
    )
    previous_line_1: Text | None = Field(None, max_length=200)
    previous_line_2: Text | None = Field(None, max_length=200)
    previous_line_3: Text | None = Field(None, max_length=200)
    previous_town: Text | None = Field(None, max_length=100)
    previous_postcode: Text | None = Field(None, max_length=10)


class CorrectionIn(Schema):
    reason: Text = Field(
        min_length=1, max_length=500, description="Why the fields are corrected"
    )
    changes: CorrectionChanges = Field(
        description="At least one field, with its corrected value"
    )


class CorrectionOut(Schema):
    reference: str
    status: StatusName = Field(
        description="submitted: the application is verified again and then listed "
        "as new, flagged as corrected"
    )
    correction_id: int
    corrected_at: datetime
    fields: list[str] = Field(description="The fields this correction changed")
    replayed: bool = Field(
        description="true when this answers a retry: nothing was changed again"
    )


def _body(outcome: corrections.Outcome) -> dict:
    correction = outcome.correction
    return {
        "reference": correction.application.reference,
        "status": correction.application.status,
        "correction_id": correction.pk,
        "corrected_at": correction.at,
        "fields": list(correction.fields),
        "replayed": outcome.replayed,
    }


def _errors(errors: dict[str, str]) -> list[dict]:
    return [
        {
            "location": ["body", "reason"]
            if field == "reason"
            else ["body", "changes", field],
            "message": message,
        }
        for field, message in errors.items()
    ]


@router.post(
    "/applications/{reference}/corrections",
    response={200: CorrectionOut, 201: CorrectionOut},
    summary="Correct an application's details",
)
def correct(
    request: CallerRequest,
    reference: Text,
    payload: CorrectionIn,
    idempotency_key: Annotated[
        Text | None,
        Header(
            alias="Idempotency-Key",
            max_length=100,
            description="Any unique string: a retry with the same key changes "
            "nothing and answers as the first request did",
        ),
    ] = None,
):
    """Correct named fields (a typing slip in a NINO, a date of birth, a name) with
    a reason. The application goes back to `submitted`, is verified again, and is
    listed as new once verified (`flags.corrected`), to download and acknowledge
    like any other. 201 for a correction made; 200 for a retry (same
    Idempotency-Key, or the same values as the latest correction). 409 once the
    application is accepted or rejected; 422 names each field refused."""
    values = payload.changes.model_dump(exclude_unset=True)
    if not values:
        raise Problem(
            422,
            "invalid_request",
            "Name at least one field to correct.",
            errors=[{"location": ["body", "changes"], "message": "is empty"}],
        )
    caller = request.auth
    if caller.sandbox:
        return sandbox.correct(reference, sorted(values))
    try:
        outcome = corrections.correct(
            caller.own_authority,
            reference,
            values,
            payload.reason,
            caller.actor,
            CorrectionSource.EMS,
            after_correction,
            idempotency_key=(idempotency_key or "").strip(),
        )
    except corrections.Invalid as invalid:
        raise Problem(
            422,
            "invalid_request",
            "The request has values this API cannot accept.",
            errors=_errors(invalid.errors),
        ) from None
    except corrections.NotCorrectable as refused:
        raise Problem(
            409, "conflict", str(refused), current_status=refused.status
        ) from None
    except corrections.NothingChanged as same:
        raise Problem(422, "no_change", str(same)) from None
    if outcome.correction.application.reference != reference.strip().upper():
        raise Problem(
            409,
            "idempotency_key_reused",
            "This Idempotency-Key was sent with a correction of another application.",
        )
    if not outcome.replayed:
        record_api(
            request,
            "api.correction",
            reference=outcome.correction.application.reference,
            detail={"fields": list(outcome.correction.fields)},
        )
    return (200 if outcome.replayed else 201), _body(outcome)
