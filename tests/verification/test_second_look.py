"""The worker's second look for duplicates: two applications from one person whose
submissions each looked before the other was saved are flagged once the worker
claims them, the later one pointing at the earlier, on the batch path and the
single one, exactly once."""

import datetime
from unittest import mock

import pytest
from django.test import override_settings

from ier.identity.models import Person, SyntheticApplicant
from ier.registration.document import application_document
from ier.registration.models import Application, ApplicationEvent, Status
from ier.verification import duplicates, intake, pipeline
from ier.verification.client import IdentityClient
from ier.verification.models import DuplicateCheck
from ier.verification.synthetic import application_for, submit
from ier.verification.tasks import verify_application
from tests.api.factories import create_officer
from tests.ero.conftest import sign_in
from tests.races import at_once, committed, committed_applications, postgresql_only
from tests.verification.helpers import (
    IDENTITY_URL,
    a_verifier,
    drain,
    identity_transport,
    on_record,
    some_addresses,
)

pytestmark = pytest.mark.django_db
__all__ = ["committed_applications"]


def one_person():
    _people, cases = on_record(40)
    case = next(c for c in cases if c.variation == "exact")
    return case, some_addresses(1)[0]


def submitted_unseen(case, address, **fields) -> Application:
    """An application submitted while another from the same person was still being
    saved: its lookup saw none, but it knows its own match key."""
    look_up = duplicates.look_up

    def before_the_other_committed(application):
        return duplicates.Found(look_up(application).match_key, None, [])

    application = application_for(case, address)
    for name, value in fields.items():
        setattr(application, name, value)
    with mock.patch.object(intake.duplicates, "look_up", before_the_other_committed):
        return submit(application)


def a_pair_that_raced():
    case, address = one_person()
    earlier = submit(application_for(case, address))
    later = submitted_unseen(case, address)
    assert not Application.objects.filter(possible_duplicate=True).exists()
    return earlier, later


def flags():
    return list(
        ApplicationEvent.objects.filter(event="possible_duplicate")
        .order_by("application_id")
        .values_list("application_id", "actor", "from_status", "to_status", "detail")
    )


def test_the_worker_flags_the_later_of_two_that_did_not_see_each_other():
    earlier, later = a_pair_that_raced()
    drain(a_verifier())
    earlier.refresh_from_db()
    later.refresh_from_db()
    assert (earlier.possible_duplicate, later.possible_duplicate) == (False, True)
    assert flags() == [
        (
            later.pk,
            "duplicate check",
            Status.SUBMITTED,
            Status.SUBMITTED,
            {"on_register": False, "pending_applications": [earlier.reference]},
        )
    ], "the event the submission would have written"
    assert later.duplicate_check.pending_matches == [earlier.reference]
    assert [e.event for e in later.events.order_by("at", "pk")] == [
        "submitted",
        "possible_duplicate",
        "verifying",
        "verification",
    ]
    assert later.status == Status.VERIFIED, "the flag did not cost it its claim"


def test_the_flag_shows_in_the_document_an_ems_receives():
    _earlier, later = a_pair_that_raced()
    drain(a_verifier())
    later.refresh_from_db()
    assert application_document(later)["flags"]["possible_duplicate"] is True


def test_the_officer_sees_the_later_one_as_a_possible_duplicate(client):
    earlier, later = a_pair_that_raced()
    drain(a_verifier())
    sign_in(client, create_officer(later.authority))
    page = client.get("/ero/applications/%s/" % later.reference).content.decode()
    assert page.count("Possible duplicate") == 2, "the tag, and the event in history"
    page = client.get("/ero/applications/%s/" % earlier.reference).content.decode()
    assert "Possible duplicate" not in page


def test_the_task_run_on_its_own_takes_the_second_look_too(monkeypatch):
    earlier, later = a_pair_that_raced()
    transport = identity_transport()
    monkeypatch.setattr(
        pipeline,
        "IdentityClient",
        lambda **kwargs: IdentityClient(base_url=IDENTITY_URL, transport=transport),
    )
    assert verify_application.call(application_id=earlier.pk) == Status.VERIFIED
    assert verify_application.call(application_id=later.pk) == Status.VERIFIED
    assert [(pk, detail) for pk, *_, detail in flags()] == [
        (later.pk, {"on_register": False, "pending_applications": [earlier.reference]})
    ]


def test_a_duplicate_flagged_at_submission_is_not_flagged_again():
    case, address = one_person()
    earlier = submit(application_for(case, address))
    later = submit(application_for(case, address))
    drain(a_verifier())
    assert [(pk, detail) for pk, *_, detail in flags()] == [
        (later.pk, {"on_register": False, "pending_applications": [earlier.reference]})
    ]


def test_two_at_once_are_still_each_flagged_once_when_claimed_together():
    """Both in one batch; a third, later again, points at both."""
    case, address = one_person()
    first = submit(application_for(case, address))
    second = submitted_unseen(case, address)
    third = submitted_unseen(case, address)
    drain(a_verifier(batch_size=10))
    assert [(pk, detail["pending_applications"]) for pk, *_, detail in flags()] == [
        (second.pk, [first.reference]),
        (third.pk, [first.reference, second.reference]),
    ]


