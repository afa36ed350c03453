"""An application to register, and the record of everything that happens to it."""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ier.core import crypto
from ier.core.fields import EncryptedDateField, EncryptedJSONField
from ier.geography.models import Authority


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    VERIFYING = "verifying", _("Being checked")
    VERIFIED = "verified", _("Identity matched")
    PARTIAL = "partial", _("Identity partly matched")
    NOT_VERIFIED = "not_verified", _("Identity not matched")
    NO_NINO = "no_nino", _("No National Insurance number")
    DOWNLOADED = "downloaded", _("With the council")
    EVIDENCE_REQUESTED = "evidence_requested", _("More evidence needed")
    ACCEPTED = "accepted", _("Registered")
    REJECTED = "rejected", _("Not registered")

    # The sets every module speaks of, named once (set below the class: an enum's
    # body makes each value it assigns a member). The moves between statuses are
    # `ier.registration.lifecycle.ALLOWED`.
    #: Where verification can end, in the order they are shown.
    VERIFICATION_OUTCOMES: ClassVar[tuple["Status", ...]]
    #: With the council: handed over, and not yet decided.
    WITH_COUNCIL: ClassVar[tuple["Status", ...]]
    #: Verified (whatever the outcome) and not yet decided: the council's work.
    OPEN: ClassVar[tuple["Status", ...]]
    #: The council has decided.
    DECIDED: ClassVar[tuple["Status", ...]]
    #: Not decided yet, from submission on.
    UNDECIDED: ClassVar[tuple["Status", ...]]


Status.VERIFICATION_OUTCOMES = (
    Status.VERIFIED,
    Status.PARTIAL,
    Status.NOT_VERIFIED,
    Status.NO_NINO,
)
Status.WITH_COUNCIL = (Status.DOWNLOADED, Status.EVIDENCE_REQUESTED)
Status.OPEN = Status.VERIFICATION_OUTCOMES + Status.WITH_COUNCIL
Status.DECIDED = (Status.ACCEPTED, Status.REJECTED)
Status.UNDECIDED = (Status.SUBMITTED, Status.VERIFYING, *Status.OPEN)


class JourneyKind(models.TextChoices):
    ORDINARY = "ordinary", _("Living in the UK")
    OVERSEAS = "overseas", _("British citizen living abroad")
    FORCES = "forces", _("Armed forces")
    CROWN = "crown", _("Crown servant or British Council")


class Channel(models.TextChoices):
    """How the application reached the council: online through this service, or on
    paper, by phone or in person, keyed by the council and sent by its EMS."""

    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper form")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")


class ApplicationQuerySet(models.QuerySet):
    def for_authority(self, authority: Authority) -> "ApplicationQuerySet":
        """The only way portal and API code may reach applications: those of the
        council and of any other council its registration office serves."""
        return self.filter(authority_id__in=authority.office_council_ids)


