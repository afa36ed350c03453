"""Two EMS clients of the old council acknowledging the same moved-out notices at
the same moment: each notice is acknowledged by exactly one of them, and the other
is told it already was."""

from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone

from ier.api.models import ApiToken
from ier.registration import lifecycle
from ier.registration.models import MovedOutNotice, Status
from tests.api.factories import bearer, create_token
from tests.races import at_once, committed, committed_applications, postgresql_only
from tests.registration.movers import create_home_mover

pytestmark = [pytest.mark.django_db, postgresql_only]
__all__ = ["committed_applications"]

RACERS = 2


def test_racing_acknowledgements_acknowledge_each_notice_once(
    committed_applications, authorities
):
    new, old = authorities

    def notices_for_old_council():
        movers = [create_home_mover(new, old) for _ in range(30)]
        lifecycle.move_locked(
            [m.pk for m in movers],
            Status.DOWNLOADED,
            Status.ACCEPTED,
            "ems:test",
            timezone.now(),
        )
        made = MovedOutNotice.objects.filter(authority=old)
        return list(made.values_list("reference", flat=True)), [
            create_token(old, "EMS %d" % n) for n in range(RACERS)
        ]

    references, secrets = committed(notices_for_old_council)
    assert len(references) == 30

    def acknowledge(secret, order):
        def send():
            response = Client().post(
                "/api/v1/notices/acknowledgements",
                {"references": order},
                content_type="application/json",
                **bearer(secret),
            )
            assert response.status_code == 200, response.content
            return response.json()

        return send

    # The second client sends the batch backwards: each locks in key order anyway.
    try:
        answers = at_once(
            acknowledge(secrets[0], references),
            acknowledge(secrets[1], references[::-1]),
        )
    finally:
        committed(lambda: ApiToken.objects.filter(authority=old).delete())

    acknowledged = Counter(ref for answer in answers for ref in answer["acknowledged"])
    assert acknowledged == Counter(references), "each by exactly one client"
    for answer in answers:
        assert answer["not_acknowledged"] == []
        assert sorted(answer["acknowledged"] + answer["already_acknowledged"]) == (
            sorted(references)
        ), "the other is told it was already acknowledged"
    acknowledgers = Counter(
        MovedOutNotice.objects.filter(reference__in=references).values_list(
            "acknowledged_by", flat=True
        )
    )
    assert sum(acknowledgers.values()) == len(references)
    assert "" not in acknowledgers
