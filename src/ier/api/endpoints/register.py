"""Uploading the authority's register, and reading its counts."""

from ninja import Router

from ier.api import register_load, sandbox
from ier.api.audit import record_api
from ier.api.auth import CallerRequest, TokenAuth
from ier.api.problems import Problem
from ier.api.schemas import CountsOut, RegisterLoadOut
from ier.registration import handover, register

router = Router(tags=["register"])

EXAMPLE_ROW = "E1-1,Ann,,Example,1980-01-01,1 Example Street,,Exampletown,ZZ99 9ZZ,\n"
CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": ",".join(register.COLUMNS) + "\n" + EXAMPLE_ROW,
            }
        },
    }
}


@router.put(
    "/register",
    response=RegisterLoadOut,
    auth=TokenAuth("EMS_REGISTER_MAX_BYTES"),
    summary="Replace the register entries",
    openapi_extra=CSV_BODY,
)
def replace_register(request: CallerRequest):
    """Send the whole register as CSV (UTF-8, header line first); it replaces every
    entry held for the authority, or nothing changes if any line is wrong."""
    content_type = request.content_type or ""
    if "csv" not in content_type and content_type != "text/plain":
        raise Problem(415, "unsupported_media_type", "Send the register as text/csv.")
    if not request.META.get("CONTENT_LENGTH"):
        raise Problem(411, "length_required", "Send a Content-Length header.")
    caller = request.auth
    if caller.sandbox:
        return {"entries": register_load.count_valid(request), "replaced": 0}
    result = register_load.replace_register(caller.own_authority, request)
    record_api(request, "api.register", detail=result)
    return result


@router.get("/counts", response=CountsOut, summary="Counts for the authority")
def counts(request: CallerRequest):
    caller = request.auth
    if caller.sandbox:
        return sandbox.counts()
    return handover.counts(caller.own_authority)
