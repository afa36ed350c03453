"""`ier.core.inserts.insert`: rows written as `save()` writes them, keys read back."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from ier.core import inserts
from ier.registration.models import Application, ApplicationEvent, Status
from tests.api.factories import two_authorities

pytestmark = pytest.mark.django_db


def an_application(reference: str, key: str) -> Application:
    authority, _other = two_authorities()
    application = Application(
        reference=reference,
        idempotency_key=key,
        journey="ordinary",
        status=Status.SUBMITTED,
        authority=authority,
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=date(1985, 12, 10),
        details={"passport": {"number": "502135326"}},
    )
    application.nino = "AB123456C"
    return application


def test_an_inserted_application_reads_back_as_saved():
    application = an_application("BCDFGHJKMN", "key-1")
    inserts.insert([application])
    assert application.pk is not None
    assert not application._state.adding
    stored = Application.objects.get(pk=application.pk)
    assert stored.date_of_birth == date(1985, 12, 10)
    assert stored.details == {"passport": {"number": "502135326"}}
    assert stored.nino == "AB123456C"
    assert stored.submitted_at is not None and stored.updated_at is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_of_birth, details FROM registration_application WHERE id = %s",
            [application.pk],
        )
        born, details = cursor.fetchone()
    assert "1985" not in born and "502135326" not in details  # encrypted


def test_several_rows_get_their_own_keys_in_order():
    application = an_application("BCDFGHJKMP", "key-2")
    inserts.insert([application])
    events = [
        ApplicationEvent(application=application, actor="citizen", event=name)
        for name in ("first", "second", "third")
    ]
    inserts.insert(events)
    assert {e.pk: e.event for e in events} == dict(
        ApplicationEvent.objects.values_list("pk", "event")
    )


def test_a_unique_column_still_refuses_a_second_row():
    inserts.insert([an_application("BCDFGHJKMQ", "key-3")])
    with pytest.raises(IntegrityError), transaction.atomic():
        inserts.insert([an_application("BCDFGHJKMR", "key-3")])
