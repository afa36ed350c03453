from django.urls import path

from ier.core import views

app_name = "core"

urlpatterns = [
    path("cookies/", views.page, {"template": "core/cookies.html"}, name="cookies"),
    path(
        "accessibility/",
        views.page,
        {"template": "core/accessibility.html"},
        name="accessibility",
    ),
    path("privacy/", views.page, {"template": "core/privacy.html"}, name="privacy"),
]
