"""Reading requests, finding records and answering, independent of HTTP."""

import datetime
from collections.abc import Iterable
from typing import Any

from ier.identity.matching import Claim, Record, check, nino_stem
from ier.identity.models import Person

NAME_FIELDS = (
    "first_name",
    "middle_names",
    "last_name",
    "previous_first_name",
    "previous_middle_names",
    "previous_last_name",
)
MAX_TEXT = 200


class InvalidRequest(ValueError):
    pass


def _text(item: dict[str, Any], name: str, required: bool = False) -> str:
    value = item.get(name) or ""
    if not isinstance(value, str) or len(value) > MAX_TEXT or (required and not value):
        raise InvalidRequest(name)
    return value


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise InvalidRequest("date_of_birth") from error


def claim_from(item: Any) -> Claim:
    if not isinstance(item, dict):
        raise InvalidRequest("request")
    return Claim(
        nino=_text(item, "nino", required=True),
        date_of_birth=_date(item.get("date_of_birth")),
        **{name: _text(item, name) for name in NAME_FIELDS},
    )


def records_for(ninos: Iterable[str]) -> dict[str, Record]:
    stems = {nino_stem(nino) for nino in ninos}
    rows = Person.objects.filter(nino__in=stems).values(
        "nino",
        "date_of_birth",
        "first_name",
        "middle_names",
        "last_name",
        "previous_first_name",
        "previous_last_name",
    )
    return {row["nino"]: Record(**row) for row in rows}


def _parse(item: Any) -> tuple[Any, Claim | None, str]:
    item_id = item.get("id") if isinstance(item, dict) else None
    try:
        return item_id, claim_from(item), ""
    except InvalidRequest as error:
        return item_id, None, str(error)


def answer_batch(items: list[Any]) -> list[dict[str, Any]]:
    """One answer per request item, in order; a malformed item gets an error
    answer of its own instead of failing the others."""
    parsed = [_parse(item) for item in items]
    records = records_for(claim.nino for _id, claim, _error in parsed if claim)
    answers = []
    for item_id, claim, error in parsed:
        if claim is None:
            answers.append({"id": item_id, "error": "invalid_request", "field": error})
        else:
            answers.append(
                {"id": item_id, **check(claim, records.get(nino_stem(claim.nino)))}
            )
    return answers
