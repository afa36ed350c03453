"""Links emailed to applicants that work for a while and a number of times (evidence
requests, correction requests): the email holds only a random token; the service
keeps its hash, finds the request by it alone (the applicant has no authority to
scope by) and locks the request's row while the link is used."""

import hashlib
from typing import Any, TypeVar

from django.db import models

Request = TypeVar("Request", bound=models.Model)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_request(model: type[Request], token: str, *related: str) -> Request | None:
    """The request this link belongs to, if it is still usable."""
    if not token or len(token) > 100:
        return None
    requests: Any = model.objects  # type: ignore[attr-defined]  # scoping: found by the link's token alone
    found = (
        requests.select_related(*related).filter(token_hash=token_hash(token)).first()
    )
    return found if found is not None and found.is_open else None


def locked_request(model: type[Request], request_id: int) -> Request | None:
    """The request, locked until the transaction ends, if its link is still open."""
    requests: Any = model.objects  # type: ignore[attr-defined]  # scoping: the link's own row, by its id
    found = (
        requests.select_for_update(of=("self",))
        .select_related("application", "authority")
        .filter(pk=request_id)
        .first()
    )
    return found if found is not None and found.is_open else None
