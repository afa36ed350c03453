"""The Jinja2 environment: GOV.UK Frontend macros, Django's translations and URLs."""

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.formats import date_format
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader
from markupsafe import Markup

from ier.core.forms import field_kind, field_params, options_html


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
    return Markup(rv) if is_markup else rv


def translated_path(request: Any, language: str) -> str:
    """The same page in another language, keeping the person's place."""
    return translate_url(request.get_full_path(), language)


def date_long(value: Any) -> str:
    """ "4 March 2026", in the page's language."""
    if hasattr(value, "astimezone"):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def chrome_renderer(env: Environment):
    """The header, phase banner and footer are the same on every page in a language:
    render each once per language and reuse it (they are a large share of the cost
    of a page, and of the CPU a deadline night needs)."""
    rendered: dict[tuple[str, str], Markup] = {}

    def chrome(name: str) -> Markup:
        key = (name, translation.get_language() or "en")
        if key not in rendered or settings.DEBUG:
            template = env.get_template("chrome/%s.html" % name)
            rendered[key] = Markup(
                template.render(service_name=str(settings.SERVICE_NAME))
            )
        return rendered[key]

    return chrome


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
    env.filters["indent"] = indent
    env.filters["date_long"] = date_long
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
