"""The web process's render caches keep markup that is the same for everyone: never
what a person typed, never a password, and never more than their stated number of
entries (docs/adr/0007-process-caches.md)."""

import pytest
from django import forms
from django.template import engines
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ier.core import forms as bridge
from ier.core.forms import GovukForm, OptionsField, options_html
from tests.citizen.helpers import ordinary_answers, walk

pytestmark = pytest.mark.django_db

NAME = "Zebedee"
NINO = "AB 12 34 56 C"


def field_cache():
    return engines["jinja2"].env.globals["cached_render_field"].cache


def held_markup() -> str:
    return "".join(str(markup) for markup in field_cache().values())


@pytest.fixture(autouse=True)
def _empty_field_cache():
    field_cache().clear()


def test_a_name_typed_with_a_mistake_is_shown_again_but_not_kept(client):
    walk(client, ordinary_answers(), stop_at="name")
    page = client.post("/register/name/", {"first_name": NAME, "last_name": ""})
    assert "Enter your last name" in page.content.decode()
    assert 'value="%s"' % NAME in page.content.decode()  # nothing typed is lost
    assert len(field_cache()) > 0  # the empty and choice questions still are
    assert NAME not in held_markup()
    assert NAME not in repr(list(field_cache().keys()))


def test_a_nino_typed_or_already_answered_is_not_kept(client):
    answers = ordinary_answers(**{"national-insurance-number": {"nino": NINO}})
    walk(client, answers, stop_at="address")
    again = client.get("/register/national-insurance-number/")
    assert "AB 12 34 56 C" in again.content.decode()
    client.post("/register/national-insurance-number/", {"nino": "DA 98 76 54 A"})
    kept = held_markup() + repr(list(field_cache().keys()))
    for typed in ("AB 12 34 56 C", "AB123456C", "DA 98 76 54 A"):
        assert typed not in kept


def test_a_choice_sent_that_is_not_offered_is_not_kept(client):
    walk(client, ordinary_answers(), stop_at="open-register")
    client.post("/register/open-register/", {"open_register": NINO})
    assert NINO not in repr(list(field_cache().keys()))


class PasswordForm(GovukForm):
    password = forms.CharField(label="Password", widget=forms.PasswordInput())


def test_a_password_is_never_kept_even_when_empty(rf):
    render = engines["jinja2"].from_string(
        '{{ cached_render_field(form, "password") }}'
    )
    for data in (None, {"password": "secret passphrase"}):
        markup = render.render({"form": PasswordForm(data=data)})
        assert 'type="password"' in markup
        assert "secret passphrase" not in markup
    assert len(field_cache()) == 0


def test_the_field_cache_keeps_at_most_its_stated_number_of_entries():
    cache = field_cache()
    for n in range(cache.limit + 10):
        cache.put(("key", n), "markup")
    assert len(cache) == cache.limit
    assert cache.get(("key", 0)) is None
    assert cache.get(("key", cache.limit + 9)) == "markup"


class AddressForm(GovukForm):
    uprn = OptionsField(label="Address")


def test_address_lists_do_not_grow_the_option_caches(rf):
    """Each view of the address page builds a new list of the addresses at the
    postcode; the caches of option markup stay within their bound all the same."""
    for n in range(bridge.OPTION_MARKUP.limit + 50):
        form = AddressForm()
        listed = ((str(n), "%d High Street" % n),)
        form.fields["uprn"].options = lambda listed=listed: listed
        options_html(form, "uprn")
        answered = AddressForm(data={"uprn": str(n)})
        answered.fields["uprn"].options = lambda listed=listed: listed
        assert answered.is_valid()
    assert len(bridge.OPTION_MARKUP) <= bridge.OPTION_MARKUP.limit
    assert len(bridge.OPTION_VALUES) <= bridge.OPTION_VALUES.limit


class WhereForm(GovukForm):
    country = forms.ChoiceField(
        label=_("Where do you live?"),
        choices=[("wales", _("Wales")), ("england", _("England"))],
        widget=forms.RadioSelect,
    )


FIELD = '{{ cached_render_field(form, "country") }}'
CHROME = '{{ chrome("footer") }}'


@pytest.mark.parametrize("template", [FIELD, CHROME])
def test_a_part_is_kept_for_the_language_its_page_is_rendered_in(template):
    """A page's parts are rendered (and kept) in the page's language, the
    `htmlLang` of its render, and never served to a page in the other language;
    outside a request's render they follow the active language."""
    part = engines["jinja2"].from_string(template)
    shown = {}
    for language in ("en", "cy", "en", "cy"):
        with translation.override(language):
            by_page = part.render({"form": WhereForm(), "htmlLang": language})
            # Rendered in the language only: no `htmlLang` in the context.
            alone = part.render({"form": WhereForm()})
            assert by_page == alone
            shown.setdefault(language, by_page)
            assert shown[language] == by_page
    assert shown["en"] != shown["cy"]
    if template == FIELD:
        assert "Cymru" in shown["cy"] and "Wales" in shown["en"]


class WordedForm(GovukForm):
    answer = forms.ChoiceField(
        label=_("How old are you?"),
        help_text=_("For example, 2015"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, reworded=False, **kwargs):
        super().__init__(*args, **kwargs)
        if reworded:  # wording made afresh by each form, as some steps do
            field = self.fields["answer"]
            field.label = _("Date of issue")
            field.help_text = _("For example, 27 3 2019")
            field.choices = [("yes", _("Wales")), ("no", _("England"))]


def test_a_question_reworded_by_its_form_is_kept_apart_from_its_declared_wording():
    """Markup kept for a question's declared wording is never shown for wording
    a form gives it, nor the other way round, in either language; each is the
    markup the macro writes."""
    cached = engines["jinja2"].from_string('{{ cached_render_field(form, "answer") }}')
    fresh = engines["jinja2"].from_string(
        '{% from "core/fields.html" import render_field %}'
        '{{ render_field(form, "answer") }}'
    )
    for language in ("en", "cy", "en", "cy"):
        with translation.override(language):
            for reworded in (False, True, False, True):
                form = WordedForm(reworded=reworded)
                shown = cached.render({"form": form, "htmlLang": language})
                assert shown == fresh.render({"form": form})
                words = ("Date of issue", "England") if reworded else ("Yes", "No")
                if language == "en":
                    assert all(word in shown for word in words)
                    assert ("How old" in shown) is not reworded
    # Declared wording is one entry per language; reworded wording, made anew
    # by each form, is held as text and so also found again.
    assert len(field_cache()) == 4
