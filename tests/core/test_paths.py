"""A page's path is worked out once per language and remembered."""

from django.urls import include, path, reverse
from django.utils import translation

from ier.core.paths import page_path, static_path


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


def test_a_static_file_is_where_django_puts_it_and_asked_for_once(monkeypatch):
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.template import engines
    from django.templatetags.static import static

    env_static = engines["jinja2"].env.globals["static"]
    names = ["ier/app.js", "govuk/govuk-frontend.min.css", "ier/app.js"]
    assert [env_static(name) for name in names] == [static(name) for name in names]
    asked = []
    storage_url = staticfiles_storage.url

    def url(name):
        asked.append(name)
        return storage_url(name)

    monkeypatch.setattr(staticfiles_storage, "url", url)
    for _ in range(3):
        assert env_static("ier/app.js") == static_path("ier/app.js")
    assert asked == []  # remembered from before


def test_a_static_file_follows_a_change_of_settings(settings):
    assert static_path("ier/app.js") == "/assets/ier/app.js"
    settings.STATIC_URL = "/elsewhere/"
    assert static_path("ier/app.js") == "/elsewhere/ier/app.js"
    settings.DEBUG = True
    assert static_path("ier/app.js") == "/elsewhere/ier/app.js"
