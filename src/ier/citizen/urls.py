from django.urls import path

from ier.citizen import information, keep_alive, views

app_name = "registration"

urlpatterns = [
    path("", views.start_page, name="start"),
    path("register/start/", views.begin, name="begin"),
    path("register/start/<slug:kind>/", views.begin, name="begin_journey"),
    path("register/check-answers/", views.check_answers, name="check"),
    path("register/complete/", views.complete, name="complete"),
    path("register/session-expired/", views.timeout, name="timeout"),
    path("register/keep-alive/", keep_alive.keep_alive, name="keep_alive"),
    path(
        "overseas/",
        information.journey_start,
        {"kind": "overseas"},
        name="start_overseas",
    ),
    path("forces/", information.journey_start, {"kind": "forces"}, name="start_forces"),
    path("crown/", information.journey_start, {"kind": "crown"}, name="start_crown"),
    path("other-ways-to-register/", information.other_ways, name="other_ways"),
    path("register/exit/<slug:slug>/", views.exit_page, name="exit"),
    path("register/<slug:slug>/", views.step_view, name="step"),
]
