"""The answers cookie: a page that changes no answer re-seals it only once the seal
is a minute old, and the idle limit allows for that minute, so answers are kept for
at least the idle time after a person's last request."""

import time

import pytest

from ier.citizen.session import Journey, State, read_journey

pytestmark = pytest.mark.django_db


def sealed_at(client, settings, seconds_ago: float) -> Journey:
    """Give the client's answers cookie a seal made `seconds_ago`."""
    journey = Journey.from_token(client.cookies[settings.JOURNEY_COOKIE_NAME].value)
    journey.seen = time.time() - seconds_ago
    client.cookies[settings.JOURNEY_COOKIE_NAME] = journey.to_token()
    return journey


def seal_sent(response, settings) -> Journey | None:
    cookie = response.cookies.get(settings.JOURNEY_COOKIE_NAME)
    return Journey.from_token(cookie.value) if cookie else None


def test_a_page_view_soon_after_the_seal_sends_no_new_cookie(client, settings):
    client.get("/register/start/")
    response = client.get("/register/where-you-live/")
    assert response.status_code == 200
    assert seal_sent(response, settings) is None


def test_a_page_view_once_the_seal_is_a_minute_old_renews_it(client, settings):
    client.get("/register/start/")
    client.post("/register/where-you-live/", {"country": "wales"})
    old = sealed_at(client, settings, settings.JOURNEY_RESEAL_SECONDS + 1)
    response = client.get("/register/nationality/")
    renewed = seal_sent(response, settings)
    assert renewed is not None
    assert renewed.seen > old.seen + settings.JOURNEY_RESEAL_SECONDS
    assert renewed.answers == {"where-you-live": {"country": "wales"}}


def test_an_answer_always_renews_the_seal(client, settings):
    client.get("/register/start/")
    response = client.post("/register/where-you-live/", {"country": "wales"})
    assert seal_sent(response, settings).answers == {
        "where-you-live": {"country": "wales"}
    }


def test_a_mistake_soon_after_the_seal_sends_no_new_cookie(client, settings):
    client.get("/register/start/")
    response = client.post("/register/where-you-live/", {})
    assert response.status_code == 200
    assert seal_sent(response, settings) is None


def test_answers_last_the_idle_time_after_a_request_that_did_not_reseal(
    client, settings
):
    """The last request came just before the seal was due for renewal: the answers
    still last the whole idle time after it."""
    client.get("/register/start/")
    client.post("/register/where-you-live/", {"country": "wales"})
    reseal, idle = settings.JOURNEY_RESEAL_SECONDS, settings.JOURNEY_IDLE_SECONDS
    sealed_at(client, settings, reseal - 1)
    assert seal_sent(client.get("/register/nationality/"), settings) is None
    # The idle time passes, less a second, since that last request.
    sealed_at(client, settings, reseal - 1 + idle - 1)
    assert client.get("/register/nationality/").status_code == 200


def test_answers_expire_once_idle_past_the_limit(rf, settings):
    request = rf.get("/register/name/")
    limit = settings.JOURNEY_IDLE_SECONDS + settings.JOURNEY_RESEAL_SECONDS
    journey = Journey()
    journey.seen = time.time() - limit + 5
    request.COOKIES[settings.JOURNEY_COOKIE_NAME] = journey.to_token()
    assert read_journey(request)[0] == State.ACTIVE
    journey.seen = time.time() - limit - 1
    request.COOKIES[settings.JOURNEY_COOKIE_NAME] = journey.to_token()
    assert read_journey(request) == (State.EXPIRED, None)


JOURNEYS = [
    Journey(),
    Journey(
        kind="overseas",
        answers={
            "name": {"first_name": "Siân", "last_name": "Ó Dálaigh"},
            "address": {"postcode": "CF10 1AA", "lines": ["1 Heol y Frenhines", ""]},
            "date-of-birth": {"date_of_birth": "1980-02-01"},
            "contact": {"email": "a@example.com", "phone": None, "flags": [True, 1]},
            "emoji": {"text": '\U0001f600 "quoted" \\ back\nline\x7f'},
        },
        reference="ABCD123456",
    ),
]


@pytest.mark.parametrize("journey", JOURNEYS)
def test_the_sealed_payload_is_the_json_it_always_was(journey, monkeypatch):
    """The cookie's inside is json.dumps' compact form, byte for byte, and reads
    back to the same journey: cookies sealed before and after read the same."""
    import json
    import zlib

    from ier.citizen import session

    sealed = []
    monkeypatch.setattr(zlib, "compress", lambda data: sealed.append(data) or data)
    monkeypatch.setattr(zlib, "decompress", lambda data: data)
    token = journey.to_token()
    expected = json.dumps(
        {
            "k": journey.kind,
            "a": journey.answers,
            "i": journey.key,
            "s": journey.started,
            "t": journey.seen,
            "r": journey.reference,
        },
        separators=(",", ":"),
    ).encode()
    assert sealed == [expected]
    assert session.Journey.from_token(token) == journey
