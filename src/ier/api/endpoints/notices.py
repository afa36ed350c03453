"""Moved-out notices: the old council lists them, then acknowledges them, exactly
once, like applications."""

from typing import Literal

from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from ier.api import sandbox_notices
from ier.api.audit import record_api
from ier.api.auth import CallerRequest
from ier.api.notice_schemas import (
    NoticeAcknowledgementIn,
    NoticeAcknowledgementOut,
    NoticeOut,
    NoticePage,
)
from ier.api.problems import Problem, refuse_unknown_parameters
from ier.api.schemas import Text
from ier.registration import notices

router = Router(tags=["moved-out notices"])


class NoticeFilters(Schema):
    state: Literal["new", "all"] = NinjaField(
        "new", description="`new`: not yet acknowledged; `all`: every notice"
    )
    cursor: str | None = NinjaField(
        None,
        pattern=r"^[0-9]{1,18}$",
        description="The `next_cursor` of the previous page",
    )
    limit: int = NinjaField(100, ge=1, le=1000, description="Notices per page")


@router.get("/notices", response=NoticePage, summary="List moved-out notices")
def list_notices(request: CallerRequest, filters: Query[NoticeFilters]):
    """Notices telling the token's council (or the councils its registration office
    serves) that someone was registered by another council. Oldest first; by default
    only those not yet acknowledged. Listing changes nothing."""
    refuse_unknown_parameters(request, NoticeFilters)
    caller = request.auth
    if caller.sandbox:
        return sandbox_notices.page(filters.state)
    items, next_cursor = notices.notice_page(
        caller.own_authority,
        state=filters.state,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    record_api(
        request, "api.notices.list", detail={"notices": [n["reference"] for n in items]}
    )
    return {"items": items, "next_cursor": next_cursor}


@router.post(
    "/notices/acknowledgements",
    response=NoticeAcknowledgementOut,
    summary="Acknowledge moved-out notices",
)
def acknowledge_notices(request: CallerRequest, payload: NoticeAcknowledgementIn):
    """Idempotent: each notice is acknowledged once; repeating a request (after a
    timeout, say) reports those notices as already acknowledged."""
    caller = request.auth
    if caller.sandbox:
        return sandbox_notices.acknowledge(payload.references)
    result = notices.acknowledge(caller.own_authority, payload.references, caller.actor)
    record_api(
        request,
        "api.notices.acknowledge",
        detail={"acknowledged": result["acknowledged"]},
    )
    return result


# After the acknowledgements: a path is matched in the order routes are added.
@router.get(
    "/notices/{reference}", response=NoticeOut, summary="Get one moved-out notice"
)
def get_notice(request: CallerRequest, reference: Text):
    """One notice of the token's council; another council's is `404`."""
    caller = request.auth
    if caller.sandbox:
        return sandbox_notices.notice(reference)
    try:
        notice = notices.scoped_notice(caller.own_authority, reference)
    except notices.NoticeNotFound:
        raise Problem(
            404, "not_found", "There is no notice with that reference."
        ) from None
    record_api(request, "api.notices.view", detail={"notice": notice.reference})
    return notices.notice_document(notice)
