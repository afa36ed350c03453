"""The button written by `ier.core.button` is byte for byte what the design
system's `govukButton` macro renders, for every parameter it writes; for any other
the page's `govukButton` is the macro itself."""

import pytest
from django.template import engines
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from ier.core.button import written_button

MACRO = engines["jinja2"].from_string(
    '{% from "govuk_frontend_jinja/components/button/macro.html" import '
    "govukButton %}{{ govukButton(params) }}"
)
PAGE = engines["jinja2"].from_string("{{ govukButton(params) }}")


def by_macro(params) -> str:
    return MACRO.render({"params": params})


TEXT = st.lists(
    st.sampled_from([*"aZ 0<>&\"'\n\tŵŷâ€/=", "Siân", "&amp;", ""]), max_size=10
).map("".join)
HTML = st.sampled_from(
    [
        "<strong>Bold</strong>",
        "  <span>one</span>\n<span>two</span>\n\n  <b>three</b>  ",
        "Line one<br>\nLine two",
        "",
    ]
)
PARAMS = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(TEXT, TEXT.map(Markup)),
        "html": st.one_of(HTML, HTML.map(Markup)),
        "href": st.one_of(TEXT, st.just("/register/?a=1&b=<2>")),
        "classes": st.one_of(TEXT, st.just("govuk-button--secondary")),
        "type": st.sampled_from(["", "button", "reset", 'x"y']),
        "name": TEXT,
        "value": TEXT,
        "id": TEXT,
        "isStartButton": st.booleans(),
        "preventDoubleClick": st.booleans(),
        "disabled": st.booleans(),
    },
)


@settings(max_examples=500, deadline=None)
@given(PARAMS)
def test_any_button_the_function_writes_comes_out_as_the_macro_writes_it(params):
    assert str(written_button(params)) == by_macro(params)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_journeys_buttons_as_the_macro_writes_them(language):
    with translation.override(language):
        for params in (
            {"text": Markup("Dechrau nawr"), "href": "/cy/", "isStartButton": True},
            {"text": Markup("Derbyn ac anfon"), "preventDoubleClick": True},
            {"text": "Find address"},
            {"text": "Find elections", "classes": "govuk-button--secondary"},
        ):
            assert str(written_button(params)) == by_macro(params)
            assert PAGE.render({"params": params}) == by_macro(params)


@pytest.mark.parametrize(
    "params",
    [
        {"text": "Save", "attributes": {"data-x": "y"}},
        {"text": "Save", "preventDoubleClick": None},
        {"text": 3},
        {"html": Markup("<b>x</b>"), "classes": Markup("a<b")},
        {"text": "Save", "isStartButton": "yes"},
        ["not", "a", "mapping"],
    ],
)
def test_what_the_function_does_not_write_the_macro_does(params):
    assert written_button(params) is None
    if isinstance(params, dict):
        assert PAGE.render({"params": params}) == by_macro(params)
