from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from ier.api.api import api as ems_api
from ier.core import views as core_views
from ier.ero.views import signin
from ier.performance import health
from ier.performance import views as performance_views

handler404 = "ier.core.views.not_found"
handler500 = "ier.core.views.server_error"

# Django tries these in order, and each nested `include` it tries is one more
# resolver to look into. The health checks come first (a load balancer asks for
# them most), then the citizen pages (most of the service's requests), then the
# officers', the admin's and the API's. No two entries share an address, so the
# order changes no page (tests/core/test_url_order.py).
urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(".well-known/security.txt", core_views.security_txt, name="security-txt"),
    # Capacity and performance (issue 9): Prometheus metrics for operators.
    path("metrics", performance_views.metrics, name="metrics"),
]

urlpatterns += i18n_patterns(
    path("", include("ier.citizen.urls")),
    path("", include("ier.core.urls")),
    path("status/", include("ier.citizen.status_urls")),
    path("feedback/", include("ier.performance.feedback_urls")),
    path("performance/", include("ier.performance.urls")),  # issue 9
    # Geography (issue 8): find the electoral registration office for a postcode.
    path("contact-your-council/", include("ier.geography.urls")),
    # Elections and registration deadlines (issue 21).
    path("elections/", include("ier.elections.urls")),
    prefix_default_language=False,
)

urlpatterns += [
    path("django-admin/login/", signin.operators_sign_in, name="admin-sign-in"),
    path("django-admin/", admin.site.urls),
    # Officers' portal, evidence uploads and the EMS API (issue 5).
    path("ero/", include("ier.ero.urls")),
    path("evidence/", include("ier.ero.evidence_urls")),
    # The applicant's single-use link to correct their details (issue 20).
    path("correct/", include("ier.ero.correction_urls")),
    path("api/v1/", ems_api.urls),
]
