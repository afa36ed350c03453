"""What verification and the duplicate checks found, for officers to read, and the
record of every register import."""

from django.db import models
from django.utils import timezone

from ier.geography.models import Authority
from ier.registration.models import Application, RegisterEntry, Status

RESULTS = [(s.value, s.label) for s in Status.VERIFICATION_OUTCOMES]


class Verification(models.Model):
    """One completed check of an application against the identity record."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="verifications"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    result = models.CharField(max_length=20, choices=RESULTS)
    # [{"check": "date_of_birth", "outcome": "match"}, ...]: see presenters.REASONS.
    checks = models.JSONField(default=list)
    worker = models.CharField(max_length=64)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["application", "checked_at"])]

    def __str__(self) -> str:
        return "%s %s" % (self.application_id, self.result)


class DuplicateCheck(models.Model):
    """The check made when the application arrived: is the same person (name, date
    of birth and address) already on the register, or already applying? The
    worker's second look (`duplicates.second_look`) adds the earlier applications it
    finds to `pending_matches`."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="duplicate_check",
    )
    # Found through the (authority, match_key) index, which begins with it.
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # Keyed hash of the normalised name, date of birth and address (see duplicates.py).
    match_key = models.CharField(max_length=64, blank=True)
    on_register = models.BooleanField(default=False)
    register_entry = models.ForeignKey(
        RegisterEntry,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # References of other undetermined applications from the same person.
    pending_matches = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["authority", "match_key"])]

    def __str__(self) -> str:
        return str(self.application_id)


class RegisterImport(models.Model):
    """One run of `ier import-register`."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=300)
    file_sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(default=False)
    replace = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_removed = models.PositiveIntegerField(default=0)
    # Row numbers and what was wrong, never the row's contents.
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return "%s %s" % (self.file_name, self.started_at)
