"""The summary list written by `ier.core.summary_list` is byte for byte what the
design system's `govukSummaryList` macro renders, for every kind of row it takes."""

import pytest
from django.template import engines
from hypothesis import given, settings
from hypothesis import strategies as st

from ier.citizen import views
from ier.core.summary_list import summary_list
from tests.citizen.helpers import CHECK_ANSWERS, ordinary_answers, walk
from tests.citizen.test_overseas_journey import overseas_answers

MACRO = engines["jinja2"].from_string(
    '{% from "govuk_frontend_jinja/components/summary-list/macro.html" import '
    'govukSummaryList %}{{ govukSummaryList({"rows": rows}) }}'
)


def by_macro(rows) -> str:
    return MACRO.render({"rows": rows})


#: Text as people type it and as the pages word it: markup characters, quotes,
#: ampersands, Welsh letters, lines, blanks and spaces at either end.
TEXT = st.lists(
    st.sampled_from([*"aZ 0<>&\"'\n\tŵŷâ€/=", "Siân", "&amp;"]), max_size=12
).map("".join)
HTML = st.sampled_from(
    [
        "<strong>Bold</strong>",
        "  <p>one</p>\n<p>two</p>\n\n  <p>three</p>  ",
        "Line one<br>\nLine two",
        "<span>Cymraeg: ŵŷ &amp; mwy</span>\n",
    ]
)
PART = st.one_of(
    st.fixed_dictionaries({"text": TEXT}),
    st.fixed_dictionaries({"html": HTML}),
    st.fixed_dictionaries({"html": st.just(""), "text": TEXT}),
)
ACTION = st.fixed_dictionaries(
    {"href": st.sampled_from(["/register/name/?change=1", '/a?b="c"&d=<e>'])},
    optional={
        "text": TEXT,
        "html": HTML,
        "visuallyHiddenText": TEXT,
    },
)
ROW = st.fixed_dictionaries(
    {"key": PART, "value": PART},
    optional={
        "actions": st.one_of(
            st.just({}),
            st.just({"items": []}),
            st.builds(lambda action: {"items": [action]}, ACTION),
        )
    },
)
ROWS = st.lists(st.one_of(ROW, st.none()), max_size=6)


@settings(max_examples=300, deadline=None)
@given(ROWS)
def test_any_rows_the_function_takes_come_out_as_the_macro_writes_them(rows):
    assert str(summary_list(rows)) == by_macro(rows)


def test_the_answers_of_the_journey_as_the_macro_writes_them():
    rows = [
        {
            "key": {"text": "Name"},
            "value": {"text": "Siân O'Brien-Jones <script>"},
            "actions": {
                "items": [
                    {
                        "href": "/cy/register/name/?change=1",
                        "text": "Newid",
                        "visuallyHiddenText": "enw & cyfeiriad",
                    }
                ]
            },
        },
        {"key": {"text": "Address"}, "value": {"text": "1 High St\nTown\nAB1 2CD"}},
    ]
    assert str(summary_list(rows)) == by_macro(rows)
    assert str(summary_list([])) == by_macro([])


@pytest.mark.parametrize(
    "row",
    [
        {"key": {"text": "a"}, "value": {"text": "b"}, "classes": "wide"},
        {"key": {"text": "a", "classes": "x"}, "value": {"text": "b"}},
        {
            "key": {"text": "a"},
            "value": {"text": "b"},
            "actions": {"items": [{"href": "/a"}, {"href": "/b"}]},
        },
        {
            "key": {"text": "a"},
            "value": {"text": "b"},
            "actions": {"items": [{"href": "/a", "attributes": {"x": "y"}}]},
        },
    ],
)
def test_what_the_function_does_not_write_it_refuses(row):
    with pytest.raises(ValueError):
        summary_list([row])


def summary_markup(page) -> str:
    html = page.content.decode()
    start = html.index('<dl class="govuk-summary-list">')
    return html[start : html.index("</dl>", start) + len("</dl>")]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/cy"])
@pytest.mark.parametrize("kind", ["", "overseas"])
def test_check_your_answers_shows_the_list_the_macro_writes(
    client, monkeypatch, prefix, kind
):
    shown = []

    def summary_sections(journey, ctx):
        shown.append(sections(journey, ctx))
        return shown[-1]

    sections = views.summary_sections
    monkeypatch.setattr(views, "summary_sections", summary_sections)
    # Names allow no markup characters; an apostrophe is escaped all the same.
    answers = (overseas_answers if kind else ordinary_answers)()
    page = walk(client, answers, prefix=prefix, kind=kind)
    assert page.request["PATH_INFO"] == prefix + CHECK_ANSWERS
    # The checking client also fetches the page's twin in the other language.
    rows = shown[0]
    assert len(rows) > 8
    assert summary_markup(page) == by_macro(rows)
