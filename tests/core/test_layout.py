"""The flat page layout gives the markup of the GOV.UK page template it stands for."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

# The page as the GOV.UK page template (template.html from govuk-frontend-jinja)
# composes it with this service's blocks: what layouts/base.html writes out flat.
REFERENCE = """
{% extends "govuk_frontend_jinja/template.html" %}
{% from "govuk_frontend_jinja/components/back-link/macro.html" import govukBackLink %}
{% from "govuk_frontend_jinja/components/skip-link/macro.html" import govukSkipLink %}
{% from "govuk_frontend_jinja/components/header/macro.html" import govukHeader %}
{% from "govuk_frontend_jinja/components/service-navigation/macro.html"
   import govukServiceNavigation %}
{% from "govuk_frontend_jinja/components/phase-banner/macro.html"
   import govukPhaseBanner %}
{% block pageTitle %}{{ title }} - {{ service_name }} - GOV.UK{% endblock %}
{% block head %}
  <link rel="stylesheet" href="{{ static('govuk/govuk-frontend.min.css') }}">
  <link rel="stylesheet" href="{{ static('ier/app.css') }}">
{% endblock %}
{% block skipLink %}
  {{ govukSkipLink({"href": "#main-content", "text": _("Skip to main content")}) }}
{% endblock %}
{% block header %}
  <header class="govuk-template__header">
    {{ govukHeader({"homepageUrl": "https://www.gov.uk/"}) }}
    {{ govukServiceNavigation({"serviceName": service_name,
       "serviceUrl": url("registration:start"), "navigationLabel": _("Menu"),
       "menuButtonText": _("Menu")}) }}
    <div class="govuk-width-container">{{ chrome("phase") }}</div>
  </header>
{% endblock %}
{% block beforeContent %}
  <nav class="ier-language-switcher" aria-label="{{ _('Language switcher') }}">
    <ul class="ier-language-switcher__list">
      <li class="ier-language-switcher__item ier-language-switcher__item--current">
        <span aria-current="true">English</span></li>
      <li class="ier-language-switcher__item"><a class="govuk-link"
        href="{{ translated_path(request, 'cy') }}" hreflang="cy" lang="cy"
        rel="alternate">Cymraeg</a></li>
    </ul>
  </nav>
  <nav aria-label="{{ _('Previous page') }}">
    {{ govukBackLink({"href": back_url, "text": _("Back")}) }}</nav>
{% endblock %}
{% block content %}
  <div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
    <h1 class="govuk-heading-l">{{ title }}</h1>
  </div></div>
{% endblock %}
{% block footer %}
  <footer class="govuk-template__footer">{{ chrome("footer") }}</footer>
{% endblock %}
{% block bodyEnd %}
  <script type="module" src="{{ static('ier/app.js') }}"></script>
{% endblock %}
"""

FLAT = """
{% extends "layouts/base.html" %}
{% block main_column %}<h1 class="govuk-heading-l">{{ title }}</h1>{% endblock %}
"""


def normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s*(<|>)\s*", r"\1", html)
    return html.strip()


@pytest.mark.django_db
def test_the_flat_layout_gives_the_gov_uk_page_template_markup():
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    request = RequestFactory().get("/register/where-you-live/")
    with translation.override("en"):
        context = {
            "request": request,
            "title": "Where do you live?",
            "service_name": "Register to vote",
            "back_url": "/register/",
            "csp_nonce": "abc123",
            "cspNonce": "abc123",
            "htmlLang": "en",
            "assetPath": "/assets",
        }
        reference = env.from_string(REFERENCE).render(context)
        flat = env.from_string(FLAT).render(context)
    assert "govuk-header" in flat and "govuk-footer" in flat
    # The template's one inline script is a file here (no inline script may run):
    # the same code, loaded from where the template writes it.
    inline = re.search(r'<script nonce="abc123">(.*?)</script>', reference, re.S)
    assert inline is not None
    script = Path(__file__).parents[2] / "src/ier/core/static/ier/js-enabled.js"
    assert script.read_text().strip() == inline.group(1).strip()
    external = re.search(r'<script src="([^"]+js-enabled[^"]*)"></script>', flat)
    assert external is not None
    reference = reference.replace(inline.group(0), external.group(0))
    assert "<script>" not in flat and "nonce" not in flat
    assert normalised(flat) == normalised(reference)
