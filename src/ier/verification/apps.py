from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "ier.verification"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ier.registration.signals import (
            application_submitted,
            application_submitting,
        )
        from ier.verification import receivers

        application_submitting.connect(
            receivers.application_submitting,
            dispatch_uid="ier.verification.submitting",
        )
        application_submitted.connect(
            receivers.application_submitted, dispatch_uid="ier.verification.submitted"
        )
