from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "ier.registration"
    default_auto_field = "django.db.models.BigAutoField"
