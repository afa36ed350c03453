"""Two EMS clients sending the same applications at the same moment (a retry sent
while the first request is still running, on two connections): each line makes one
application, whoever wins, and every answer gives that application's reference."""

from collections import Counter

import pytest
from django.test import Client

from ier.api.models import ApiToken
from ier.registration.models import Application, ApplicationEvent
from tests.api.factories import bearer, create_token
from tests.api.test_submissions import a_record, address_of
from tests.races import at_once, committed, committed_applications, postgresql_only

pytestmark = [pytest.mark.django_db, postgresql_only]
__all__ = ["committed_applications"]

RACERS = 4
LINES = 30


@pytest.mark.parametrize("by", ["council_reference", "idempotency_key"])
def test_racing_sends_of_one_batch_make_each_application_once(
    committed_applications, authority, by
):
    secret = committed(lambda: create_token(authority))
    address = address_of(authority)
    records = [
        a_record(
            address,
            first_name="Racer",
            last_name="Number %s" % chr(ord("a") + n % 26),
            council_reference="RACE-%d" % n if by == "council_reference" else "",
        )
        for n in range(LINES)
    ]
    headers = bearer(secret)
    if by == "idempotency_key":
        headers["HTTP_IDEMPOTENCY_KEY"] = "race-batch-1"

    def send():
        response = Client().post(
            "/api/v1/applications",
            {"applications": records},
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 200, response.content
        return response.json()

    try:
        answers = at_once(*([send] * RACERS))
    finally:
        committed(lambda: ApiToken.objects.filter(authority=authority).delete())

    made = Application.objects.filter(authority=authority, first_name="Racer")
    assert made.count() == LINES
    references = set(made.values_list("reference", flat=True))
    accepted = Counter(
        line["reference"]
        for answer in answers
        for line in answer["results"]
        if line["outcome"] == "accepted"
    )
    assert accepted == Counter(references), "each line accepted by exactly one send"
    for answer in answers:
        assert answer["refused"] == 0
        assert {line["reference"] for line in answer["results"]} == references
    submitted = ApplicationEvent.objects.filter(application__in=made, event="submitted")
    assert submitted.count() == LINES
