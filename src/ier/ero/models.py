"""Officers, what they write and ask for, and the record of everything they see or do.

Everything here belongs to one authority, and is reached only through
`for_authority(...)` from portal and API code (see ier.core.checks.scoping)."""

import secrets
import time
from base64 import b32encode
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from ier.core.fields import EncryptedTextField
from ier.geography.models import Authority
from ier.registration.models import Application


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    MANAGER = "manager", _("Manager")


class AuthorityScopedQuerySet(models.QuerySet):
    """Accounts and what they manage: one council's only."""

    def for_authority(self, authority: Authority) -> "AuthorityScopedQuerySet":
        return self.filter(authority=authority)


class OfficeScopedQuerySet(models.QuerySet):
    """What belongs with applications (notes, evidence, the audit log): seen by the
    whole registration office, like the applications themselves."""

    def for_authority(self, authority: Authority) -> "OfficeScopedQuerySet":
        return self.filter(authority_id__in=authority.office_council_ids)


class Officer(models.Model):
    """A person who works in one authority's electoral services office."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer"
    )
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="officers"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.OFFICER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuthorityScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.user.get_username()

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER


class Invitation(models.Model):
    """A single-use link that lets an invited officer set a password and an
    authenticator app. Only a hash of the link's token is kept."""

    officer = models.OneToOneField(
        Officer, on_delete=models.CASCADE, related_name="invitation"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "invitation %s" % self.pk


class Note(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="notes"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    author = models.CharField(max_length=150)
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return "note %s" % self.pk


class EvidenceRequest(models.Model):
    """An officer's request for documents, and the single-use upload link it sent."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="evidence_requests"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    message = models.TextField(blank=True)
    requested_by = models.CharField(max_length=150)
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return "evidence request %s" % self.pk

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class EvidenceFile(models.Model):
    """One uploaded document: encrypted on disk under EVIDENCE_DIR, never in the
    web root; the stored name is random and says nothing about the applicant."""

    request = models.ForeignKey(
        EvidenceRequest, on_delete=models.CASCADE, related_name="files"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="evidence_files"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.stored_name


class AppendOnlyQuerySet(OfficeScopedQuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


class AuditEntry(models.Model):
    """Who saw or did what, when. Rows are only ever added."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=60)
    reference = models.CharField(max_length=10, blank=True, db_index=True)
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["authority", "at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return "%s %s" % (self.action, self.at)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")


def new_authenticator_key() -> str:
    """20 random bytes, hex-encoded: the shared secret of RFC 6238 (SHA-1)."""
    return secrets.token_hex(20)


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """An officer's or operator's authenticator app (TOTP, RFC 6238).

    django-otp's own TOTP device keeps the secret in clear; this one keeps it
    encrypted with the field keys, so a copy of the database cannot mint codes."""

    key = EncryptedTextField(default=new_authenticator_key)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    # The time step of the last code accepted: a code is never accepted twice.
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = "authenticator app"

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(self.key)

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        if not self.verify_is_allowed()[0]:
            return False
        totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
        totp.time = time.time()
        code = str(token).strip()
        if code.isdigit() and totp.verify(int(code), self.tolerance, self.last_t + 1):
            self.last_t = totp.t()
            self.drift = totp.drift
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False

    @property
    def config_url(self) -> str:
        """The otpauth:// link an authenticator app reads from the QR code."""
        issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
        label = "%s:%s" % (issuer, self.user.get_username())
        query = urlencode(
            {
                "secret": b32encode(self.bin_key).decode(),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
                "issuer": issuer,
            },
            quote_via=quote,
        )
        return "otpauth://totp/%s?%s" % (quote(label), query)


class CorrectionRequest(models.Model):
    """An officer's request that the applicant correct chosen details (issue 20),
    and the single-use, expiring link it emailed them."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="correction_requests"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    #: The groups of fields the applicant is shown (`registration.corrections.GROUPS`).
    groups = models.JSONField(default=list)
    message = models.TextField(blank=True)
    requested_by = models.CharField(max_length=150)
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return "correction request %s" % self.pk

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
