from django.urls import path

from ier.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
