from django.urls import path

from ier.citizen import status

app_name = "status"

urlpatterns = [path("", status.lookup, name="lookup")]
