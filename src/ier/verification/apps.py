from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "ier.verification"
    default_auto_field = "django.db.models.BigAutoField"
