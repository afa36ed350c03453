"""Elections for tests: made with the same deadline rule as an import."""

from datetime import date, timedelta

from django.utils import timezone

from ier.elections.importing import set_areas
from ier.elections.models import Election
from ier.geography.models import Authority


def create_election(
    councils: list[Authority],
    poll_date: date,
    election_type: str = "local",
    election_id: str = "",
    **fields,
) -> Election:
    election = Election.objects.create(
        election_id=election_id
        or "%s.test-%d.%s" % (election_type, councils[0].pk, poll_date.isoformat()),
        title=fields.pop("title", "Test election"),
        poll_date=poll_date,
        election_type=election_type,
        **fields,
    )
    set_areas(election, councils)
    return election


def weeks_ahead(weeks: int) -> date:
    return timezone.localdate() + timedelta(weeks=weeks)
