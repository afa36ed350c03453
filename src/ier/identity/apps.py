from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "ier.identity"
    default_auto_field = "django.db.models.BigAutoField"
