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
