"""The portal's dashboard shows the council's own run-up to its next registration
deadline: applications per day against that deadline, counting only its own
applications and only its own polls."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ier.elections.models import ElectionArea
from ier.registration.models import Application, Status
from tests.api.factories import create_application
from tests.elections.factories import create_election

pytestmark = pytest.mark.django_db


def _sent(authority, days_ago):
    application = create_application(authority, Status.VERIFIED)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=days_ago)
    )


def _day_row(html, day):
    label = day.strftime("%d/%m")
    marker = '<th scope="row" class="govuk-table__header">%s</th>' % label
    start = html.index(marker) + len(marker)
    cell = html[start : html.index("</td>", start)]
    return int(cell.rsplit(">", 1)[1].replace(",", ""))


def test_dashboard_counts_the_councils_own_applications_per_day(
    officer_client, authority, other_authority
):
    today = timezone.localdate()
    create_election([authority], today + timedelta(days=30), election_id="local.a")
    # Another council's poll is sooner: it is not this council's deadline.
    create_election(
        [other_authority], today + timedelta(days=20), election_id="local.b"
    )
    for _ in range(3):
        _sent(authority, days_ago=0)
    _sent(authority, days_ago=2)
    for _ in range(5):
        _sent(other_authority, days_ago=0)

    html = officer_client.get("/ero/").content.decode()

    assert "Applications per day in the 14 days up to the next deadline" in html
    assert _day_row(html, today) == 3
    assert _day_row(html, today - timedelta(days=2)) == 1
    assert _day_row(html, today - timedelta(days=1)) == 0
    # The deadline named is this council's (its poll is 30 days away).
    deadline = ElectionArea.objects.get(election__election_id="local.a").deadline_day
    assert "in %d days" % (deadline - today).days in html


def test_dashboard_without_a_coming_poll_says_nothing_of_deadlines(
    officer_client, authority, other_authority
):
    create_election(
        [other_authority],
        timezone.localdate() + timedelta(days=20),
        election_id="local.b",
    )
    html = officer_client.get("/ero/").content.decode()
    assert "The next registration deadline" not in html
