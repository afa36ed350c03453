"""Acknowledging a batch as downloaded."""

from django.http import HttpRequest
from ninja import Router

from ier.api import handover, sandbox
from ier.api.schemas import AcknowledgementIn, AcknowledgementOut
from ier.ero.audit import record_api

router = Router(tags=["applications"])


@router.post(
    "/acknowledgements",
    response=AcknowledgementOut,
    summary="Acknowledge applications as downloaded",
)
def acknowledge(request: HttpRequest, payload: AcknowledgementIn):
    """Idempotent: repeating a request (after a timeout, say) hands nothing over twice
    and reports those applications as already acknowledged."""
    caller = request.auth
    if caller.sandbox:
        return sandbox.acknowledge(payload.references)
    result = handover.acknowledge(caller.authority, payload.references, caller.actor)
    record_api(
        request, "api.acknowledge", detail={"acknowledged": result["acknowledged"]}
    )
    return result
