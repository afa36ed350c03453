"""Two EMS clients acknowledging the same applications at the same moment (a
retry sent while the first request is still running): each application is handed
over once, with one "downloaded" event, and every response tells its client the
truth about each reference."""

from collections import Counter

import pytest
from django.test import Client

from ier.api.models import ApiToken
from ier.registration.models import Application, ApplicationEvent, Status
from tests.api.factories import bearer, create_application, create_token
from tests.races import at_once, committed, committed_applications, postgresql_only

pytestmark = [pytest.mark.django_db, postgresql_only]
__all__ = ["committed_applications"]

RACERS = 4


def test_racing_acknowledgements_hand_each_application_over_once(
    committed_applications, authority
):
    def ready_applications():
        made = [create_application(authority, Status.VERIFIED) for _ in range(40)]
        return [application.reference for application in made], create_token(authority)

    references, secret = committed(ready_applications)

    def acknowledge(order):
        def send():
            response = Client().post(
                "/api/v1/acknowledgements",
                {"references": order},
                content_type="application/json",
                **bearer(secret),
            )
            assert response.status_code == 200, response.content
            return response.json()

        return send

    # Half the clients list the batch backwards: each locks in key order anyway.
    try:
        answers = at_once(
            *(acknowledge(references[:: 1 if n % 2 else -1]) for n in range(RACERS))
        )
    finally:
        committed(lambda: ApiToken.objects.filter(authority=authority).delete())

    handed = Counter(ref for answer in answers for ref in answer["acknowledged"])
    assert handed == Counter(references), "each acknowledged to exactly one client"
    for answer in answers:
        assert answer["not_acknowledged"] == []
        assert sorted(answer["acknowledged"] + answer["already_acknowledged"]) == (
            sorted(references)
        ), "the others are told it was already acknowledged"
    applications = Application.objects.filter(reference__in=references)
    assert set(applications.values_list("status", flat=True)) == {Status.DOWNLOADED}
    downloaded = Counter(
        ApplicationEvent.objects.filter(
            application__in=applications, event="downloaded"
        ).values_list("application_id", flat=True)
    )
    assert sorted(downloaded.values()) == [1] * len(references)
