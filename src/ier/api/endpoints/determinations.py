"""Reporting the officer's determination back."""

from ninja import Router

from ier.api import sandbox
from ier.api.audit import record_api
from ier.api.auth import CallerRequest
from ier.api.schemas import DeterminationIn, DeterminationOut, Text
from ier.registration import handover

router = Router(tags=["applications"])


@router.post(
    "/applications/{reference}/determination",
    response=DeterminationOut,
    summary="Report a determination",
)
def determine(request: CallerRequest, reference: Text, payload: DeterminationIn):
    """Accepted, rejected or evidence requested, with the date it was decided.
    Repeating the same outcome changes nothing; a contradictory one is a 409."""
    caller = request.auth
    if caller.sandbox:
        return sandbox.determine(reference, payload.outcome)
    application = handover.determine(
        caller.own_authority,
        reference,
        payload.outcome,
        payload.date,
        payload.reason,
        caller.actor,
    )
    record_api(
        request,
        "api.determination",
        reference=application.reference,
        detail={"outcome": payload.outcome},
    )
    return {
        "reference": application.reference,
        "status": application.status,
        "determined_at": application.determined_at,
    }
