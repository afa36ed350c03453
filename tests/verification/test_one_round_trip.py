"""A submission on PostgreSQL sends its writes in one round trip
(`ier.core.inserts.one_round_trip`), its key with its duplicate lookup in another,
both as prepared statements; every guarantee of the ordinary transaction still holds
there, and anything the round trip cannot carry falls back to it.

PostgreSQL only: SQLite takes the ordinary way. Inside a test's own transaction the
gathered writes run in a savepoint; the last test commits for real, as a web
request does, from a connection of its own."""

import threading
import uuid
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection, connections
from django.test.utils import override_settings
from django_tasks_db.models import DBTaskResult

from ier.citizen import submission
from ier.core import inserts
from ier.registration import lifecycle
from ier.registration.models import Application, ApplicationEvent
from ier.verification import intake
from ier.verification.models import DuplicateCheck
from ier.verification.synthetic import application_for, submit
from ier.verification.tasks import QUEUE
from tests.verification.helpers import on_record, some_addresses

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the round trip is PostgreSQL's"
    ),
]


@contextmanager
def round_trips(monkeypatch):
    """The statements this thread's connection sends, in round trips: those of one
    psycopg pipeline travel together (one Sync, one wait for the answers), any other
    statement alone."""
    trips: list[list[str]] = []
    together = [False]
    pipeline = psycopg.Connection.pipeline

    @contextmanager
    def counted(self, *args, **kwargs):
        trips.append([])
        together[0] = True
        try:
            with pipeline(self, *args, **kwargs) as opened:
                yield opened
        finally:
            together[0] = False

    def record(execute, sql, params, many, context):
        if together[0]:
            trips[-1].append(sql)
        else:
            trips.append([sql])
        return execute(sql, params, many, context)

    monkeypatch.setattr(psycopg.Connection, "pipeline", counted)
    with connection.execute_wrapper(record):
        yield trips


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def an_application(exact: bool = False) -> Application:
    _people, cases = on_record(40)
    case = next(c for c in cases if c.variation == "exact") if exact else cases[0]
    return application_for(case, some_addresses(1)[0])


def written(application: Application) -> dict:
    return {
        "applications": Application.objects.filter(pk=application.pk).count(),
        "events": list(
            ApplicationEvent.objects.filter(application_id=application.pk)
            .order_by("pk")
            .values_list("event", flat=True)
        ),
        "tasks": [
            row.args_kwargs["kwargs"]["application_id"]
            for row in DBTaskResult.objects.filter(queue_name=QUEUE)
        ],
        "checks": DuplicateCheck.objects.filter(application_id=application.pk).count(),
    }


def test_a_submission_reaches_the_database_in_two_round_trips(monkeypatch):
    """The key with the duplicate lookup, then every write as one transaction."""
    application = an_application()
    assert inserts.gathering(Application)
    with round_trips(monkeypatch) as trips:
        submit(application)
    assert len(trips) == 2, trips
    assert trips[0][0].startswith("SELECT nextval")
    assert "registration_registerentry" in trips[0][1]
    inserted = [sql for sql in trips[1] if sql.startswith("INSERT INTO")]
    assert len(inserted) == 4
    assert written(application) == {
        "applications": 1,
        "events": ["submitted"],
        "tasks": [application.pk],
        "checks": 1,
    }


def test_the_statements_of_a_submission_are_prepared_once_per_connection():
    """Parsed and planned once, then sent with their values alone; Django's own
    queries are not prepared."""
    submit(an_application())
    prepared = prepared_statements()
    assert any("registration_registerentry" in sql for sql in prepared)
    assert any(
        sql.startswith('INSERT INTO "registration_application"') for sql in prepared
    )
    assert not any("geography_authority" in sql for sql in prepared)
    second = an_application()
    second.idempotency_key = uuid.uuid4().hex
    second.last_name = "Another"
    submit(second)
    assert sorted(prepared_statements()) == sorted(prepared)
    assert written(second)["checks"] == 1


