from django.urls import path

from ier.ero.views import correction_link

app_name = "correction"

urlpatterns = [
    path("<str:token>/", correction_link.correct, name="correct"),
]
