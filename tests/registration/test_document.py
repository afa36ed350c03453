"""The application as an EMS and an officer receive it is read afresh each time."""

import pytest
from django.utils import timezone

from ier.registration.document import application_document
from ier.registration.models import Application, Status
from ier.verification.models import Verification
from tests.api.factories import create_application, two_authorities

pytestmark = pytest.mark.django_db


def test_a_verification_recorded_after_a_first_read_is_in_the_next_one():
    """Nothing of one read is kept for the next: an application read before its
    verification was recorded shows the verification the next time it is read."""
    application = create_application(two_authorities()[0], Status.SUBMITTED)
    assert application_document(application)["verification"]["result"] == "white"
    Verification.objects.create(
        application=application,
        result=Status.PARTIAL,
        checks=[{"check": "date_of_birth", "outcome": "mismatch"}],
        worker="test-worker",
        checked_at=timezone.now(),
    )
    Application.objects.filter(pk=application.pk).update(status=Status.PARTIAL)
    verification = application_document(Application.objects.get(pk=application.pk))[
        "verification"
    ]
    assert (verification["result"], verification["checks"]) == (
        "amber",
        [{"name": "date_of_birth", "outcome": "mismatch"}],
    )
    assert verification["checked_at"] is not None
