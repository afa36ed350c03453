import datetime

import pytest
from django.db import DatabaseError
from django_tasks_db.models import DBTaskResult

from ier.core import inserts
from ier.registration.models import Application, ApplicationEvent, RegisterEntry
from ier.registration.register import register_match_key
from ier.verification import intake
from ier.verification.models import DuplicateCheck
from ier.verification.synthetic import application_for, submit
from ier.verification.tasks import QUEUE
from tests.citizen.helpers import an_address, ordinary_answers
from tests.citizen.helpers import submit as submit_journey
from tests.verification.helpers import on_record, some_addresses

pytestmark = pytest.mark.django_db
ALREADY_REGISTERED = "It looks like you are already registered to vote at this address."


def register(
    address, first="Siân", last="O'Brien-Jones", born=datetime.date(1985, 2, 14)
):
    return RegisterEntry.objects.create(
        authority=address.authority,
        elector_number="E%d" % RegisterEntry.objects.count(),
        first_name=first,
        last_name=last,
        date_of_birth=born,
        address_line_1=address.line_1,
        postcode=address.postcode,
        match_key=register_match_key(first, last, born, address.postcode),
    )


def test_someone_already_on_the_register_is_told_on_the_confirmation_page(client):
    address = an_address("Wales")
    entry = register(address, first="SIAN", last="OBrien Jones")
    submit_journey(client, ordinary_answers(address))
    page = client.get("/register/complete/")
    assert ALREADY_REGISTERED in page.content.decode()
    application = Application.objects.get()
    assert application.possible_duplicate
    found = DuplicateCheck.objects.get(application=application)
    assert (found.on_register, found.register_entry) == (True, entry)
    event = ApplicationEvent.objects.get(
        application=application, event="possible_duplicate"
    )
    assert event.detail == {"on_register": True, "pending_applications": []}


def test_someone_not_on_the_register_is_not_told_so(client):
    address = an_address("Wales")
    register(address, born=datetime.date(1985, 2, 15))
    submit_journey(client, ordinary_answers(address))
    page = client.get("/register/complete/")
    assert ALREADY_REGISTERED not in page.content.decode()
    assert not Application.objects.get().possible_duplicate


def test_an_entry_for_another_council_does_not_count(client):
    address = an_address("Wales")
    elsewhere = an_address("England")
    entry = register(address)
    entry.authority = elsewhere.authority
    entry.save()
    submit_journey(client, ordinary_answers(address))
    assert ALREADY_REGISTERED not in client.get("/register/complete/").content.decode()


def test_a_second_application_from_the_same_person_is_a_possible_duplicate():
    _people, cases = on_record(40)
    case = next(c for c in cases if c.variation == "exact")
    address = some_addresses(1)[0]
    first = submit(application_for(case, address))
    second = submit(application_for(case, address))
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.possible_duplicate
    assert second.possible_duplicate
    assert second.duplicate_check.pending_matches == [first.reference]
    assert not second.duplicate_check.on_register


def test_without_a_date_of_birth_no_match_is_attempted():
    _people, cases = on_record(40)
    case = next(c for c in cases if c.variation == "exact")
    address = some_addresses(1)[0]
    application = application_for(case, address)
    application.date_of_birth = None
    submit(application)
    assert submit(application_for(case, address)).duplicate_check.pending_matches == []
    assert DuplicateCheck.objects.get(application=application).match_key == ""


@pytest.mark.parametrize("step", ["look_up", "record"])
def test_a_failing_duplicate_check_never_costs_the_applicant_their_application(
    monkeypatch, step
):
    def broken(*args):
        raise RuntimeError("bug")

    monkeypatch.setattr(intake.duplicates, step, broken)
    _people, cases = on_record(40)
    application = submit(application_for(cases[0], some_addresses(1)[0]))
    assert Application.objects.filter(pk=application.pk).exists()


def test_a_failing_queue_never_costs_the_applicant_their_application(monkeypatch):
    def broken(application_id):
        raise RuntimeError("queue down")

    monkeypatch.setattr(intake, "queue_verification", broken)
    _people, cases = on_record(40)
    application = submit(application_for(cases[0], some_addresses(1)[0]))
    assert Application.objects.filter(pk=application.pk).exists()
    assert DuplicateCheck.objects.filter(application=application).exists()


