"""Elections, the councils each one covers, and the imports that loaded them."""

from django.db import models
from django.utils import timezone

from ier.geography.models import Authority, Nation


class ElectionImport(models.Model):
    """One load of an elections file: what it was, what it loaded and what it left
    out. A file loaded in full before is not loaded again unless forced; undoing a
    run removes the elections it wrote last."""

    class Format(models.TextChoices):
        EVERYELECTION = "everyelection", "Democracy Club EveryElection JSON"
        COUNCIL_CSV = "council_csv", "Council by-elections CSV"

    class State(models.TextChoices):
        COMPLETE = "complete", "Complete"
        FAILED = "failed", "Failed"
        REVERSED = "reversed", "Reversed"

    format = models.CharField(max_length=20, choices=Format.choices)
    file_name = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.IntegerField(default=0)
    created = models.IntegerField(default=0)
    updated = models.IntegerField(default=0)
    rows_skipped = models.IntegerField(default=0)
    # {"reason": {"count": n, "examples": ["local.x.2026-05-07", ...]}}
    skipped = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return "%s %s (%s)" % (self.format, self.file_name, self.state)


class Election(models.Model):
    """A poll: Democracy Club's election id, its date and what it is for.

    Which councils (and so which addresses) it covers is `areas`, resolved from the
    GSS codes the source gives; the registration deadline is per area, as the part
    of the United Kingdom decides which bank holidays do not count."""

    election_id = models.CharField(max_length=250, unique=True)
    title = models.CharField(max_length=300)
    poll_date = models.DateField(db_index=True)
    election_type = models.CharField(max_length=40)
    organisation = models.CharField(max_length=300, blank=True)
    organisation_gss = models.CharField(max_length=9, blank=True)
    division = models.CharField(max_length=300, blank=True)
    division_gss = models.CharField(max_length=9, blank=True)
    # Empty where the election spans more than one nation (a general election).
    nation = models.CharField(max_length=20, choices=Nation.choices, blank=True)
    cancelled = models.BooleanField(default=False)
    import_run = models.ForeignKey(
        ElectionImport, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["poll_date", "title"]

    def __str__(self) -> str:
        return self.election_id


class ElectionArea(models.Model):
    """A council an election covers, with the registration deadline there: the
    moment (midnight at the end of the deadline day, UK time) after which an
    application no longer counts for the election."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="areas"
    )
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="election_areas"
    )
    deadline_day = models.DateField()
    deadline = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["election", "authority"], name="unique_election_area"
            )
        ]
        indexes = [
            models.Index(fields=["authority", "deadline"], name="election_area_due")
        ]

    def __str__(self) -> str:
        return "%s in %s" % (self.election_id, self.authority_id)


class RegisterCheckCouncil(models.Model):
    """A council that offers "Am I registered?" against the register entries its
    EMS uploads (docs/security.md has the privacy assessment)."""

    authority = models.OneToOneField(
        Authority, on_delete=models.CASCADE, related_name="register_check"
    )
    enabled_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "register check for %s" % self.authority_id


class RegisterCheckRecord(models.Model):
    """One "Am I registered?" answer: when, which council, what was said. Nothing
    the person typed is kept. Rows are only ever added."""

    class Outcome(models.TextChoices):
        FOUND = "found", "Appears to be registered at the address"
        NOT_FOUND = "not_found", "Not found"
        NOT_OFFERED = "not_offered", "The council does not offer the check"
        LIMITED = "limited", "Too many attempts"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    authority = models.ForeignKey(
        Authority, null=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return "register check %s %s" % (self.outcome, self.at)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("register check records are append-only")
        super().save(*args, **kwargs)
