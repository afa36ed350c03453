"""The whole way, over HTTP: a person who moved from one council to another
applies online, giving the previous address; the new council's EMS pulls,
acknowledges and accepts the application; the old council's EMS finds exactly one
notice and acknowledges it once."""

import pytest
from django.test import Client
from django.utils import timezone

from ier.registration import lifecycle
from ier.registration.models import Application, Status
from tests.api.factories import bearer, create_token
from tests.citizen.helpers import an_address, ordinary_answers, submit

pytestmark = pytest.mark.django_db


def a_previous_address_in_another_council(home):
    index = 1
    while (previous := an_address("England", index)).authority_id == home.authority_id:
        index += 1
    return previous


def test_an_online_home_mover_makes_one_notice_for_the_old_council(client):
    home = an_address("England", 0)
    previous = a_previous_address_in_another_council(home)
    answers = ordinary_answers(
        home,
        moved={"moved": "from-uk"},
        **{
            "previous-address": {"postcode": previous.postcode},
            "previous-address-select": {"uprn": str(previous.uprn)},
        },
    )
    submit(client, answers)
    application = Application.objects.get()
    # The identity check, as the worker makes it.
    lifecycle.transition(application, Status.VERIFIED, "verification")

    ems = Client()
    new_token = create_token(home.authority)
    old_token = create_token(previous.authority)
    assert ems.get("/api/v1/notices", **bearer(old_token)).json()["items"] == []
    [pulled] = ems.get("/api/v1/applications", **bearer(new_token)).json()["items"]
    ems.post(
        "/api/v1/acknowledgements",
        {"references": [pulled["reference"]]},
        content_type="application/json",
        **bearer(new_token),
    )
    assert ems.get("/api/v1/notices", **bearer(old_token)).json()["items"] == [], (
        "no notice before the new council decides"
    )
    decided = ems.post(
        "/api/v1/applications/%s/determination" % pulled["reference"],
        {"outcome": "accepted", "date": timezone.localdate().isoformat()},
        content_type="application/json",
        **bearer(new_token),
    )
    assert decided.status_code == 200, decided.content

    [notice] = ems.get("/api/v1/notices", **bearer(old_token)).json()["items"]
    assert notice["name"]["first_name"] == "Siân"
    assert notice["old_address"]["uprn"] == previous.uprn
    assert notice["new_council"]["gss_code"] == home.authority.gss_code
    assert ems.get("/api/v1/notices", **bearer(new_token)).json()["items"] == []
    answers = [
        ems.post(
            "/api/v1/notices/acknowledgements",
            {"references": [notice["reference"]]},
            content_type="application/json",
            **bearer(old_token),
        ).json()
        for _ in range(2)
    ]
    assert [a["acknowledged"] for a in answers] == [[notice["reference"]], []]
    assert answers[1]["already_acknowledged"] == [notice["reference"]]
