from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Feedback(models.Model):
    """One answer to the satisfaction survey. Comments are free text: the privacy
    notice asks people not to put personal details in them."""

    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    language = models.CharField(max_length=2, default="en")
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return "%d/5" % self.rating


class HealthCheck(models.Model):
    """One periodic check of the service's dependencies (`ier record-health`), so the
    performance page can show uptime from what was seen, not what was hoped."""

    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    database_ok = models.BooleanField()
    identity_service_ok = models.BooleanField()

    def __str__(self) -> str:
        return "%s %s" % (self.checked_at.isoformat(), "up" if self.up else "down")

    @property
    def up(self) -> bool:
        # Applications are accepted while the database answers; verification waits.
        return self.database_ok
