"""What the templates of other apps call to show elections and deadlines."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from ier.elections.deadlines import day_of
from ier.elections.presenters import day_long, election_name
from ier.elections.upcoming import Standing, standing


def standing_for_address(
    address: dict[str, Any] | None, journey: str = ""
) -> Standing | None:
    """The coming elections at the address a person gave that an applicant on
    `journey` could vote in, against now."""
    if not address or not address.get("authority_id"):
        return None
    return standing(
        (address["authority_id"],), postcode=address.get("postcode"), journey=journey
    )


def standing_for_application(
    authority_id: int,
    submitted_at: datetime,
    postcode: str | None = None,
    journey: str = "",
) -> Standing:
    """The coming elections of the council (at the postcode, when given) that an
    applicant on `journey` could vote in, against when the application was sent
    (a confirmation page and email say the same whenever they are read)."""
    return standing((authority_id,), submitted_at, postcode, journey)


def install(env: Any) -> None:
    env.globals.update(
        {
            "standing_for_address": standing_for_address,
            "standing_for_application": standing_for_application,
            "election_name": election_name,
            "now": timezone.now,
        }
    )
    env.filters["day_long"] = day_long
    env.filters["deadline_day"] = day_of
