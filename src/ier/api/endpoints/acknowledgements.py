"""Acknowledging a batch as downloaded."""

from ninja import Router

from ier.api import sandbox
from ier.api.audit import record_api
from ier.api.auth import CallerRequest
from ier.api.schemas import AcknowledgementIn, AcknowledgementOut
from ier.registration import handover

router = Router(tags=["applications"])


@router.post(
    "/acknowledgements",
    response=AcknowledgementOut,
    summary="Acknowledge applications as downloaded",
)
def acknowledge(request: CallerRequest, payload: AcknowledgementIn):
    """Idempotent: repeating a request (after a timeout, say) hands nothing over twice
    and reports those applications as already acknowledged."""
    caller = request.auth
    if caller.sandbox:
        return sandbox.acknowledge(payload.references)
    result = handover.acknowledge(
        caller.own_authority, payload.references, caller.actor
    )
    record_api(
        request, "api.acknowledge", detail={"acknowledged": result["acknowledged"]}
    )
    return result