@override_settings(IER_DB_PREPARED_STATEMENTS=False)
def test_without_prepared_statements_a_submission_is_the_same(monkeypatch):
    """For a connection pooler that cannot keep them: nothing is prepared, and the
    submission still takes two round trips and writes the same rows."""
    application = an_application()
    with round_trips(monkeypatch) as trips:
        submit(application)
    assert len(trips) == 2
    assert prepared_statements() == []
    assert written(application) == {
        "applications": 1,
        "events": ["submitted"],
        "tasks": [application.pk],
        "checks": 1,
    }


def test_a_duplicate_is_flagged_with_both_events_in_the_round_trip(monkeypatch):
    first = submit(an_application(exact=True))
    second = an_application(exact=True)
    with round_trips(monkeypatch) as trips:
        submit(second)
    assert len(trips) == 2
    second.refresh_from_db()
    assert second.possible_duplicate
    assert second.duplicate_check.pending_matches == [first.reference]
    event = second.events.get(event="possible_duplicate")
    assert event.detail == {
        "on_register": False,
        "pending_applications": [first.reference],
    }
    assert second.events.filter(event="submitted").count() == 1


def test_a_failing_write_in_the_round_trip_leaves_nothing_and_saves_the_ordinary_way(
    monkeypatch,
):
    """A check row the database refuses (too long for its column) fails the whole
    round trip; the ordinary attempts then save the application without it."""
    record = intake.duplicates.record

    def too_long(application, found):
        record(application, found._replace(match_key="x" * 500))

    monkeypatch.setattr(intake.duplicates, "record", too_long)
    application = an_application()
    submit(application)
    assert written(application) == {
        "applications": 1,
        "events": ["submitted"],
        "tasks": [application.pk],
        "checks": 0,
    }
    assert Application.objects.count() == 1
    # The connection is usable afterwards: the failed transaction was ended.
    assert inserts.gathering(Application)
    other = an_application()
    other.idempotency_key = uuid.uuid4().hex
    other.last_name = "Another"
    monkeypatch.setattr(intake.duplicates, "record", record)
    submit(other)
    assert written(other)["checks"] == 1


def test_a_step_that_writes_another_way_is_refused_and_saved_in_a_transaction():
    """An ORM write cannot join the round trip's transaction: it is stopped before
    it reaches the database and the application is saved the ordinary way, with
    that step's row in the same transaction."""
    made = []

    def orm_write(application, isolated):
        made.append(
            DBTaskResult.objects.create(
                args_kwargs={"args": [], "kwargs": {}},
                task_path="ier.verification.tasks.verify_application",
                queue_name="default",
                backend_name="default",
                run_after=application.submitted_at,
            ).pk
        )

    application = an_application()
    lifecycle.submit(application, lambda application, isolated: [], orm_write)
    assert written(application)["applications"] == 1
    assert written(application)["events"] == ["submitted"]
    # Only the ordinary attempt's row was written: the refused one never was.
    assert (
        list(
            DBTaskResult.objects.filter(queue_name="default").values_list(
                "pk", flat=True
            )
        )
        == made[-1:]
    )


def test_a_second_send_with_the_same_key_returns_the_first_application(monkeypatch):
    """A double click after the first send committed: the round trip fails on the
    key, nothing more is written and the person sees the first reference."""
    template = an_application()
    values = {
        field.attname: getattr(template, field.attname)
        for field in Application._meta.concrete_fields
        if field.attname
        in {
            "authority_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "address_line_1",
            "address_town",
            "address_postcode",
            "nationalities",
        }
    }
    monkeypatch.setattr(
        submission, "application_values", lambda journey, ctx: dict(values)
    )

    class Journey:
        kind = "ordinary"

    first = submission.submit(Journey(), None, "same-key")
    second = submission.submit(Journey(), None, "same-key")
    assert second.reference == first.reference
    assert Application.objects.count() == 1
    assert written(first)["events"] == ["submitted"]
    assert written(first)["tasks"] == [first.pk]


