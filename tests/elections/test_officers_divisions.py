"""Officers and EMS see an application as in time for a poll in one ward, county
division or constituency only when its postcode is there (or the postcode has no
division data), and an overseas application as in time for UK Parliament polls
only: as the applicant was told."""

import pytest

from ier.ero.queue import work_queue
from ier.geography.models import PostcodeDivision
from ier.registration.models import Application, Status
from tests.api.factories import create_application, create_token
from tests.elections.factories import create_election, weeks_ahead

pytestmark = pytest.mark.django_db
WARD, OTHER_WARD = "E05900901", "E05900902"


def sent(authority, postcode, journey="ordinary"):
    application = create_application(authority, Status.VERIFIED)
    Application.objects.filter(pk=application.pk).update(
        address_postcode=postcode, journey=journey
    )
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def applications(authority):
    PostcodeDivision.objects.create(postcode="ZZ1 1AA", ward_gss=WARD)
    PostcodeDivision.objects.create(postcode="ZZ1 1AB", ward_gss=OTHER_WARD)
    create_election(
        [authority],
        weeks_ahead(6),
        election_id="local.test.ward.2027-01-21",
        division="Rose Hill",
        division_gss=WARD,
    )
    return {
        "in the ward": sent(authority, "ZZ1 1AA"),
        "in another ward": sent(authority, "ZZ1 1AB"),
        "no division data": sent(authority, "ZZ1 1AC"),
        "overseas in the ward": sent(authority, "ZZ1 1AA", journey="overseas"),
    }


def listed(client, authority, query=""):
    headers = {"Authorization": "Bearer %s" % create_token(authority)}
    items = client.get("/api/v1/applications" + query, headers=headers).json()
    return {
        i["reference"]: [e["election_id"] for e in i["elections"]]
        for i in items["items"]
    }


def test_the_ems_api_lists_a_ward_poll_only_for_postcodes_in_the_ward(
    client, authority, applications
):
    elections = listed(client, authority)
    expected = {
        "in the ward": ["local.test.ward.2027-01-21"],
        "in another ward": [],
        "no division data": ["local.test.ward.2027-01-21"],
        "overseas in the ward": [],
    }
    assert {k: elections[a.reference] for k, a in applications.items()} == expected
    only = listed(client, authority, "?election=local.test.ward.2027-01-21")
    assert set(only) == {
        applications["in the ward"].reference,
        applications["no division data"].reference,
    }


def test_the_work_queue_gives_a_ward_poll_only_to_those_it_covers(
    authority, applications
):
    """The queue's deadline follows the same rule as the EMS document: a ward poll
    for postcodes in the ward or without division data, never for another ward's,
    and never for an overseas elector."""
    queue = {a.pk: a.next_deadline for a in work_queue(authority)}
    assert queue[applications["in the ward"].pk] is not None
    assert queue[applications["no division data"].pk] is not None
    assert queue[applications["in another ward"].pk] is None
    assert queue[applications["overseas in the ward"].pk] is None


def test_another_wards_application_is_not_put_first_by_a_ward_by_election(authority):
    """Two applications in one council, a by-election in one ward: the other
    ward's application, though amber and older, comes after the one the poll is
    for."""
    PostcodeDivision.objects.create(postcode="ZZ1 1AA", ward_gss=WARD)
    PostcodeDivision.objects.create(postcode="ZZ1 1AB", ward_gss=OTHER_WARD)
    elsewhere = create_application(
        authority, Status.PARTIAL, address_postcode="ZZ1 1AB"
    )
    in_ward = create_application(authority, Status.VERIFIED, address_postcode="ZZ1 1AA")
    create_election(
        [authority],
        weeks_ahead(6),
        election_id="local.test.ward.2027-01-21",
        division="Rose Hill",
        division_gss=WARD,
    )
    assert [a.pk for a in work_queue(authority)] == [in_ward.pk, elsewhere.pk]


def test_the_work_queue_counts_a_county_division_or_constituency_poll_there(
    authority,
):
    """A poll in a county division or a constituency is matched on those codes."""
    PostcodeDivision.objects.create(
        postcode="ZZ1 1AA", county_division_gss="E58900001", constituency_gss=""
    )
    PostcodeDivision.objects.create(postcode="ZZ1 1AB", constituency_gss="E14900001")
    division = sent(authority, "ZZ1 1AA")
    constituency = sent(authority, "ZZ1 1AB")
    create_election(
        [authority],
        weeks_ahead(5),
        election_id="local.test.ced",
        division_gss="E58900001",
    )
    create_election(
        [authority],
        weeks_ahead(7),
        election_type="parl",
        election_id="parl.test.pcon",
        division_gss="E14900001",
    )
    queue = {a.pk: a.next_deadline for a in work_queue(authority)}
    assert queue[division.pk] < queue[constituency.pk]


def test_overseas_applications_count_for_uk_parliament_polls(
    client, authority, applications
):
    create_election([authority], weeks_ahead(8), election_type="parl")
    elections = listed(client, authority)
    overseas = elections[applications["overseas in the ward"].reference]
    assert overseas == ["parl.test-%d.%s" % (authority.pk, weeks_ahead(8).isoformat())]


def test_ward_polls_on_one_day_are_matched_together_in_the_queue(authority):
    """A day of ward elections (one poll per ward, as a council's CSV lists them)
    shares one deadline: each ward's applications are in time, a third ward's and
    overseas electors' are not, and a council-wide poll that day covers all."""
    third = "E05900903"
    for postcode, ward in (("ZZ1 1AA", WARD), ("ZZ1 1AB", OTHER_WARD)):
        PostcodeDivision.objects.create(postcode=postcode, ward_gss=ward)
    PostcodeDivision.objects.create(postcode="ZZ1 1AD", ward_gss=third)
    found = {
        "first ward": sent(authority, "ZZ1 1AA"),
        "second ward": sent(authority, "ZZ1 1AB"),
        "third ward": sent(authority, "ZZ1 1AD"),
        "overseas": sent(authority, "ZZ1 1AA", journey="overseas"),
    }
    for n, ward in enumerate((WARD, OTHER_WARD)):
        create_election(
            [authority], weeks_ahead(6), election_id="local.w%d" % n, division_gss=ward
        )
    queue = {a.pk: a.next_deadline for a in work_queue(authority)}
    assert {k: queue[a.pk] is not None for k, a in found.items()} == {
        "first ward": True,
        "second ward": True,
        "third ward": False,
        "overseas": False,
    }
    create_election([authority], weeks_ahead(6), election_id="local.all")
    queue = {a.pk: a.next_deadline for a in work_queue(authority)}
    assert queue[found["third ward"].pk] == queue[found["first ward"].pk]
    assert queue[found["overseas"].pk] is None
