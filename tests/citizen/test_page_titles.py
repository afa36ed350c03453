"""Each page's <title> is its question, the service's name and GOV.UK, in the
page's language, with "Error: " first when the answer sent needs correcting."""

import pytest

from tests.citizen.helpers import ordinary_answers, walk

pytestmark = pytest.mark.django_db


def title_of(page) -> str:
    html = page.content.decode()
    return html[html.index("<title>") + len("<title>") : html.index("</title>")]


@pytest.mark.parametrize(
    ("prefix", "question", "service", "error"),
    [
        ("", "Where do you live?", "Register to vote", "Error"),
        ("/cy", "Ble rydych chi&#39;n byw?", "Cofrestru i bleidleisio", "Gwall"),
    ],
)
def test_a_question_page_is_titled_by_its_question(
    client, prefix, question, service, error
):
    client.get(prefix + "/register/start/")
    page = client.get(prefix + "/register/where-you-live/")
    assert title_of(page) == "%s - %s - GOV.UK" % (question, service)
    sent = client.post(prefix + "/register/where-you-live/", {})
    assert title_of(sent) == "%s: %s - %s - GOV.UK" % (error, question, service)


@pytest.mark.parametrize(
    ("prefix", "title"),
    [
        ("", "Check your answers before sending your application"),
        ("/cy", None),
    ],
)
def test_check_your_answers_is_titled_by_its_heading(client, prefix, title):
    page = walk(client, ordinary_answers(), prefix=prefix)
    html = page.content.decode()
    heading = html[html.index('<h1 class="govuk-heading-l">') :].split(">", 1)[1]
    heading = heading[: heading.index("</h1>")]
    assert title_of(page).startswith(heading + " - ")
    assert title_of(page).endswith(" - GOV.UK")
    if title:
        assert heading == title
