"""A page's path is worked out once per language and remembered."""

from django.urls import include, path, reverse
from django.utils import translation

from ier.core.paths import page_path


def test_a_path_is_the_one_django_reverses_in_each_language():
    for language in ("en", "cy"):
        with translation.override(language):
            for _ in range(2):  # worked out, then remembered
                assert page_path("registration:step", slug="name") == reverse(
                    "registration:step", kwargs={"slug": "name"}
                )
                assert page_path("registration:check") == reverse("registration:check")
    with translation.override("cy"):
        assert page_path("registration:check").startswith("/cy/")
    with translation.override("en"):
        assert not page_path("registration:check").startswith("/cy/")


# A URL configuration for the test below: the status page somewhere else.
urlpatterns = [path("elsewhere/", include("ier.citizen.status_urls"))]


def test_a_change_of_url_configuration_is_followed(settings):
    with translation.override("en"):
        assert page_path("status:lookup") == "/status/"
        settings.ROOT_URLCONF = __name__
        assert page_path("status:lookup") == "/elsewhere/"
