"""The Jinja2 environment: GOV.UK Frontend macros, Django's translations and URLs."""

from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ier.core.button import written_button
from ier.core.caches import BoundedCache
from ier.core.forms import (
    GovukDateField,
    OptionsField,
    field_kind,
    field_params,
    options_html,
)
from ier.core.paths import page_path, static_path
from ier.core.summary_list import summary_list
from ier.elections import templating as elections_templating


def indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False):
    """Byte-for-byte the same output as Jinja's own `indent` filter.

    The design-system macros call `indent` on every component; the built-in filter
    joins `Markup` objects line by line, which escapes on every join and costs about
    a third of a page render. Joining plain strings and marking the result safe once
    gives the same text at a fraction of the cost."""
    is_markup = isinstance(s, Markup)
    text = str(s) + "\n"
    indention = width if isinstance(width, str) else " " * width
    if blank:
        rv = ("\n" + indention).join(text.splitlines())
    else:
        lines = text.splitlines()
        rv = lines.pop(0)
        if lines:
            rv += "\n" + "\n".join(indention + line if line else line for line in lines)
    if first:
        rv = indention + rv
    # Only whitespace was added to text that was already markup.
    return Markup(rv) if is_markup else rv  # noqa: S704


def translated_path(request: Any, language: str) -> str:
    """The same page in another language, keeping the person's place."""
    return _translated(request.get_full_path(), language, translation.get_language())


@lru_cache(maxsize=4096)
def _translated(path: str, language: str, active: str | None) -> str:
    # Paths name no person (no personal data in URLs), so they can be remembered;
    # resolving a path depends on the language active when it is resolved.
    return translate_url(path, language)


def date_long(value: Any) -> str:
    """ "4 March 2026", in the page's language."""
    if hasattr(value, "astimezone"):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


def url(name: str, *args: Any, **kwargs: Any) -> str:
    if args:
        return reverse(name, args=args)
    return page_path(name, **kwargs)


def page_language(context: Context) -> str | None:
    """The language the page is rendered in: the render's `htmlLang`, which the
    context processor sets from the active language as the render starts, so the
    parts of a page need not each ask Django's thread-local for it again (about
    1.4 microseconds a time, ten times a page); the active language itself where
    a template is rendered without that processor."""
    return context.get("htmlLang") or translation.get_language()


#: At most this many (language, message) translations kept for templates: every
#: `_()` in the code's templates, in both languages, with room to spare.
TRANSLATIONS_KEPT = 4096
#: Templates' translations by page language and message (see `page_gettext`).
TRANSLATIONS: dict[tuple[str | None, str], str] = {}


@pass_context
def page_gettext(context: Context, message: str) -> str:
    """Django's `gettext` for templates, with each message's translation kept
    per page language: a template's messages are the same few hundred literals on
    every page, and each `_()` asked Django's thread-local for the language and
    looked the message up in every catalogue again (about 2.5 microseconds, a
    hundred times an application). Holds the service's own wording, not what
    people type; only plain text messages are kept, and no more than
    `TRANSLATIONS_KEPT`; forgotten when the translation settings change."""
    if type(message) is not str:
        return translation.gettext(message)
    key = (page_language(context), message)
    text = TRANSLATIONS.get(key)
    if text is None:
        text = translation.gettext(message)
        if len(TRANSLATIONS) < TRANSLATIONS_KEPT:
            TRANSLATIONS[key] = text
    return text


@receiver(setting_changed)
def _forget_translations(setting: str, **kwargs: Any) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        TRANSLATIONS.clear()


