"""Listing and reading applications."""

from datetime import UTC, datetime
from typing import Annotated, Literal

import orjson
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field as NinjaField
from ninja import Query, Router, Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator

from ier.api import sandbox
from ier.api.audit import record_api
from ier.api.auth import CallerRequest
from ier.api.problems import refuse_unknown_parameters
from ier.api.schemas import ApplicationOut, ApplicationPage, StatusName, Text
from ier.elections.applications import add_elections, in_time_for
from ier.registration import handover
from ier.registration.document import application_document

router = Router(tags=["applications"])


def _iso_8601_only(value: object) -> object:
    # Pydantic would also read a bare number as a Unix time; the schema says
    # date-time, so only that is accepted.
    if not isinstance(value, str) or "T" not in value.upper():
        raise ValueError("give a date and time in ISO 8601, e.g. 2026-05-01T00:00:00Z")
    return value


def _in_utc(value: datetime) -> datetime:
    # Databases accept a narrower range of offsets than ISO 8601 (PostgreSQL stops at
    # 15:59), so the filter is always compared in UTC.
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the date and time is out of range") from None


IsoDateTime = Annotated[
    AwareDatetime, BeforeValidator(_iso_8601_only), AfterValidator(_in_utc)
]


class ListFilters(Schema):
    state: Literal["new", "all"] = NinjaField(
        "new", description="`new`: ready to download and not yet acknowledged"
    )
    status: StatusName | None = None
    submitted_after: IsoDateTime | None = None
    submitted_before: IsoDateTime | None = None
    cursor: str | None = NinjaField(None, pattern=r"^[0-9]{1,18}$")
    limit: int = NinjaField(100, ge=1, le=1000)
    election: str | None = NinjaField(
        None,
        max_length=250,
        pattern=r"^[A-Za-z0-9._-]+$",
        description="Only applications in time for this coming election "
        "(EveryElection's id, e.g. `local.sheffield.2026-05-07`)",
    )


def _sandbox_page(filters: ListFilters) -> dict:
    docs = sandbox.documents(filters.state)
    if filters.status:
        docs = [d for d in docs if d["status"] == filters.status]
    start = handover.decode_cursor(filters.cursor) if filters.cursor else 0
    page = docs[start : start + filters.limit]
    more = start + filters.limit < len(docs)
    return {
        "items": page,
        "next_cursor": handover.encode_cursor(start + filters.limit) if more else None,
    }


@router.get("/applications", response=ApplicationPage, summary="List applications")
def list_applications(request: CallerRequest, filters: Query[ListFilters]):
    """Applications of the token's authority, oldest first. By default only those
    ready to download and not yet acknowledged."""
    refuse_unknown_parameters(request, ListFilters)
    caller = request.auth
    if caller.sandbox:
        return _sandbox_page(filters)
    documents, next_cursor = handover.application_page(
        caller.own_authority,
        state=filters.state,
        status=filters.status,
        submitted_after=filters.submitted_after,
        submitted_before=filters.submitted_before,
        cursor=filters.cursor,
        limit=filters.limit,
        where=in_time_for(filters.election, timezone.localdate())
        if filters.election
        else None,
    )
    add_elections(documents, timezone.localdate())
    record_api(
        request, "api.list", detail={"references": [d["reference"] for d in documents]}
    )
    page = {"items": documents, "next_cursor": next_cursor}
    # Written straight to JSON (orjson): re-validating hundreds of documents we built
    # ourselves would cost more than building them. The schema tests check the shape.
    return HttpResponse(
        orjson.dumps(page, option=orjson.OPT_UTC_Z),
        content_type="application/json; charset=utf-8",
    )


@router.get(
    "/applications/{reference}", response=ApplicationOut, summary="Get one application"
)
def get_application(request: CallerRequest, reference: Text):
    """One application with its verification result and reasons."""
    caller = request.auth
    if caller.sandbox:
        return sandbox.document(reference)
    application = handover.scoped_application(caller.own_authority, reference)
    record_api(request, "api.view", reference=application.reference)
    document = application_document(application)
    add_elections([document], timezone.localdate())
    return document
