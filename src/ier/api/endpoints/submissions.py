"""Applications from other channels: paper, phone and in person."""

from typing import Annotated

import orjson
from django.http import HttpResponse
from ninja import Header

from ier.api import sandbox, submissions
from ier.api.audit import record_api
from ier.api.auth import CallerRequest, TokenAuth
from ier.api.endpoints import applications
from ier.api.schemas import Text
from ier.api.submission_schemas import ApplicationsIn, SubmissionOut

# On the router of `GET /applications`: two routers with one path would each make
# a URL pattern, and the first would answer every method with 405.
router = applications.router


@router.post(
    "/applications",
    response=SubmissionOut,
    auth=TokenAuth("EMS_SUBMISSION_MAX_BYTES"),
    summary="Send applications from other channels",
)
def send_applications(
    request: CallerRequest,
    payload: ApplicationsIn,
    idempotency_key: Annotated[
        Text | None,
        Header(
            alias="Idempotency-Key",
            max_length=255,
            description="Sending the same request again with the same key returns "
            "the first result (per line) instead of making second applications",
        ),
    ] = None,
):
    """One to 500 applications the council received on paper, by phone or in
    person, checked by the online journey's rules line by line: a line that breaks
    one is refused with its errors, the others are accepted. Safe to retry: a line
    with the same `council_reference`, or the same request sent again with the same
    `Idempotency-Key` header, returns the first application instead of a second."""
    caller = request.auth
    records = [line.dict() for line in payload.applications]
    if caller.sandbox:
        results = sandbox.submission(records)
    else:
        results = submissions.submit(
            caller.own_authority, caller.actor, records, idempotency_key or ""
        )
        record_api(
            request,
            "api.submit",
            detail={
                "accepted": [
                    r["reference"] for r in results if r["outcome"] == "accepted"
                ],
                "refused": sum(1 for r in results if r["outcome"] == "refused"),
            },
        )
    answer = {
        "accepted": sum(1 for r in results if r["outcome"] == "accepted"),
        "already_received": sum(
            1 for r in results if r["outcome"] == "already_received"
        ),
        "refused": sum(1 for r in results if r["outcome"] == "refused"),
        "results": results,
    }
    # Written straight to JSON: validating 500 results we built ourselves would
    # cost more than building them. The schema tests check the shape.
    return HttpResponse(
        orjson.dumps(answer), content_type="application/json; charset=utf-8"
    )
