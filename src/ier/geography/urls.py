from django.urls import path

from ier.geography import views

app_name = "geography"

urlpatterns = [
    path("", views.contact_your_council, name="contact"),
]
