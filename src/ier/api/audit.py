"""The EMS API's entries in the audit log (`ier.ero.audit`), one per call that
views or changes personal data."""

from typing import Any

from ier.api.auth import CallerRequest
from ier.ero.audit import record
from ier.ero.models import AuditEntry


def record_api(request: CallerRequest, action: str, **kwargs: Any) -> AuditEntry | None:
    """An EMS call, attributed to its token (sandbox calls see no real data)."""
    caller = request.auth
    if caller.sandbox:
        return None
    return record(caller.authority, caller.actor, action, request=request, **kwargs)
