"""Every address of the service reaches its own view, and the citizen journey's
pages are found without trying the officers', the admin's and the API's first.

Django tries the URL configuration's entries in order, and each nested `include`
it tries is one more resolver to look into; the journey's pages are most of the
service's requests, so their entries come first after the health checks."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from django.utils import translation

SAMPLES = {
    "int": "7",
    "slug": "a-slug",
    "str": "AB12CD",
    "uuid": str(uuid.UUID(int=7)),
    "path": "a/b",
}


def _routes(resolver, prefix="", namespace=""):
    """(sample path, full route, view name) for every route of the tree."""
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            here = pattern.language_prefix
        elif isinstance(pattern, RoutePattern):
            here = pattern._route
        else:
            continue  # a regular expression (the admin's own): no sample to make
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = (namespace + ":" if namespace else "") + entry.namespace
            yield from _routes(entry, prefix + here, inner)
        elif isinstance(entry, URLPattern):
            route = prefix + here
            sample = route
            for name, converter in entry.pattern.converters.items():
                kind = {
                    "IntConverter": "int",
                    "SlugConverter": "slug",
                    "StringConverter": "str",
                    "UUIDConverter": "uuid",
                    "PathConverter": "path",
                }[type(converter).__name__]
                sample = sample.replace("<%s:%s>" % (kind, name), SAMPLES[kind])
                sample = sample.replace("<%s>" % name, SAMPLES["str"])
            yield "/" + sample, route, entry.name


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_route_is_reached_by_its_own_path(language):
    seen = set()
    with translation.override(language):
        routes = list(_routes(get_resolver()))
        assert len(routes) > 60
        for sample, route, name in routes:
            if route in seen:
                continue  # one path, several methods (the API's): the first answers
            seen.add(route)
            match = resolve(sample)
            assert match.route == route, (sample, match.route, route)
            assert match.url_name == name


def test_the_health_checks_come_first_then_the_citizen_pages():
    entries = get_resolver().url_patterns
    names = [getattr(entry, "name", None) for entry in entries[:2]]
    assert names == ["healthz", "readyz"]
    first_resolver = next(e for e in entries if isinstance(e, URLResolver))
    assert isinstance(first_resolver.pattern, LocalePrefixPattern)
    assert first_resolver.url_patterns[0].namespace == "registration"


@pytest.mark.parametrize(
    "path",
    ["/", "/register/name/", "/cy/register/check-answers/", "/register/complete/"],
)
def test_a_journey_page_looks_into_three_resolvers(path, monkeypatch):
    looked = []
    original = URLResolver.resolve

    def counted(self, path):
        looked.append(self)
        return original(self, path)

    monkeypatch.setattr(URLResolver, "resolve", counted)
    # As PathLanguageMiddleware does before the view is looked up.
    with translation.override(translation.get_language_from_path(path) or "en"):
        resolve(path)
    # The root, the language prefix, and the journey's own.
    assert len(looked) == 3
