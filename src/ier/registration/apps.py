from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "ier.registration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Emails to applicants listen for submissions and changes of status.
        from ier.registration import notifications  # noqa: F401
