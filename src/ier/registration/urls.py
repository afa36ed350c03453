from django.urls import path

from ier.registration import views

app_name = "registration"

urlpatterns = [
    path("", views.start_page, name="start"),
    path("register/start/", views.begin, name="begin"),
    path("register/start/<slug:kind>/", views.begin, name="begin_journey"),
    path("register/check-answers/", views.check_answers, name="check"),
    path("register/complete/", views.complete, name="complete"),
    path("register/session-expired/", views.timeout, name="timeout"),
    path("register/exit/<slug:slug>/", views.exit_page, name="exit"),
    path("register/<slug:slug>/", views.step_view, name="step"),
]
