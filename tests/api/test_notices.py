"""Moved-out notices end to end over HTTP: the new council's EMS accepts a home
mover, the old council's EMS lists the notice and acknowledges it exactly once;
no other council sees it, except the councils served by the same registration
office (a Scottish Valuation Joint Board)."""

import pytest
from django.utils import timezone

from ier.ero.models import AuditEntry
from ier.registration.models import MovedOutNotice
from tests.api.factories import bearer, councils_of_one_office, create_token
from tests.registration.movers import create_home_mover, put_on_register, three_councils

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    return three_councils()


def accept_over_http(client, token, reference):
    response = client.post(
        "/api/v1/applications/%s/determination" % reference,
        {"outcome": "accepted", "date": timezone.localdate().isoformat()},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 200, response.content


def list_notices(client, token, **params):
    response = client.get("/api/v1/notices", params, **bearer(token))
    assert response.status_code == 200, response.content
    return response.json()


def acknowledge(client, token, references):
    response = client.post(
        "/api/v1/notices/acknowledgements",
        {"references": references},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_home_mover_produces_one_notice_acknowledged_once(client, councils):
    old, new, _other = councils
    mover = create_home_mover(new, old)
    new_token, old_token = create_token(new), create_token(old)

    accept_over_http(client, new_token, mover.reference)
    accept_over_http(client, new_token, mover.reference)  # a retry

    [item] = list_notices(client, old_token)["items"]
    assert list_notices(client, old_token)["items"] == [item], "listing changes nothing"
    assert item["authority"] == old.gss_code
    assert item["found_by"] == "previous_address"
    assert item["name"]["first_name"] == mover.first_name
    assert item["date_of_birth"] == mover.date_of_birth.isoformat()
    assert item["old_address"]["uprn"] == mover.previous_uprn
    assert item["old_address"]["postcode"] == mover.previous_postcode
    assert item["new_council"] == {"gss_code": new.gss_code, "name": new.name}
    assert item["registered_on"] == timezone.localdate().isoformat()
    assert item["acknowledged_at"] is None
    for withheld in (
        "nino",
        "nationalities",
        "email",
        "phone",
        "reference_of_application",
    ):
        assert withheld not in item
    assert mover.reference not in str(item), "the new council's reference stays there"

    first = acknowledge(client, old_token, [item["reference"]])
    again = acknowledge(client, old_token, [item["reference"].lower()])
    assert first == {
        "acknowledged": [item["reference"]],
        "already_acknowledged": [],
        "not_acknowledged": [],
    }
    assert again == {
        "acknowledged": [],
        "already_acknowledged": [item["reference"]],
        "not_acknowledged": [],
    }
    assert list_notices(client, old_token)["items"] == []
    [seen] = list_notices(client, old_token, state="all")["items"]
    assert seen["acknowledged_at"] is not None
    assert MovedOutNotice.objects.count() == 1
    actions = set(
        AuditEntry.objects.filter(authority=old).values_list("action", flat=True)
    )
    assert {"api.notices.list", "api.notices.acknowledge"} <= actions


def test_the_new_council_and_any_other_council_see_none_of_it(client, councils):
    old, new, other = councils
    accept_over_http(client, create_token(new), create_home_mover(new, old).reference)
    notice = MovedOutNotice.objects.get()

    for outsider in (new, other):
        token = create_token(outsider)
        assert list_notices(client, token, state="all")["items"] == []
        response = client.get("/api/v1/notices/%s" % notice.reference, **bearer(token))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert acknowledge(client, token, [notice.reference]) == {
            "acknowledged": [],
            "already_acknowledged": [],
            "not_acknowledged": [notice.reference],
        }
    notice.refresh_from_db()
    assert notice.acknowledged_at is None
    own = client.get(
        "/api/v1/notices/%s" % notice.reference, **bearer(create_token(old))
    )
    assert own.status_code == 200
    assert own.json()["reference"] == notice.reference


def test_found_on_the_old_councils_uploaded_register(client, councils):
    old, new, _other = councils
    mover = create_home_mover(new, None)
    old_token = create_token(old)
    register = (
        "elector_id,first_name,middle_names,surname,date_of_birth,"
        "address_line_1,address_line_2,town,postcode\n"
        "OLD-42,%s,,%s,%s,2 Old Road,,Oldtown,%s\n"
        % (
            mover.first_name,
            mover.last_name,
            mover.date_of_birth.isoformat(),
            mover.address_postcode,
        )
    )
    uploaded = client.put(
        "/api/v1/register", register, content_type="text/csv", **bearer(old_token)
    )
    assert uploaded.status_code == 200, uploaded.content

    accept_over_http(client, create_token(new), mover.reference)

    [item] = list_notices(client, old_token)["items"]
    assert item["found_by"] == "register"
    assert item["elector_number"] == "OLD-42"
    assert item["old_address"]["line_1"] == ""


def test_a_joint_board_sees_the_notices_of_every_council_it_serves(client, councils):
    first, second, elsewhere = councils_of_one_office()
    _old, new, _other = councils
    mover = create_home_mover(new, None)
    put_on_register(first, mover, mover.address_postcode, "VJB-1")
    accept_over_http(client, create_token(new), mover.reference)

    [item] = list_notices(client, create_token(second))["items"]
    assert item["authority"] == first.gss_code
    assert list_notices(client, create_token(elsewhere), state="all")["items"] == []
    assert acknowledge(client, create_token(second), [item["reference"]])[
        "acknowledged"
    ] == [item["reference"]]
    assert acknowledge(client, create_token(first), [item["reference"]])[
        "already_acknowledged"
    ] == [item["reference"]]


def test_pages_follow_the_cursor(client, councils):
    old, new, _other = councils
    for _ in range(3):
        accept_over_http(
            client, create_token(new), create_home_mover(new, old).reference
        )
    token = create_token(old)
    first = list_notices(client, token, limit=2)
    second = list_notices(client, token, limit=2, cursor=first["next_cursor"])
    assert len(first["items"]) == 2 and second["next_cursor"] is None
    seen = [n["reference"] for n in first["items"] + second["items"]]
    assert sorted(seen) == sorted(
        MovedOutNotice.objects.values_list("reference", flat=True)
    )


def test_an_unknown_filter_is_refused(client, councils):
    response = client.get(
        "/api/v1/notices", {"council": "x"}, **bearer(create_token(councils[0]))
    )
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_parameter"


def test_the_sandbox_answers_every_shape(client):
    token = "ier_sandbox_valid"
    new = list_notices(client, token)["items"]
    everything = list_notices(client, token, state="all")["items"]
    assert {n["found_by"] for n in new} == {"previous_address", "register"}
    assert len(everything) == 3
    done = next(n["reference"] for n in everything if n["acknowledged_at"])
    answer = acknowledge(client, token, [new[0]["reference"], done, "BBBBBBBBBB"])
    assert answer == {
        "acknowledged": [new[0]["reference"]],
        "already_acknowledged": [done],
        "not_acknowledged": ["BBBBBBBBBB"],
    }
    assert client.get("/api/v1/notices/%s" % done, **bearer(token)).status_code == 200
