"""Repository invariants: every portal and API view has a permission rule, and the
scoping check passes on the code as it is."""

from django.urls import URLPattern, URLResolver, get_resolver

from ier.core.checks import scoping

GUARDED_PREFIXES = ("ero/", "evidence/", "api/v1/")
# The API's own description of itself, readable without a token, its bare root
# (which answers 404), and the public elections and deadlines at a postcode (no
# personal data; rate-limited per client address).
OPEN_API_VIEWS = {
    "openapi-json",
    "openapi-view",
    "api-root",
    "elections",
    "deadlines_feed",
}


def walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def ninja_operations_without_auth(callback):
    """None for a Django view; for an API route, its operations that take no token.
    (django-ninja's view is a closure over the route's PathView.)"""
    for cell in getattr(callback, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations is not None:
            return [op for op in operations if not op.auth_callbacks]
    return None


def test_every_portal_and_api_view_has_a_permission_rule():
    missing = []
    checked = 0
    for route, pattern in walk(get_resolver().url_patterns):
        if not route.startswith(GUARDED_PREFIXES) or pattern.name in OPEN_API_VIEWS:
            continue
        checked += 1
        unguarded = ninja_operations_without_auth(pattern.callback)
        if unguarded is not None:
            if unguarded:
                missing.append(route)
        elif getattr(pattern.callback, "permission_rule", None) is None:
            missing.append(route)
    assert checked > 20
    assert missing == []


def test_scoping_check_passes_on_the_code():
    assert scoping.main(["src/ier"]) == 0


def test_scoping_check_catches_a_direct_query(tmp_path):
    bad = tmp_path / "ero" / "views.py"
    bad.parent.mkdir()
    bad.write_text("def v(r):\n    return Application.objects.filter(reference='x')\n")
    assert scoping.problems_in(bad) == [(2, "Application.objects.filter")]
    fine = tmp_path / "ero" / "ok.py"
    fine.write_text("def v(r, a):\n    return Application.objects.for_authority(a)\n")
    assert scoping.problems_in(fine) == []
