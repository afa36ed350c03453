"""Templates translate each message into the page's language; the translations
they keep are the service's own wording, at most their stated number, and are
forgotten when the translation settings change."""

import pytest
from django.template import engines
from django.test import override_settings
from django.utils import translation
from markupsafe import Markup

from ier.config.jinja2 import TRANSLATIONS, TRANSLATIONS_KEPT

BACK = engines["jinja2"].from_string('{{ _("Back") }}|{{ _(message) }}')


def kept() -> dict:
    return TRANSLATIONS


@pytest.fixture(autouse=True)
def _nothing_kept():
    kept().clear()


@pytest.mark.parametrize("with_page_language", [True, False])
def test_a_message_is_shown_in_the_language_of_each_page(with_page_language):
    for language, back in [("en", "Back"), ("cy", "Yn ôl")] * 2:
        with translation.override(language):
            context = {"message": "Change"}
            if with_page_language:
                context["htmlLang"] = language
            shown = BACK.render(context)
        assert shown == "%s|%s" % (back, "Newid" if language == "cy" else "Change")


def test_only_plain_messages_are_kept_and_no_more_than_the_bound():
    with translation.override("cy"):
        assert BACK.render({"message": Markup("Change")}) == "Yn ôl|Newid"
        assert ("cy", "Change") not in kept()
        for n in range(TRANSLATIONS_KEPT + 20):
            BACK.render({"message": "message %d" % n, "htmlLang": "cy"})
        assert BACK.render({"message": "the last", "htmlLang": "cy"}) == (
            "Yn ôl|the last"
        )
    assert len(kept()) == TRANSLATIONS_KEPT


def test_the_translations_kept_are_forgotten_when_the_settings_change():
    with translation.override("cy"):
        BACK.render({"message": "Change", "htmlLang": "cy"})
    assert kept()
    with override_settings(LANGUAGES=[("en", "English"), ("cy", "Welsh")]):
        assert not kept()
