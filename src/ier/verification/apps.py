from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "ier.verification"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ier.registration.signals import application_submitted
        from ier.verification import receivers

        application_submitted.connect(
            receivers.application_submitted, dispatch_uid="ier.verification.submitted"
        )
