"""The policy header is built once from the settings, and still follows a view that
asks for its own policy, a nonce, and a change of settings."""

from csp.constants import NONCE, SELF
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from ier.core.middleware import ContentSecurityPolicyMiddleware


def respond(view_response=None, request=None):
    response = view_response or HttpResponse("page")
    middleware = ContentSecurityPolicyMiddleware(lambda request: response)
    return middleware(request or RequestFactory().get("/register/name/"))


def test_the_policy_is_the_one_django_csp_builds_from_the_settings():
    assert respond()["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in respond()


def test_a_view_that_updates_the_policy_gets_its_own():
    response = HttpResponse("page")
    response._csp_update = {"img-src": ["https://example.com"]}
    policy = respond(response)["Content-Security-Policy"]
    assert "img-src 'self' data: https://example.com" in policy


def test_a_view_exempt_from_the_policy_gets_none():
    response = HttpResponse("page")
    response._csp_exempt = True
    assert "Content-Security-Policy" not in respond(response)


def test_a_request_that_used_a_nonce_gets_it_in_its_policy():
    request = RequestFactory().get("/")
    policy = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):

        def view(request):
            str(request.csp_nonce)
            return HttpResponse("page")

        middleware = ContentSecurityPolicyMiddleware(view)
        response = middleware(request)
    assert "'nonce-%s'" % request._csp_nonce in response["Content-Security-Policy"]


def test_a_change_of_settings_changes_the_header():
    respond()  # the policy from the settings is built and kept
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    report = {"DIRECTIVES": {"default-src": ["'self'"]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=report
    ):
        response = respond()
        assert response["Content-Security-Policy"] == "default-src 'none'"
        assert response["Content-Security-Policy-Report-Only"] == "default-src 'self'"
    assert respond()["Content-Security-Policy"] == build_policy()


def test_an_excluded_path_gets_no_policy():
    policy = {"EXCLUDE_URL_PREFIXES": ["/healthz"], "DIRECTIVES": {"default-src": []}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        request = RequestFactory().get("/healthz")
        assert "Content-Security-Policy" not in respond(request=request)


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    request = RequestFactory().get("/")
    respond(request=request)
    try:
        str(request.csp_nonce)
    except Exception as error:
        assert "after the CSP header has been written" in str(error)
    else:
        raise AssertionError("a late nonce was handed out")


def test_each_policy_keeps_its_own_exclusions_and_exemption():
    policy = {"EXCLUDE_URL_PREFIXES": ["/healthz"], "DIRECTIVES": {"default-src": []}}
    report = {"EXCLUDE_URL_PREFIXES": ["/api/"], "DIRECTIVES": {"img-src": []}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=report
    ):
        for path, enforced, reported in [
            ("/healthz", False, True),
            ("/api/v1/counts", True, False),
            ("/register/name/", True, True),
        ]:
            for _ in range(2):  # built, then kept
                response = respond(request=RequestFactory().get(path))
                assert ("Content-Security-Policy" in response) is enforced
                assert ("Content-Security-Policy-Report-Only" in response) is reported
        exempt_ro = HttpResponse("page")
        exempt_ro._csp_exempt_ro = True
        response = respond(exempt_ro)
        assert "Content-Security-Policy" in response
        assert "Content-Security-Policy-Report-Only" not in response
    assert (
        respond(request=RequestFactory().get("/healthz"))["Content-Security-Policy"]
        == build_policy()
    )
