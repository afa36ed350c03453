from django.urls import path

from ier.ero.views import evidence_upload

app_name = "evidence"

urlpatterns = [
    path("<str:token>/", evidence_upload.upload, name="upload"),
]
