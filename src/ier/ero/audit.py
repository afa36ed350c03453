"""Writing the audit log: one row for every view of personal data and every action,
from the portal and from the EMS API alike (`ier.api.audit` for the API's)."""

from typing import Any

from django.http import HttpRequest

from ier.ero.access import OfficerRequest
from ier.ero.models import AuditEntry
from ier.geography.models import Authority


def record(
    authority: Authority | None,
    actor: str,
    action: str,
    *,
    reference: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        authority=authority,
        actor=actor[:150],
        action=action,
        reference=reference,
        detail=detail or {},
        request_id=getattr(request, "request_id", "") or "",
    )


def record_portal(request: OfficerRequest, action: str, **kwargs: Any) -> AuditEntry:
    """A portal action, attributed to the signed-in person."""
    officer = request.officer
    return record(
        officer.authority,
        request.user.get_username(),
        action,
        request=request,
        **kwargs,
    )
