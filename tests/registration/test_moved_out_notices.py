"""Moved-out notices are made when the new council accepts an application, once
per old council, from the previous address given or the other councils' registers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ier.registration import handover, lifecycle
from ier.registration.models import (
    ApplicationEvent,
    MovedOutNotice,
    Status,
)
from tests.api.factories import two_authorities
from tests.registration.movers import (
    create_home_mover,
    put_on_register,
    three_councils,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    return two_authorities()


def accept(application):
    return handover.determine(
        application.authority,
        application.reference,
        Status.ACCEPTED,
        timezone.localdate(),
        "",
        "ems:test",
    )


def test_accepting_a_home_mover_tells_the_old_council_once(councils):
    new, old = councils
    application = create_home_mover(new, old, middle_names="Jo")
    accept(application)
    accept(application)  # a repeat of the same determination

    notice = MovedOutNotice.objects.get()
    assert notice.authority == old
    assert notice.new_authority == new
    assert notice.source == MovedOutNotice.Source.PREVIOUS_ADDRESS
    assert (notice.first_name, notice.middle_names, notice.last_name) == (
        application.first_name,
        "Jo",
        application.last_name,
    )
    assert notice.date_of_birth == application.date_of_birth
    assert notice.old_uprn == application.previous_uprn
    assert notice.old_postcode == application.previous_postcode
    assert notice.registered_on == timezone.localdate()
    assert notice.applied_on == timezone.localdate(application.submitted_at)
    assert notice.acknowledged_at is None
    event = ApplicationEvent.objects.get(
        application=application, event="moved_out_notice"
    )
    assert event.detail == {"council": old.gss_code, "notice": notice.reference}


def test_a_notice_carries_no_nino_nationality_or_contact_details(councils):
    new, old = councils
    accept(create_home_mover(new, old, phone="01234 567890"))
    names = {field.name for field in MovedOutNotice._meta.get_fields()}
    assert not names & {
        "nino_encrypted",
        "nino_hash",
        "nationalities",
        "email",
        "phone",
    }


@pytest.mark.parametrize("outcome", [Status.REJECTED, Status.EVIDENCE_REQUESTED])
def test_no_notice_until_the_new_council_accepts(councils, outcome):
    new, old = councils
    application = create_home_mover(new, old)
    handover.determine(
        new, application.reference, outcome, timezone.localdate(), "", "ems:test"
    )
    assert not MovedOutNotice.objects.exists()


def test_no_notice_for_a_move_within_the_council(councils):
    new, _old = councils
    accept(create_home_mover(new, new))
    assert not MovedOutNotice.objects.exists()


def test_no_notice_without_a_previous_address_or_register_entry(councils):
    new, _old = councils
    accept(create_home_mover(new, None))
    assert not MovedOutNotice.objects.exists()


def test_a_typed_previous_address_is_placed_by_its_postcode(councils):
    new, old = councils
    application = create_home_mover(new, old, previous_uprn=None, previous_manual=True)
    accept(application)
    assert MovedOutNotice.objects.get().authority == old


def test_found_on_another_councils_register_without_a_previous_address(councils):
    new, old = councils
    application = create_home_mover(new, None)
    put_on_register(old, application, application.address_postcode, "OLD-17")
    accept(application)
    notice = MovedOutNotice.objects.get()
    assert (notice.authority, notice.source, notice.elector_number) == (
        old,
        MovedOutNotice.Source.REGISTER,
        "OLD-17",
    )


def test_previous_address_and_register_together_make_one_notice(councils):
    new, old = councils
    application = create_home_mover(new, old)
    put_on_register(old, application, application.previous_postcode, "OLD-18")
    accept(application)
    notice = MovedOutNotice.objects.get()
    assert (notice.source, notice.elector_number) == (
        MovedOutNotice.Source.BOTH,
        "OLD-18",
    )


def test_the_new_councils_own_register_sends_no_notice(councils):
    new, _old = councils
    application = create_home_mover(new, None)
    put_on_register(new, application, application.address_postcode, "NEW-1")
    accept(application)
    assert not MovedOutNotice.objects.exists()


def test_the_batch_path_tells_each_old_council_once(councils):
    new, old = councils
    movers = [create_home_mover(new, old) for _ in range(3)]
    stay = create_home_mover(new, None)
    now = timezone.now()
    lifecycle.move_locked(
        [a.pk for a in [*movers, stay]],
        Status.DOWNLOADED,
        Status.ACCEPTED,
        "ems:t",
        now,
    )
    notices = MovedOutNotice.objects.filter(authority=old)
    assert sorted(notices.values_list("application_id", flat=True)) == sorted(
        a.pk for a in movers
    )
    assert MovedOutNotice.objects.count() == 3


def test_a_council_found_by_its_register_gets_no_address_in_another_area():
    old, new, third = three_councils()
    application = create_home_mover(new, old)
    put_on_register(third, application, application.address_postcode, "T-9")
    accept(application)
    by_address = MovedOutNotice.objects.get(authority=old)
    by_register = MovedOutNotice.objects.get(authority=third)
    assert by_address.old_postcode == application.previous_postcode
    assert by_register.source == MovedOutNotice.Source.REGISTER
    assert by_register.elector_number == "T-9"
    assert (by_register.old_uprn, by_register.old_line_1, by_register.old_postcode) == (
        None,
        "",
        "",
    )
    assert by_register.first_name == application.first_name


def test_a_batch_looks_councils_up_in_the_same_queries_whatever_its_size(councils):
    new, old = councils

    def queries_to_accept(count):
        movers = [create_home_mover(new, old) for _ in range(count)]
        for mover in movers:
            put_on_register(old, mover, mover.previous_postcode, "R-%d" % mover.pk)
        with CaptureQueriesContext(connection) as queries:
            lifecycle.move_locked(
                [m.pk for m in movers],
                Status.DOWNLOADED,
                Status.ACCEPTED,
                "ems:t",
                timezone.now(),
            )
        assert MovedOutNotice.objects.filter(application__in=movers).count() == count
        return len(queries)

    assert queries_to_accept(2) == queries_to_accept(12)
