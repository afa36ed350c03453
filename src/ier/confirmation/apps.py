from django.apps import AppConfig


class ConfirmationConfig(AppConfig):
    name = "ier.confirmation"
    default_auto_field = "django.db.models.BigAutoField"