def in_a_connection_of_its_own(work):
    """Run `work` in another thread, whose connection is in autocommit and outside
    the test's transaction, as a web request's is; what it writes is committed."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def test_committed_for_real_as_one_transaction(monkeypatch):
    """Outside any transaction, as in a web request: the writes commit together in
    one statement; a refused one commits nothing and the ordinary way saves the
    application."""
    _people, cases = on_record(40)
    applications = [
        application_for(case, address)
        for case, address in zip(cases, some_addresses(2), strict=False)
    ]
    for number, application in enumerate(applications):
        application.last_name = "Committed" + "ab"[number]  # no duplicates here
    keys = [application.idempotency_key for application in applications]
    record = intake.duplicates.record

    def too_long(application, found):
        record(application, found._replace(match_key="x" * 500))

    def work():
        assert connection.get_autocommit() and not connection.in_atomic_block
        made = []
        for number, application in enumerate(applications):
            if number == 1:
                monkeypatch.setattr(intake.duplicates, "record", too_long)
            with round_trips(monkeypatch) as trips:
                submit(application)
            made.append((application.pk, len(trips)))
        return made

    try:
        (first, first_trips), (second, _) = in_a_connection_of_its_own(work)
        assert first_trips == 2
        for pk, checks in ((first, 1), (second, 0)):
            assert Application.objects.filter(pk=pk).count() == 1
            assert list(
                ApplicationEvent.objects.filter(application_id=pk).values_list(
                    "event", flat=True
                )
            ) == ["submitted"]
            assert (
                DBTaskResult.objects.filter(
                    queue_name=QUEUE, args_kwargs__kwargs__application_id=pk
                ).count()
                == 1
            )
            assert DuplicateCheck.objects.filter(application_id=pk).count() == checks
        assert Application.objects.filter(idempotency_key__in=keys).count() == 2
    finally:

        def clean():
            made = Application.objects.filter(idempotency_key__in=keys)
            pks = list(made.values_list("pk", flat=True))
            DuplicateCheck.objects.filter(application_id__in=pks).delete()
            DBTaskResult.objects.filter(
                args_kwargs__kwargs__application_id__in=pks
            ).delete()
            ApplicationEvent.objects.filter(application_id__in=pks).delete()
            made.delete()

        in_a_connection_of_its_own(clean)


def test_a_round_trip_that_fails_outside_a_transaction_writes_nothing():
    """As in a web request: the application and its event went before the failing
    row in the same round trip, and neither is kept."""
    from django.db import DatabaseError

    application = an_application()

    def work():
        assert connection.get_autocommit()
        with pytest.raises(DatabaseError), inserts.one_round_trip(Application):
            application.pk = inserts.draw_key(Application)()
            inserts.insert([application])
            event = ApplicationEvent(
                application=application,
                actor="citizen",
                event="submitted",
                to_status="submitted",
            )
            inserts.insert([event], keys=False)
            check = DuplicateCheck(
                application=application,
                authority_id=application.authority_id,
                match_key="x" * 500,
                on_register=False,
                pending_matches=[],
            )
            inserts.insert([check], keys=False)
        return application.pk

    pk = in_a_connection_of_its_own(work)
    assert pk is not None
    assert not Application.objects.filter(pk=pk).exists()
    assert not ApplicationEvent.objects.filter(application_id=pk).exists()


def test_a_key_asked_for_before_any_read_is_drawn_on_its_own(monkeypatch):
    """Without a date of birth there is no lookup to carry the key: it is drawn by
    itself, and the application is still written in the round trip."""
    application = an_application()
    application.date_of_birth = None
    with round_trips(monkeypatch) as trips:
        submit(application)
    assert len(trips) == 2, trips
    assert len(trips[0]) == 1 and trips[0][0].startswith("SELECT nextval")
    assert written(application)["events"] == ["submitted"]
    assert written(application)["tasks"] == [application.pk]


def test_keys_drawn_with_a_read_follow_the_sequence(monkeypatch):
    with round_trips(monkeypatch) as trips, inserts.one_round_trip(Application):
        first = inserts.draw_key(Application)
        second = inserts.draw_key(Application)
        assert inserts.select(Application, "SELECT %s::int", [41]) == [(41,)]
        assert second() == first() + 1
    assert len(trips) == 1 and len(trips[0]) == 3, trips
    assert inserts.next_key(Application) == second() + 1