def chrome_renderer(env: Environment):
    """The header, phase banner and footer are the same on every page in a language:
    render each once per language and reuse it (they are a large share of the cost
    of a page, and of the CPU a deadline night needs)."""
    rendered = BoundedCache(
        256, "page chrome (header, footer, banners) per language and settings"
    )

    @pass_context
    def chrome(context: Context, name: str, **params: Any) -> Markup:
        """`params` are the few values a part depends on beyond the language."""
        key = (name, page_language(context) or "en", *sorted(params.items()))
        html = None if settings.DEBUG else rendered.get(key)
        if html is None:
            template = env.get_template("chrome/%s.html" % name)
            rendered_html = template.render(
                service_name=str(settings.SERVICE_NAME), **params
            )
            # Rendered by this autoescaping environment from our own template.
            html = Markup(rendered_html)  # noqa: S704
            rendered.put(key, html)
        return html

    chrome.cache = rendered  # type: ignore[attr-defined]
    return chrome


def field_renderer(env: Environment):
    """`render_field` with its output remembered, for questions whose markup is the
    same for everyone who sees them.

    A field's markup depends only on the form's class, the field, the call's options,
    the page's language, its answer (and those of any questions it reveals), its
    choices and its errors. Most page views show an empty question, or one answered
    by picking one of its own choices, so the same markup is asked for again and
    again; the design-system macros that make it are most of a page's cost. A
    question holding text the person typed (or a password) is rendered afresh and
    never kept: the cache holds nothing personal (docs/adr/0007-process-caches.md)."""
    rendered = BoundedCache(
        4096,
        "markup of questions that are empty or answered with one of their own "
        "choices, with their errors",
    )

    @pass_context
    def render_field(context: Context, form: Any, name: str, **options: Any) -> Markup:
        key = _field_key(form, name, options, page_language(context))
        if key is None:
            return _macro(env)(form, name, **options)
        cached = rendered.get(key)
        if cached is None:
            # A macro of an autoescaping environment returns Markup already.
            cached = _macro(env)(form, name, **options)
            rendered.put(key, cached)
        return cached

    render_field.cache = rendered  # type: ignore[attr-defined]
    return render_field


#: Macros nearly every page calls, offered as globals rather than imported by each
#: template: an import is looked up again on every render (about 10 microseconds).
PAGE_MACROS = {
    "govukBackLink": "govuk_frontend_jinja/components/back-link/macro.html",
    "govukButton": "govuk_frontend_jinja/components/button/macro.html",
    "error_summary": "core/fields.html",
}


def macro_global(env: Environment, template: str, name: str):
    """The macro `name` of `template`, as a global that loads it when first called
    (and again after the template changes, where templates are reloaded)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(env.get_template(template).module, name)(*args, **kwargs)

    return call


def button_global(env: Environment):
    """`govukButton` for pages: written by `written_button` where it writes the
    parameters given, else the design system's macro."""
    macro = macro_global(env, PAGE_MACROS["govukButton"], "govukButton")

    def govukButton(params: Any) -> Markup:
        written = written_button(params)
        return macro(params) if written is None else written

    return govukButton


def _macro(env: Environment):
    return env.get_template("core/fields.html").module.render_field  # type: ignore[attr-defined]


def _field_key(
    form: Any, name: str, options: dict[str, Any], language: str | None
) -> tuple | None:
    """What the field's markup depends on, or None where it must not be kept: it
    holds text the person typed, a password, or options read from the database."""
    if settings.DEBUG or isinstance(form.fields[name], OptionsField):
        return None
    names = [name, *[n for by in form.reveals.get(name, {}).values() for n in by]]
    state = []
    for field_name in names:
        bound = form[field_name]
        field = bound.field
        answer = _shared_answer(form, bound)
        if answer is None:
            return None
        declared = _declared_wording(type(form))
        choices = tuple(
            (repr(value), _wording(label, declared))
            for value, label in getattr(field, "choices", ()) or ()
        )
        errors = (
            tuple(str(e) for e in form.errors.get(field_name, ()))
            if form.is_bound
            else ()
        )
        state.append(
            (
                field_name,
                answer,
                choices,
                errors,
                _wording(field.label, declared),
                _wording(field.help_text, declared),
            )
        )
    return (
        language,
        type(form).__module__,
        type(form).__qualname__,
        tuple(sorted((k, str(v)) for k, v in options.items())),
        tuple(state),
    )


