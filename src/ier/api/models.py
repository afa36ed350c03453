"""Bearer tokens for Electoral Management Systems, one authority each."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ier.geography.models import Authority


class ApiTokenQuerySet(models.QuerySet):
    def for_authority(self, authority: Authority) -> "ApiTokenQuerySet":
        return self.filter(authority=authority)

    def usable(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """The secret is shown once when made; only its SHA-256 is kept. A fast hash is
    enough because the secret is 256 random bits, not something a person chose."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # The first characters of the secret, shown in the portal so people can tell
    # tokens apart; too short to help anyone guess the rest.
    prefix = models.CharField(max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return "%s (%s…)" % (self.name, self.prefix)
