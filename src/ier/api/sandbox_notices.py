"""The sandbox's moved-out notices: one of each kind, for the reserved token
`ier_sandbox_valid`, so a supplier can build the notices client without real data.
Nothing here touches the database."""

from datetime import UTC, date, datetime
from typing import Any

from ier.api.problems import Problem
from ier.api.sandbox import SANDBOX_AUTHORITY, _reference

# (reference body, found by, acknowledged)
_CASES = [
    ("SNDBXMVDD", "previous_address", False),
    ("SNDBXMVRG", "register", False),
    ("SNDBXMVBT", "both", True),
]


def _notice(body: str, found_by: str, acknowledged: bool) -> dict[str, Any]:
    made = datetime(2026, 1, 9, 10, 0, tzinfo=UTC)
    by_address = found_by != "register"
    return {
        "reference": _reference(body),
        "authority": SANDBOX_AUTHORITY,
        "found_by": found_by,
        "name": {"first_name": "Sam", "middle_names": "", "last_name": "Example"},
        "previous_name": None,
        "date_of_birth": date(1990, 2, 3),
        "old_address": {
            "uprn": 100012345678 if by_address else None,
            "line_1": "1 Example Street" if by_address else "",
            "line_2": "",
            "line_3": "",
            "town": "Exampletown" if by_address else "",
            "postcode": "ZZ99 9ZZ" if by_address else "",
        },
        "elector_number": None if found_by == "previous_address" else "X1-1",
        "new_council": {"gss_code": "X99999998", "name": "Another Example Council"},
        "applied_on": date(2026, 1, 5),
        "registered_on": date(2026, 1, 9),
        "created_at": made,
        "acknowledged_at": made if acknowledged else None,
    }


NOTICES = [_notice(*case) for case in _CASES]
ACKNOWLEDGED = {n["reference"] for n in NOTICES if n["acknowledged_at"]}


def page(state: str) -> dict[str, Any]:
    items = [n for n in NOTICES if state == "all" or n["acknowledged_at"] is None]
    return {"items": items, "next_cursor": None}


def notice(reference: str) -> dict[str, Any]:
    for item in NOTICES:
        if item["reference"] == reference.strip().upper():
            return item
    raise Problem(404, "not_found", "There is no notice with that reference.")


def acknowledge(references: list[str]) -> dict[str, list[str]]:
    wanted = list(dict.fromkeys(r.strip().upper() for r in references))
    known = {n["reference"] for n in NOTICES}
    return {
        "acknowledged": [r for r in wanted if r in known - ACKNOWLEDGED],
        "already_acknowledged": [r for r in wanted if r in ACKNOWLEDGED],
        "not_acknowledged": [r for r in wanted if r not in known],
    }
