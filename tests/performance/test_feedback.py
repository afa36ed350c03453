"""The satisfaction survey, in English and Welsh."""

import pytest

from ier.performance.models import Feedback

pytestmark = pytest.mark.django_db


def test_a_rating_and_comment_are_kept_with_the_language(client):
    response = client.post("/feedback/", {"rating": "5", "comment": "Quick and clear"})
    assert response.status_code == 302
    assert response["Location"] == "/feedback/thank-you/"
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment, feedback.language) == (
        5,
        "Quick and clear",
        "en",
    )
    assert (
        "Thank you for your feedback"
        in client.get("/feedback/thank-you/").content.decode()
    )


def test_welsh_feedback_is_recorded_as_welsh(client):
    page = client.get("/cy/feedback/")
    assert "Rhoi adborth" in page.content.decode()
    response = client.post("/cy/feedback/", {"rating": "4"})
    assert response["Location"] == "/cy/feedback/thank-you/"
    assert Feedback.objects.get().language == "cy"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select how you felt about the service"),
        ({"rating": "9"}, "Select how you felt about the service"),
        ({"rating": "3", "comment": "x" * 1201}, "1,200 characters or fewer"),
    ],
)
def test_mistakes_are_explained_and_the_comment_kept(client, data, message):
    page = client.post("/feedback/", data)
    html = page.content.decode()
    assert page.status_code == 200
    assert message in html
    assert Feedback.objects.count() == 0
    if "comment" in data:
        assert data["comment"] in html