class _Same:
    """A lazy translation in a field cache key, compared by identity: the same
    object gives the same text in the key's language, and translating it only to
    compare it costs more than the rest of the key. The key holds the object, so
    no other can take its id while the entry is kept."""

    __slots__ = ("wording",)

    def __init__(self, wording: Promise) -> None:
        self.wording = wording

    def __hash__(self) -> int:
        return id(self.wording)

    def __eq__(self, other: object) -> bool:
        return type(other) is _Same and other.wording is self.wording

    def __repr__(self) -> str:
        return "_Same(%r)" % (self.wording,)


#: Per form class, the ids of the lazy translations it declares (labels, hints,
#: choice labels): bounded by the form classes in the code; ids only.
_DECLARED: dict[type, frozenset[int]] = {}


def _declared_wording(cls: type) -> frozenset[int]:
    known = _DECLARED.get(cls)
    if known is None:
        known = _DECLARED[cls] = frozenset(
            id(wording)
            for field in getattr(cls, "base_fields", {}).values()
            for wording in (
                field.label,
                field.help_text,
                *(label for _value, label in getattr(field, "choices", ()) or ()),
            )
            if isinstance(wording, Promise)
        )
    return known


def _wording(text: Any, declared: frozenset[int]) -> Any:
    """Wording as a key holds it: a translation the form's class declares (which
    lives as long as the class) by identity, anything else (wording a form makes
    for itself, each time it is made) as its text."""
    if isinstance(text, Promise) and id(text) in declared:
        return _Same(text)
    return str(text)


def _shared_answer(form: Any, bound: Any) -> tuple | None:
    """The field's answer as its markup shows it, where that is the same for
    everyone who gives it: nothing, or some of the field's own choices (a value sent
    that is not among them is shown as no answer). None for a typed answer or a
    password."""
    field = bound.field
    if isinstance(field.widget, forms.PasswordInput):
        return None
    value = bound.value()
    if isinstance(field.widget, forms.CheckboxInput):
        return (bool(value),)
    if isinstance(value, dict):  # a date's day, month and year
        value = list(value.values())
    given = [
        str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v
    ]
    if not given:
        return ()
    if isinstance(field, GovukDateField) or not hasattr(field, "choices"):
        return None
    offered = {str(value) for value, _label in field.choices}
    return tuple(sorted(set(given) & offered))


def environment(**options: Any) -> Environment:
    app_loader = options.pop("loader", None)
    govuk_loader = PrefixLoader(
        {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
    )
    options["loader"] = ChoiceLoader(
        [loader for loader in (app_loader, govuk_loader) if loader]
    )
    options.setdefault("extensions", []).extend(["jinja2.ext.i18n", "jinja2.ext.do"])
    options["auto_reload"] = settings.DEBUG
    options["trim_blocks"] = True
    options["lstrip_blocks"] = True
    env = Environment(**options)  # noqa: S701 - autoescape is set by Django's backend
    env.install_gettext_callables(  # type: ignore[attr-defined]
        page_gettext, translation.ngettext, newstyle=True
    )
    env.globals["chrome"] = chrome_renderer(env)
    env.globals["cached_render_field"] = field_renderer(env)
    for name, template in PAGE_MACROS.items():
        env.globals[name] = macro_global(env, template, name)
    env.globals["govukButton"] = button_global(env)
    env.filters["indent"] = indent
    env.filters["date_long"] = date_long
    elections_templating.install(env)
    env.globals.update(
        {
            "field_params": field_params,
            "field_kind": field_kind,
            "options_html": options_html,
            "summary_list": summary_list,
            "url": url,
            "translated_path": translated_path,
            "static": static_path,
            "get_current_language": translation.get_language,
        }
    )
    return env
