"""The portal's work list of moved-out notices: an officer of the old council lists
them, reads one and marks it as dealt with, once; every step is audited, the
dashboard counts them, and no other council's officer sees them."""

import pytest
from django.utils import timezone

from ier.ero.models import AuditEntry
from ier.registration import handover, notices
from ier.registration.models import MovedOutNotice, Status
from tests.api.factories import councils_of_one_office, create_officer
from tests.ero.conftest import sign_in
from tests.registration.movers import create_home_mover, put_on_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(authorities):
    old, new = authorities
    mover = create_home_mover(new, old, previous_first_name="Annie")
    handover.determine(
        new, mover.reference, Status.ACCEPTED, timezone.localdate(), "", "ems:t"
    )
    return MovedOutNotice.objects.get()


def actions(authority):
    return list(
        AuditEntry.objects.filter(authority=authority).values_list("action", flat=True)
    )


def test_the_dashboard_counts_notices_to_deal_with(officer_client, notice):
    page = officer_client.get("/ero/")
    assert "1 moved-out notice to deal with" in page.content.decode()


def test_the_work_list_shows_the_old_councils_notices(officer_client, notice):
    page = officer_client.get("/ero/notices/")
    text = page.content.decode()
    assert page.status_code == 200
    assert notice.reference in text
    assert notice.full_name in text
    assert notice.new_authority.name in text
    assert "notice_list" in actions(notice.authority)


def test_reading_and_marking_a_notice_as_dealt_with(officer_client, notice, officer):
    page = officer_client.get("/ero/notices/%s/" % notice.reference)
    text = page.content.decode()
    assert notice.old_line_1 in text and notice.old_postcode in text
    assert "Annie" in text, "the previous name, under which the entry may be"
    assert "Mark as dealt with" in text

    done = officer_client.post("/ero/notices/%s/dealt-with/" % notice.reference)
    assert done.status_code == 302
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None
    assert notice.acknowledged_by == "officer:%s" % officer.user.username
    assert (
        officer_client.get("/ero/notices/").content.decode().count(notice.reference)
        == 0
    )
    dealt = officer_client.get("/ero/notices/?shown=dealt-with").content.decode()
    assert notice.reference in dealt
    assert actions(notice.authority).count("notice_dealt_with") == 1
    assert "notice_view" in actions(notice.authority)


def test_a_notice_already_dealt_with_is_not_dealt_with_again(officer_client, notice):
    notices.acknowledge(notice.authority, [notice.reference], "ems:abc")
    page = officer_client.post("/ero/notices/%s/dealt-with/" % notice.reference)
    assert page.status_code == 200
    assert "already been marked as dealt with" in page.content.decode()
    notice.refresh_from_db()
    assert notice.acknowledged_by == "ems:abc"
    assert "notice_dealt_with" not in actions(notice.authority)


def test_another_councils_officer_sees_nothing(client, notice, authorities):
    _old, new = authorities
    sign_in(client, create_officer(new))
    assert notice.reference not in client.get("/ero/notices/").content.decode()
    assert client.get("/ero/notices/%s/" % notice.reference).status_code == 404
    refused = client.post("/ero/notices/%s/dealt-with/" % notice.reference)
    assert refused.status_code == 404
    notice.refresh_from_db()
    assert notice.acknowledged_at is None


def test_a_joint_board_officer_works_the_notices_of_every_council_it_serves(
    client, authorities
):
    first, second, elsewhere = councils_of_one_office()
    _old, new = authorities
    mover = create_home_mover(new, None)
    put_on_register(first, mover, mover.address_postcode, "VJB-7")
    handover.determine(
        new, mover.reference, Status.ACCEPTED, timezone.localdate(), "", "ems:t"
    )
    notice = MovedOutNotice.objects.get()
    sign_in(client, create_officer(second))
    listed = client.get("/ero/notices/").content.decode()
    assert notice.reference in listed and first.name in listed
    assert "VJB-7" in client.get("/ero/notices/%s/" % notice.reference).content.decode()
    sign_in(client, create_officer(elsewhere))
    assert client.get("/ero/notices/%s/" % notice.reference).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, notice):
    for response in (
        client.get("/ero/notices/"),
        client.get("/ero/notices/%s/" % notice.reference),
        client.post("/ero/notices/%s/dealt-with/" % notice.reference),
    ):
        assert response.status_code == 302
        assert "/ero/sign-in/" in response["Location"]
    notice.refresh_from_db()
    assert notice.acknowledged_at is None
