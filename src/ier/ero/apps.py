from django.apps import AppConfig


class EroConfig(AppConfig):
    name = "ier.ero"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib import admin
        from django.db.models.signals import post_delete
        from django_otp.admin import OTPAdminSite

        from ier.ero.models import EvidenceFile

        # Operators sign in to /django-admin/ with a code from their app too.
        admin.site.__class__ = OTPAdminSite
        post_delete.connect(
            _remove_evidence_file,
            sender=EvidenceFile,
            dispatch_uid="ero-remove-evidence-file",
        )


def _remove_evidence_file(sender, instance, **kwargs) -> None:
    """The encrypted file goes with its row, so purging an application purges it."""
    from ier.ero import evidence

    evidence.remove_file(instance)
