"""The demo loads a ward by-election and a constituency by-election in the
synthetic country, so placing polls by the postcode's divisions can be seen."""

import pytest

from ier.elections import demo
from ier.elections.models import Election, ElectionImport
from ier.elections.upcoming import councils_at, standing

pytestmark = pytest.mark.django_db


def names_at(postcode):
    return [
        e.division for e in standing(councils_at(postcode), postcode=postcode).in_time
    ]


def test_the_demo_loads_a_ward_and_a_constituency_by_election(tmp_path):
    lines = demo.prepare(tmp_path)
    assert Election.objects.count() == 2
    assert ElectionImport.objects.get().created == 2
    england = demo._first_address("England")
    wales = demo._first_address("Wales")
    assert names_at(england.postcode) == ["North ward"]
    assert names_at(wales.postcode) == ["Demo constituency"]
    inside, outside = lines[0].split("(postcode ")[1].split(" is in it; ")
    assert inside == england.postcode
    assert names_at(outside.split(" is not")[0]) == []
    # Once loaded, a second run of the demo loads nothing more.
    assert demo.prepare(tmp_path) == []
    assert ElectionImport.objects.count() == 1
