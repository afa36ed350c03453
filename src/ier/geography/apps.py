from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "ier.geography"
    default_auto_field = "django.db.models.BigAutoField"
