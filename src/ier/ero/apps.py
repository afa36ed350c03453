from django.apps import AppConfig


class EroConfig(AppConfig):
    name = "ier.ero"
    default_auto_field = "django.db.models.BigAutoField"