class Application(models.Model):
    reference = models.CharField(max_length=10)
    # The citizen's journey key: a resubmission with the same key is the same
    # application.
    idempotency_key = models.CharField(max_length=32)
    journey = models.CharField(max_length=10, choices=JourneyKind.choices)
    language = models.CharField(max_length=2, default="en")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # Found through the (authority, status, submitted_at) index, which begins with
    # it: an index of its own would only be one more to write per application.
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="applications",
        db_index=False,
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    first_name = models.CharField(max_length=60)
    middle_names = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=60, blank=True)
    previous_first_name = models.CharField(max_length=60, blank=True)
    previous_middle_names = models.CharField(max_length=100, blank=True)
    previous_last_name = models.CharField(max_length=60, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    no_dob_reason = models.TextField(blank=True)
    age_range = models.CharField(max_length=12, blank=True)
    nino_encrypted = models.TextField(blank=True)
    nino_hash = models.CharField(max_length=64, blank=True)
    no_nino_reason = models.TextField(blank=True)
    nationalities = models.JSONField(default=list)
    nationality_reason = models.TextField(blank=True)

    address_uprn = models.BigIntegerField(null=True, blank=True)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    address_line_3 = models.CharField(max_length=200, blank=True)
    address_town = models.CharField(max_length=100, blank=True)
    address_postcode = models.CharField(max_length=8)
    address_manual = models.BooleanField(default=False)
    moved = models.CharField(max_length=12, blank=True)
    previous_uprn = models.BigIntegerField(null=True, blank=True)
    previous_line_1 = models.CharField(max_length=200, blank=True)
    previous_line_2 = models.CharField(max_length=200, blank=True)
    previous_line_3 = models.CharField(max_length=200, blank=True)
    previous_town = models.CharField(max_length=100, blank=True)
    previous_postcode = models.CharField(max_length=8, blank=True)
    previous_manual = models.BooleanField(default=False)
    other_address = models.CharField(max_length=12, blank=True)
    open_register = models.BooleanField(null=True)
    postal_vote = models.CharField(max_length=20, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # Answers specific to a journey (overseas, forces, crown) and follow-up questions:
    # passport, service and staff numbers among them, so encrypted whole.
    details = EncryptedJSONField(default=dict, blank=True)

    possible_duplicate = models.BooleanField(default=False)
    nino_reused = models.BooleanField(default=False)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    determined_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(
        max_length=10,
        choices=Channel.choices,
        default=Channel.ONLINE,
        # Kept in the database too, so the previous release's INSERTs still work
        # while a new one is rolled out.
        db_default=Channel.ONLINE,
    )
    # The council's own reference for an application its EMS sent (paper, phone,
    # in person): one application per reference and council, so a resend is safe.
    council_reference = models.CharField(
        max_length=40, blank=True, default="", db_default=""
    )
    # When details were last corrected (issue 20): the corrected application is
    # verified again and handed over again, flagged as corrected.
    corrected_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        # Declared here rather than with unique=/db_index= on the fields: on
        # PostgreSQL those also build a second "_like" index per text column, and
        # every status change writes to every index.
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="unique_reference"),
            models.UniqueConstraint(
                fields=["idempotency_key"], name="unique_idempotency_key"
            ),
            models.UniqueConstraint(
                fields=["authority", "council_reference"],
                condition=~models.Q(council_reference=""),
                name="unique_council_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "status", "submitted_at"]),
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["status"], name="application_status"),
            models.Index(fields=["nino_hash"], name="application_nino_hash"),
            models.Index(fields=["address_postcode"], name="application_postcode"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def nino(self) -> str:
        return crypto.decrypt(self.nino_encrypted)

    @nino.setter
    def nino(self, value: str) -> None:
        self.nino_encrypted = crypto.encrypt(value)
        self.nino_hash = crypto.lookup_hash(value)

    @property
    def full_name(self) -> str:
        return " ".join(
            p for p in (self.first_name, self.middle_names, self.last_name) if p
        )


class ApplicationEvent(models.Model):
    """Append-only history: every change of status, with when, who and why."""

    # Found through the (application, at) index, which begins with it.
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=100)
    event = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        return "%s %s" % (self.event, self.at)


class RegisterEntry(models.Model):
    """An entry of an authority's electoral register, as its EMS last sent it.

    Used to tell people they appear to be registered already and to flag possible
    duplicates; `match_key` is a keyed hash of the normalised name, date of birth and
    address, so the exact check is one indexed lookup."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="register_entries"
    )
    elector_number = models.CharField(max_length=30)
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    uprn = models.BigIntegerField(null=True, blank=True)
    match_key = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "elector_number"],
                name="unique_elector_per_authority",
            )
        ]
        indexes = [models.Index(fields=["match_key"], name="register_entry_match_key")]

    def __str__(self) -> str:
        # An id, not the elector's name: this text reaches logs and the admin's history.
        return "register entry %s" % self.pk


class NoticeQuerySet(models.QuerySet):
    def for_authority(self, authority: Authority) -> "NoticeQuerySet":
        """The notices of the council's register and of every other council its
        registration office (a Scottish Valuation Joint Board) keeps a register for."""
        return self.filter(authority_id__in=authority.office_council_ids)


class MovedOutNotice(models.Model):
    """Tells a council that someone who may be on its register has been registered
    by another council, so it can remove the old entry.

    Made once per (application, old council), when the new council accepts the
    application (`ier.registration.notices`). It carries only what the old council
    needs to find its entry: the names, the date of birth if given and the old
    address as given; never the National Insurance number, nationality or contact
    details."""

    # Shown in the officers' portal only, which is in English (docs/welsh.md).
    class Source(models.TextChoices):
        PREVIOUS_ADDRESS = "previous_address", "Previous address given"
        REGISTER = "register", "Found on the council's register"
        BOTH = "both", "Previous address given, and on the council's register"

    reference = models.CharField(max_length=10)
    # The old council: the one told.
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="moved_out_notices"
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="moved_out_notices",
        db_index=False,
    )
    new_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    first_name = models.CharField(max_length=60)
    middle_names = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=60, blank=True)
    previous_first_name = models.CharField(max_length=60, blank=True)
    previous_middle_names = models.CharField(max_length=100, blank=True)
    previous_last_name = models.CharField(max_length=60, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    old_uprn = models.BigIntegerField(null=True, blank=True)
    old_line_1 = models.CharField(max_length=200, blank=True)
    old_line_2 = models.CharField(max_length=200, blank=True)
    old_line_3 = models.CharField(max_length=200, blank=True)
    old_town = models.CharField(max_length=100, blank=True)
    old_postcode = models.CharField(max_length=8, blank=True)
    # The old council's own elector number, where its register showed the person.
    elector_number = models.CharField(max_length=30, blank=True)
    applied_on = models.DateField()
    registered_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.CharField(max_length=150, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "authority"],
                name="one_notice_per_application_and_council",
            ),
            models.UniqueConstraint(
                fields=["reference"], name="unique_notice_reference"
            ),
        ]
        indexes = [
            models.Index(
                fields=["authority", "acknowledged_at"], name="notice_authority_new"
            )
        ]

    def __str__(self) -> str:
        return "notice %s" % self.reference

    @property
    def full_name(self) -> str:
        return " ".join(
            p for p in (self.first_name, self.middle_names, self.last_name) if p
        )

    @property
    def previous_name(self) -> str:
        return " ".join(
            p
            for p in (
                self.previous_first_name,
                self.previous_middle_names,
                self.previous_last_name,
            )
            if p
        )

    @property
    def old_address_lines(self) -> list[str]:
        return [
            p
            for p in (
                self.old_line_1,
                self.old_line_2,
                self.old_line_3,
                self.old_town,
                self.old_postcode,
            )
            if p
        ]


class CorrectionSource(models.TextChoices):
    OFFICER = "officer", _("An officer")
    EMS = "ems", _("The council's EMS")
    APPLICANT = "applicant", _("The applicant")


class Correction(models.Model):
    """Named fields of an application corrected, with why, who and when: the
    values before and after are personal data, so they are kept encrypted."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="corrections"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=150)
    source = models.CharField(max_length=10, choices=CorrectionSource.choices)
    fields = models.JSONField(default=list)
    before = EncryptedJSONField(default=dict, blank=True)
    after = EncryptedJSONField(default=dict, blank=True)
    reason = models.TextField()
    # An EMS's Idempotency-Key: a retry with the same key is answered with this
    # correction and changes nothing.
    idempotency_key = models.CharField(max_length=100, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="unique_correction_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return "correction %s" % self.pk
