"""A moved-out notice is personal data too: it goes with the application it came
from when that application's retention period ends, and not before."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ier.registration import handover
from ier.registration.models import Application, MovedOutNotice, Status
from tests.api.factories import two_authorities
from tests.registration.movers import create_home_mover

pytestmark = pytest.mark.django_db


def test_notices_are_purged_with_their_application(settings):
    settings.RETENTION_DAYS = 30
    old, new = two_authorities()
    movers = [create_home_mover(new, old) for _ in range(2)]
    for mover in movers:
        handover.determine(
            new, mover.reference, Status.ACCEPTED, timezone.localdate(), "", "ems:t"
        )
    assert MovedOutNotice.objects.count() == 2
    Application.objects.filter(pk=movers[0].pk).update(
        determined_at=timezone.now() - timedelta(days=31)
    )

    call_command("purge", stdout=StringIO())

    assert list(MovedOutNotice.objects.values_list("application_id", flat=True)) == [
        movers[1].pk
    ]
