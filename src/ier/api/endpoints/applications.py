"""Listing and reading applications."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from ier.api import handover, sandbox
from ier.api.present import application_document
from ier.api.schemas import ApplicationOut, ApplicationPage, StatusName
from ier.ero.audit import record_api

router = Router(tags=["applications"])


class ListFilters(Schema):
    state: Literal["new", "all"] = NinjaField(
        "new", description="`new`: ready to download and not yet acknowledged"
    )
    status: StatusName | None = None
    submitted_after: datetime | None = None
    submitted_before: datetime | None = None
    cursor: str | None = NinjaField(None, max_length=64)
    limit: int = NinjaField(100, ge=1, le=500)


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
def list_applications(request: HttpRequest, filters: Query[ListFilters]):
    """Applications of the token's authority, oldest first. By default only those
    ready to download and not yet acknowledged."""
    caller = request.auth
    if caller.sandbox:
        return _sandbox_page(filters)
    rows, next_cursor = handover.application_page(
        caller.authority,
        state=filters.state,
        status=filters.status,
        submitted_after=filters.submitted_after,
        submitted_before=filters.submitted_before,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    record_api(request, "api.list", detail={"references": [r.reference for r in rows]})
    return {
        "items": [application_document(row) for row in rows],
        "next_cursor": next_cursor,
    }


@router.get(
    "/applications/{reference}", response=ApplicationOut, summary="Get one application"
)
def get_application(request: HttpRequest, reference: str):
    """One application with its verification result and reasons."""
    caller = request.auth
    if caller.sandbox:
        return sandbox.document(reference)
    application = handover.scoped_application(caller.authority, reference)
    record_api(request, "api.view", reference=application.reference)
    return application_document(application)