def test_an_earlier_application_outside_the_window_is_not_counted():
    case, address = one_person()
    earlier = submit(application_for(case, address))
    Application.objects.filter(pk=earlier.pk).update(
        submitted_at=earlier.submitted_at - datetime.timedelta(hours=2)
    )
    submitted_unseen(case, address)
    with override_settings(DUPLICATE_SECOND_LOOK_SECONDS=3600):
        drain(a_verifier())
    assert flags() == []


def test_an_earlier_application_already_decided_is_not_counted():
    case, address = one_person()
    earlier = submit(application_for(case, address))
    Application.objects.filter(pk=earlier.pk).update(status=Status.REJECTED)
    submitted_unseen(case, address)
    drain(a_verifier())
    assert flags() == []


def test_an_application_from_someone_else_is_not_counted():
    _people, cases = on_record(40)
    one, other = [c for c in cases if c.variation == "exact"][:2]
    address = some_addresses(1)[0]
    submit(application_for(one, address))
    submitted_unseen(other, address)
    drain(a_verifier())
    assert flags() == []


def test_without_a_date_of_birth_the_second_look_finds_nothing():
    case, address = one_person()
    first = application_for(case, address)
    first.date_of_birth = None
    submit(first)
    submitted_unseen(case, address, date_of_birth=None)
    drain(a_verifier())
    assert DuplicateCheck.objects.filter(match_key="").count() == 2
    assert flags() == []


def submitted_without_its_check(case, address) -> Application:
    """Saved after its duplicate check failed: kept, unflagged, with no check."""
    with mock.patch.object(intake.duplicates, "record", side_effect=RuntimeError):
        application = submit(application_for(case, address))
    assert not DuplicateCheck.objects.filter(application=application).exists()
    return application


def test_an_application_saved_without_its_check_is_checked_when_claimed():
    case, address = one_person()
    earlier = submit(application_for(case, address))
    later = submitted_without_its_check(case, address)
    drain(a_verifier())
    later.refresh_from_db()
    assert later.possible_duplicate
    assert later.duplicate_check.pending_matches == [earlier.reference]
    assert later.duplicate_check.match_key == earlier.duplicate_check.match_key
    assert [e.event for e in later.events.order_by("at", "pk")] == [
        "submitted",
        "possible_duplicate",
        "verifying",
        "verification",
    ]
    assert [(pk, detail) for pk, *_, detail in flags()] == [
        (later.pk, {"on_register": False, "pending_applications": [earlier.reference]})
    ]


def test_an_unchecked_application_of_no_one_else_gets_its_check_unflagged():
    case, address = one_person()
    alone = submitted_without_its_check(case, address)
    drain(a_verifier())
    alone.refresh_from_db()
    assert alone.duplicate_check.match_key
    assert not alone.possible_duplicate
    assert flags() == []


def test_the_second_look_leaves_flagged_applications_alone():
    earlier, later = a_pair_that_raced()
    now = datetime.datetime.now(datetime.UTC)
    assert duplicates.second_look([earlier.pk, later.pk], now) == [later.pk]
    assert duplicates.second_look([earlier.pk, later.pk], now) == []
    assert len(flags()) == 1


def forget_the_people():
    SyntheticApplicant.objects.all().delete()
    Person.objects.all().delete()


@pytest.fixture
def raced(committed_applications):
    """A pair that raced, committed, and the people behind it forgotten after."""
    try:
        yield committed(a_pair_that_raced)
    finally:
        committed(forget_the_people)


@postgresql_only
def test_two_connections_taking_the_second_look_at_once_flag_once(raced):
    earlier, later = raced
    ids = [earlier.pk, later.pk]
    now = datetime.datetime.now(datetime.UTC)
    results = at_once(*(lambda: duplicates.second_look(ids, now) for _ in range(3)))
    assert sorted(results) == [[], [], [later.pk]]
    assert [pk for pk, *_ in flags()] == [later.pk]


@postgresql_only
def test_connections_checking_an_unchecked_application_at_once_check_it_once(
    committed_applications,
):
    def pair():
        case, address = one_person()
        return submit(application_for(case, address)), submitted_without_its_check(
            case, address
        )

    try:
        earlier, later = committed(pair)
        ids = [earlier.pk, later.pk]
        now = datetime.datetime.now(datetime.UTC)
        results = at_once(*(lambda: duplicates.second_look(ids, now) for _ in range(3)))
    finally:
        committed(forget_the_people)
    assert sorted(results) == [[], [], [later.pk]]
    assert DuplicateCheck.objects.filter(application_id__in=ids).count() == 2
    assert [(pk, detail) for pk, *_, detail in flags()] == [
        (later.pk, {"on_register": False, "pending_applications": [earlier.reference]})
    ]


@postgresql_only
def test_two_workers_claiming_a_pair_at_once_flag_the_later_once(raced):
    """Each worker takes one application of the pair at the same moment."""
    earlier, later = raced

    def worker(name):
        return lambda: a_verifier(worker=name, batch_size=1).verify_next_batch()

    assert at_once(worker("first-worker"), worker("second-worker")) == [1, 1]
    assert [(pk, detail) for pk, *_, detail in flags()] == [
        (later.pk, {"on_register": False, "pending_applications": [earlier.reference]})
    ]
    assert (
        sorted(
            Application.objects.filter(pk__in=[earlier.pk, later.pk]).values_list(
                "status", flat=True
            )
        )
        == [Status.VERIFIED] * 2
    )