def test_a_failing_step_is_saved_again_once_with_the_other_steps_done(monkeypatch):
    """The first attempt rolls back whole; the second saves one application, one
    "submitted" event and one queued verification, without the failed step."""

    def broken(*args):
        raise RuntimeError("bug")

    monkeypatch.setattr(intake.duplicates, "record", broken)
    _people, cases = on_record(40)
    application = submit(application_for(cases[0], some_addresses(1)[0]))
    assert list(Application.objects.values_list("pk", flat=True)) == [application.pk]
    assert ApplicationEvent.objects.filter(event="submitted").count() == 1
    queued = DBTaskResult.objects.filter(queue_name=QUEUE)
    assert [row.args_kwargs["kwargs"]["application_id"] for row in queued] == [
        application.pk
    ]
    assert not DuplicateCheck.objects.exists()


def test_a_submission_that_cannot_be_saved_leaves_nothing_behind(monkeypatch):
    """A failure outside the submission's steps reaches the caller, and nothing of the
    application, its event or its queued work is written."""

    insert = inserts.insert

    def events_fail(rows, **options):
        # The application itself is written; its events are not.
        if isinstance(rows[0], ApplicationEvent):
            raise DatabaseError("disk full")
        insert(rows, **options)

    monkeypatch.setattr(inserts, "insert", events_fail)
    _people, cases = on_record(40)
    with pytest.raises(DatabaseError):
        submit(application_for(cases[0], some_addresses(1)[0]))
    assert not Application.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not DuplicateCheck.objects.exists()


def test_a_duplicate_whose_check_cannot_be_recorded_is_saved_unflagged(monkeypatch):
    """Flag, event and check are written together or not at all: the flag set
    before the insert does not survive into the isolated second attempt."""
    _people, cases = on_record(40)
    case = next(c for c in cases if c.variation == "exact")
    address = some_addresses(1)[0]
    submit(application_for(case, address))

    def broken(*args):
        raise RuntimeError("bug")

    monkeypatch.setattr(intake.duplicates, "record", broken)
    second = submit(application_for(case, address))
    second.refresh_from_db()
    assert not second.possible_duplicate
    assert not DuplicateCheck.objects.filter(application=second).exists()
    assert [e.event for e in second.events.order_by("pk")] == ["submitted"]


def test_a_duplicate_saved_in_the_isolated_attempt_is_still_flagged(monkeypatch):
    """When another step fails, the second attempt runs the whole check after the
    insert and still flags the duplicate, with its event and its check."""
    _people, cases = on_record(40)
    case = next(c for c in cases if c.variation == "exact")
    address = some_addresses(1)[0]
    first = submit(application_for(case, address))

    def broken(application_id):
        raise RuntimeError("queue down")

    monkeypatch.setattr(intake, "queue_verification", broken)
    second = submit(application_for(case, address))
    second.refresh_from_db()
    assert second.possible_duplicate
    assert second.duplicate_check.pending_matches == [first.reference]
    assert [e.event for e in second.events.order_by("pk")] == [
        "submitted",
        "possible_duplicate",
    ]


def test_a_duplicate_is_flagged_in_one_attempt_with_both_events():
    _people, cases = on_record(40)
    case = next(c for c in cases if c.variation == "exact")
    address = some_addresses(1)[0]
    first = submit(application_for(case, address))
    second = submit(application_for(case, address))
    second.refresh_from_db()
    assert second.possible_duplicate
    event = second.events.get(event="possible_duplicate")
    assert (event.actor, event.from_status, event.to_status) == (
        "duplicate check",
        "submitted",
        "submitted",
    )
    assert event.detail == {
        "on_register": False,
        "pending_applications": [first.reference],
    }
    assert second.events.filter(event="submitted").count() == 1


def test_the_confirmation_page_reads_everything_it_shows_in_one_query(
    client, django_assert_num_queries
):
    """The application, its council, the council's office and the duplicate check."""
    address = an_address()
    register(address, first="SIAN", last="OBrien Jones")
    submit_journey(client, ordinary_answers(address))
    with django_assert_num_queries(1):
        page = client.get("/register/complete/")
    assert ALREADY_REGISTERED in page.content.decode()
