"""The rows of "check your answers": one per answer, each labelled, its value as
the step words it, and a link back to its question with the label read aloud."""

import pytest
from django.utils.translation import gettext

from ier.citizen import views
from tests.citizen.helpers import CHECK_ANSWERS, ordinary_answers, walk
from tests.citizen.test_overseas_journey import overseas_answers

pytestmark = pytest.mark.django_db


def rows_one_by_one(journey, ctx) -> list[dict]:
    """Each row worked out on its own, every part translated where it is used."""
    rows = []
    for step in journey.answered_steps(ctx):
        form = ctx.form(step) if step.summary else None
        for label, value in form.summary_rows() if form is not None else ():
            rows.append(
                {
                    "key": {"text": str(label)},
                    "value": {"text": str(value)},
                    "actions": {
                        "items": [
                            {
                                "href": views.step_url(step.slug) + "?change=1",
                                "text": gettext("Change"),
                                "visuallyHiddenText": str(label).lower(),
                            }
                        ]
                    },
                }
            )
    return rows


@pytest.mark.parametrize("prefix", ["", "/cy"])
@pytest.mark.parametrize("kind", ["", "overseas"])
def test_the_rows_are_those_worked_out_one_by_one(client, monkeypatch, prefix, kind):
    compared = []
    sections = views.summary_sections

    def summary_sections(journey, ctx):
        rows = sections(journey, ctx)
        compared.append((rows, rows_one_by_one(journey, ctx)))
        return rows

    monkeypatch.setattr(views, "summary_sections", summary_sections)
    answers = (overseas_answers if kind else ordinary_answers)()
    page = walk(client, answers, prefix=prefix, kind=kind)
    assert page.request["PATH_INFO"] == prefix + CHECK_ANSWERS
    rows, expected = compared[0]
    assert len(rows) > 8
    assert rows == expected
    links = [row["actions"]["items"][0] for row in rows]
    assert all(link["href"].startswith(prefix + "/register/") for link in links)
    assert {link["text"] for link in links} == {"Newid" if prefix else "Change"}
