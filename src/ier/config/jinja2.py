"""The Jinja2 environment: GOV.UK Frontend macros, Django's translations and URLs."""

import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.formats import date_format
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader
from markupsafe import Markup

from ier.core.forms import (
    GovukDateField,
    OptionsField,
    field_kind,
    field_params,
    options_html,
)
from ier.core.paths import page_path
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


def chrome_renderer(env: Environment):
    """The header, phase banner and footer are the same on every page in a language:
    render each once per language and reuse it (they are a large share of the cost
    of a page, and of the CPU a deadline night needs)."""
    rendered: dict[tuple[Any, ...], Markup] = {}

    def chrome(name: str, **params: Any) -> Markup:
        """`params` are the few values a part depends on beyond the language."""
        key = (name, translation.get_language() or "en", *sorted(params.items()))
        if key not in rendered or settings.DEBUG:
            template = env.get_template("chrome/%s.html" % name)
            html = template.render(service_name=str(settings.SERVICE_NAME), **params)
            # Rendered by this autoescaping environment from our own template.
            rendered[key] = Markup(html)  # noqa: S704
        return rendered[key]

    return chrome


def field_renderer(env: Environment):
    """`render_field` with its output remembered.

    A field's markup depends only on the form's class, the field, the call's options,
    the page's language, what was typed into it (and into any questions it reveals),
    its choices and its errors. Most page views show an empty or already-answered
    question, so the same markup is asked for again and again; the design-system
    macros that make it are most of a page's cost."""
    lock = threading.Lock()
    rendered: OrderedDict[tuple, Markup] = OrderedDict()
    limit = 4096

    def render_field(form: Any, name: str, **options: Any) -> Markup:
        key = _field_key(form, name, options)
        if key is None:
            return _macro(env)(form, name, **options)
        with lock:
            cached = rendered.get(key)
            if cached is not None:
                rendered.move_to_end(key)
                return cached
        # A macro of an autoescaping environment returns Markup already.
        markup: Markup = _macro(env)(form, name, **options)
        with lock:
            rendered[key] = markup
            if len(rendered) > limit:
                rendered.popitem(last=False)
        return markup

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


def _macro(env: Environment):
    return env.get_template("core/fields.html").module.render_field  # type: ignore[attr-defined]


def _field_key(form: Any, name: str, options: dict[str, Any]) -> tuple | None:
    if settings.DEBUG or isinstance(form.fields[name], OptionsField):
        return None  # options read from the database are not part of the key
    names = [name, *[n for by in form.reveals.get(name, {}).values() for n in by]]
    state = []
    for field_name in names:
        bound = form[field_name]
        field = bound.field
        if form.is_bound:
            value: Any = tuple(
                (k, tuple(form.data.getlist(k))) for k in _input_names(bound)
            )
        else:
            value = repr(bound.value())
        choices = tuple(getattr(field, "choices", ()) or ())
        errors = (
            tuple(str(e) for e in form.errors.get(field_name, ()))
            if form.is_bound
            else ()
        )
        state.append(
            (
                field_name,
                value,
                repr(choices),
                errors,
                str(field.label),
                str(field.help_text),
            )
        )
    return (
        translation.get_language(),
        type(form).__module__,
        type(form).__qualname__,
        tuple(sorted((k, str(v)) for k, v in options.items())),
        tuple(state),
    )


def _input_names(bound: Any) -> list[str]:
    if isinstance(bound.field, GovukDateField):
        return ["%s-%s" % (bound.html_name, part) for part in ("day", "month", "year")]
    return [bound.html_name]


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
        translation.gettext, translation.ngettext, newstyle=True
    )
    env.globals["chrome"] = chrome_renderer(env)
    env.globals["cached_render_field"] = field_renderer(env)
    for name, template in PAGE_MACROS.items():
        env.globals[name] = macro_global(env, template, name)
    env.filters["indent"] = indent
    env.filters["date_long"] = date_long
    elections_templating.install(env)
    env.globals.update(
        {
            "field_params": field_params,
            "field_kind": field_kind,
            "options_html": options_html,
            "url": url,
            "translated_path": translated_path,
            "static": static,
            "get_current_language": translation.get_language,
        }
    )
    return env
