"""Hypothesis throws odd input at every field of every page of the citizen journey,
through the real views, one page at a time: unicode, control characters, very long
text and injection attempts. No answer may cause a server error, and none may come
back as markup (the checked client also validates every page it gets back)."""

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.citizen.helpers import CHECK_ANSWERS, ordinary_answers, walk

pytestmark = pytest.mark.django_db

MARKER = '<x-fuzz data-x="1">'
FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
INJECTIONS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --",
    "{{ 7*7 }}{% debug %}",
    "%(name)s %s %d",
    "../../../../etc/passwd",
    "\x00\x01\x1b[31m\r\n\t",
    "\u202eevil\u200b\ufeff",
    "Zoë Ångström-Ō'Brien 李 🗳️",
    "=cmd|' /C calc'!A0",
]
ODD_TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(INJECTIONS),
    st.builds(lambda a, b: a + MARKER + b, st.text(max_size=20), st.text(max_size=20)),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs"]), max_size=50),
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def field_names(page) -> list[str]:
    names = FIELD_NAME.findall(page.content.decode())
    return sorted({n for n in names if n != "csrfmiddlewaretoken"})


def assert_handled(response, value: str) -> None:
    assert response.status_code < 500
    if MARKER in value and "text/html" in response.get("Content-Type", ""):
        assert MARKER not in response.content.decode()


def a_step_reached(client, slug: str):
    walk(client, ordinary_answers(), stop_at=slug)
    path = "/register/%s/" % slug
    page = client.get(path)
    assert page.status_code == 200
    names = field_names(page)
    assert names, "the page has no fields to try"
    return path, names


JOURNEY_STEPS = [
    "where-you-live",
    "nationality",
    "date-of-birth",
    "name",
    "previous-name",
    "national-insurance-number",
    "address",
    "address-select",
    "moved",
    "other-address",
    "open-register",
    "postal-vote",
    "contact",
]


@pytest.mark.parametrize("slug", JOURNEY_STEPS)
@FUZZ
@given(data=st.data())
def test_no_answer_breaks_a_journey_page(client, slug, data):
    if not hasattr(client, "fuzz_step"):
        client.fuzz_step = a_step_reached(client, slug)
    path, names = client.fuzz_step
    valid = ordinary_answers()[slug]
    name = data.draw(st.sampled_from(names), label="field")
    value = data.draw(ODD_TEXT, label="value")
    response = client.post(path, {**valid, name: value})
    assert_handled(response, value)


@pytest.mark.parametrize("slug", ["name", "contact", "address"])
def test_very_long_answers_are_refused_politely(client, slug):
    path, names = a_step_reached(client, slug)
    for name in names:
        response = client.post(path, {**ordinary_answers()[slug], name: "x" * 100_000})
        assert response.status_code in (200, 302), name


@FUZZ
@given(data=st.data())
@example(data=None)
def test_no_answer_breaks_check_answers(client, data):
    if not hasattr(client, "at_check"):
        walk(client, ordinary_answers())
        client.at_check = True
    value = data.draw(ODD_TEXT, label="value") if data else "<script>x</script>"
    response = client.post(CHECK_ANSWERS, {"declaration": value})
    assert_handled(response, value)


@FUZZ
@given(reference=ODD_TEXT, day=ODD_TEXT, year=ODD_TEXT)
def test_no_answer_breaks_the_status_lookup(client, reference, day, year):
    response = client.post(
        "/status/",
        {
            "reference": reference,
            "date_of_birth-day": day,
            "date_of_birth-month": "2",
            "date_of_birth-year": year,
        },
    )
    assert_handled(response, reference + day + year)


@FUZZ
@given(rating=ODD_TEXT, comment=ODD_TEXT)
def test_no_answer_breaks_the_feedback_form(client, rating, comment):
    response = client.post("/feedback/", {"rating": rating, "comment": comment})
    assert_handled(response, rating + comment)


@FUZZ
@given(postcode=ODD_TEXT)
def test_no_postcode_breaks_the_council_finder(client, postcode):
    response = client.post("/contact-your-council/", {"postcode": postcode})
    assert_handled(response, postcode)
