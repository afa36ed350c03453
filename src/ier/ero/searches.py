"""An officer's searches, kept in their session so no URL carries the search text.

A search (a reference, a name or a postcode: personal data) is sent by POST and
kept server-side under a short random id; the results, their pages, the CSV export
and the way back from an application name only that id. The id means nothing
outside the session that made it, so another officer (or another authority) holding
the URL gets nothing."""

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils.crypto import salted_hmac

from ier.registration import references
from ier.registration.models import Status

SESSION_KEY = "ero_searches"
RESULTS_KEY = "ero_results"
#: Older searches are forgotten; their links then ask the officer to search again.
KEPT = 20
SEARCH_ID = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


@dataclass(frozen=True)
class Criteria:
    text: str = ""
    status: str = ""

    @property
    def searching(self) -> bool:
        return bool(self.text or self.status)


def save(session: SessionBase, criteria: Criteria) -> str:
    """Keep the criteria and return the id that stands for them."""
    kept: dict[str, dict[str, str]] = dict(session.get(SESSION_KEY, {}))
    search_id = secrets.token_urlsafe(9)
    kept[search_id] = {"text": criteria.text, "status": criteria.status}
    session[SESSION_KEY] = dict(list(kept.items())[-KEPT:])
    return search_id


def load(session: SessionBase, search_id: str) -> Criteria | None:
    """The criteria kept under `search_id` in this session, or None."""
    if not SEARCH_ID.match(search_id):
        return None
    kept = session.get(SESSION_KEY, {}).get(search_id)
    if kept is None:
        return None
    return Criteria(text=kept.get("text", ""), status=kept.get("status", ""))


def list_query(search_id: str = "", status: str = "", page: int | None = None) -> str:
    """The query string of a results page: only an opaque id, a status or a page."""
    parts = []
    if search_id:
        parts.append("s=%s" % search_id)
    elif status in Status.values:
        parts.append("status=%s" % status)
    if page and page > 1:
        parts.append("page=%d" % page)
    return "&".join(parts)


def remember_results(session: SessionBase, query: str) -> None:
    """Where "Back" on an application leads: the results the officer last saw."""
    session[RESULTS_KEY] = query


def last_results(session: SessionBase) -> str:
    return session.get(RESULTS_KEY, "")


def audit_detail(criteria: Criteria) -> dict[str, Any]:
    """What was searched for, without the personal data: what the text looked like
    and a keyed digest, so someone holding the service's secret key can check whether
    a given search was made, but a reader of the audit log learns nothing from it."""
    detail: dict[str, Any] = {"status": criteria.status}
    if criteria.text:
        squashed = "".join(criteria.text.split()).upper()
        detail["text_kind"] = (
            "reference"
            if references.is_valid_reference(criteria.text)
            else "postcode"
            if POSTCODE.match(squashed)
            else "name"
        )
        detail["text_digest"] = salted_hmac(
            "ier.ero.search", squashed, algorithm="sha256"
        ).hexdigest()[:32]
    return detail
