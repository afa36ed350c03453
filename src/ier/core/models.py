"""Counts shared by every web worker of every node."""

from django.db import models


class RateCount(models.Model):
    """Attempts of one identity (a hashed address or token) at one limit in the
    current window, kept in the database when no Redis is configured
    (`ier.core.ratelimit`). Holds no address, only its hash."""

    bucket = models.CharField(max_length=100, unique=True)
    period = models.BigIntegerField()
    count = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "core_ratecount"  # named in ier.core.ratelimit.COUNT_ONE_MORE

    def __str__(self) -> str:
        return self.bucket
