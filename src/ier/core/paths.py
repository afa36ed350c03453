"""Paths of the service's own pages, worked out once per language.

Every page links and redirects to a handful of pages by name, and Django's
`reverse()` works each path out afresh (a measurable part of a page). The answer
depends only on the name, its arguments, the language (the /cy/ prefix), the script
prefix and the URL configuration, so it is remembered by those. Paths name no
person (no personal data in URLs), so remembering them keeps none."""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation


def page_path(viewname: str, **kwargs: str) -> str:
    """`reverse(viewname, kwargs=kwargs)`, remembered."""
    return _reversed(
        viewname,
        tuple(sorted(kwargs.items())),
        translation.get_language(),
        get_script_prefix(),
        get_urlconf(),
    )


@functools.lru_cache(maxsize=4096)
def _reversed(
    viewname: str,
    kwargs: tuple[tuple[str, str], ...],
    language: str | None,
    script_prefix: str,
    urlconf: str | None,
) -> str:
    return reverse(viewname, kwargs=dict(kwargs) or None)


def static_path(path: str) -> str:
    """Django's `static(path)`, remembered: the address of a static file depends
    only on its name, the settings and the manifest of the files collected with
    the code (read once by the process), and every page asks for the same few.
    Asked afresh in DEBUG, where files change while the process runs."""
    if settings.DEBUG:
        return static(path)
    return _static(path)


@functools.lru_cache(maxsize=256)
def _static(path: str) -> str:
    return static(path)


@receiver(setting_changed)
def _forget_paths(setting, **kwargs):
    if setting in ("ROOT_URLCONF", "LANGUAGES", "FORCE_SCRIPT_NAME"):
        _reversed.cache_clear()
    if setting in ("STATIC_URL", "STORAGES", "FORCE_SCRIPT_NAME", "DEBUG"):
        _static.cache_clear()


def service_link(path: str) -> str:
    """The address of one of the service's pages as people reach it, for links
    sent by email: built from IER_SERVICE_URL only, never from the request's Host
    header, which the sender of a request chooses."""
    return settings.SERVICE_URL.rstrip("/") + path
