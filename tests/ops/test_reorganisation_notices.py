"""A council merged into another: the moved-out notices addressed to it go to the
successor, which now keeps its register."""

from datetime import date

import pytest
from django.utils import timezone

from ier.geography.models import Authority
from ier.ops.reorganisation import Change, apply_changes
from ier.registration import handover
from ier.registration.models import MovedOutNotice, Status
from tests.api.factories import two_authorities
from tests.registration.movers import create_home_mover, put_on_register

pytestmark = pytest.mark.django_db


def test_notices_for_a_merged_council_go_to_its_successor():
    old, successor = Authority.objects.filter(gss_code__in=["E06000001", "E06000002"])
    _first, new = two_authorities()
    mover = create_home_mover(new, None)
    put_on_register(old, mover, mover.address_postcode, "HP-1")
    handover.determine(
        new, mover.reference, Status.ACCEPTED, timezone.localdate(), "", "ems:t"
    )
    assert MovedOutNotice.objects.get().authority == old

    [outcome] = apply_changes([Change(old, successor, date(2023, 4, 1))])

    notice = MovedOutNotice.objects.get()
    assert notice.authority == successor
    assert outcome.notices == 1
