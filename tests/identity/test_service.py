"""The identity service's HTTP API, called in-process through httpx's WSGI transport."""

import httpx
import pytest

from ier.identity.service import MAX_BATCH, Faults, IdentityService
from ier.identity.synthetic import spaced_nino
from tests.verification.helpers import on_record

pytestmark = pytest.mark.django_db
TOKEN = "test-identity-token"


def a_client(faults=None, token=TOKEN):
    service = IdentityService(TOKEN, faults, seed=3, manage_connections=False)
    return httpx.Client(
        transport=httpx.WSGITransport(app=service),
        base_url="http://identity.test",
        headers={"Authorization": "Bearer %s" % token} if token else {},
    )


def request_for(person, **changes):
    item = {
        "id": "1",
        "nino": spaced_nino(person.nino, person.nino_suffix),
        "date_of_birth": person.date_of_birth.isoformat(),
        "first_name": person.first_name,
        "middle_names": person.middle_names,
        "last_name": person.last_name,
    }
    item.update(changes)
    return item


@pytest.fixture
def person():
    people, _cases = on_record(20)
    return people[0]


def test_health_needs_no_token():
    assert a_client(token=None).get("/v1/health").json() == {"status": "ok"}


def test_matching_needs_the_bearer_token(person):
    response = a_client(token="wrong").post("/v1/match", json=request_for(person))
    assert response.status_code == 401
    assert response.json() == {"error": "unauthorised"}
    assert (
        a_client(token=None).post("/v1/match", json=request_for(person)).status_code
        == 401
    )


def test_one_person_matches_with_levels_and_nothing_from_the_record(person):
    answer = a_client().post("/v1/match", json=request_for(person)).json()
    assert answer == {
        "id": "1",
        "nino": "found",
        "date_of_birth": "match",
        "name": {
            "first_name": "exact",
            "first_name_score": 100,
            "last_name": "exact",
            "last_name_score": 100,
            "middle_names": "match",
            "matched_on": "current_name",
        },
    }


def test_the_nino_suffix_letter_and_spacing_do_not_matter(person):
    typed = person.nino.lower()
    answer = a_client().post("/v1/match", json=request_for(person, nino=typed)).json()
    assert answer["nino"] == "found"


def test_a_batch_answers_each_request_in_order_and_errors_per_item(person):
    requests = [
        request_for(person, id="a"),
        request_for(person, id="b", nino="ZY999999A"),
        {"id": "c", "nino": "AB123456C", "date_of_birth": "14/02/1985"},
        "not an object",
    ]
    response = a_client().post("/v1/match/batch", json={"requests": requests})
    results = response.json()["results"]
    assert [r.get("id") for r in results] == ["a", "b", "c", None]
    assert results[0]["name"]["first_name"] == "exact"
    assert results[1]["nino"] == "not_found"
    assert results[2] == {
        "id": "c",
        "error": "invalid_request",
        "field": "date_of_birth",
    }
    assert results[3]["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"requests": "x"}, 400),
        ([1, 2], 400),
        (
            {
                "requests": [
                    {"id": str(i), "nino": "AB123456C"} for i in range(MAX_BATCH + 1)
                ]
            },
            413,
        ),
    ],
)
def test_malformed_batches_are_refused(body, status):
    assert a_client().post("/v1/match/batch", json=body).status_code == status


def test_unreadable_json_and_unknown_paths():
    client = a_client()
    assert client.post("/v1/match", content=b"{").status_code == 400
    assert client.post("/v1/match", json={"id": "1"}).status_code == 400
    assert client.get("/v1/people").status_code == 404
    assert client.get("/v1/match").status_code == 405


def test_an_unavailable_service_answers_503_with_retry_after(person):
    response = a_client(Faults(unavailable=True)).post(
        "/v1/match", json=request_for(person)
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"


def test_a_flaky_service_fails_about_the_share_asked_for():
    client = a_client(Faults(failure_rate=0.5))
    statuses = [client.get("/v1/health").status_code for _ in range(200)]
    assert 60 <= statuses.count(503) <= 140
    assert set(statuses) == {200, 503}


def test_the_service_refuses_to_start_without_a_token():
    with pytest.raises(ValueError):
        IdentityService("")
