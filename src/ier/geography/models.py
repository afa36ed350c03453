"""Councils, postcodes and addresses: where an application is routed."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import cached_property


class Nation(models.TextChoices):
    ENGLAND = "England", "England"
    SCOTLAND = "Scotland", "Scotland"
    WALES = "Wales", "Wales"
    NORTHERN_IRELAND = "Northern Ireland", "Northern Ireland"


class LocalContactEdit(models.Model):
    """Who last set the electoral services contact details in the portal, and when.
    Empty while the details are those of the councils file; `ier import-authorities`
    keeps details set here unless told to replace them (docs/portal.md)."""

    contact_updated_at = models.DateTimeField(null=True, blank=True)
    contact_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    CONTACT_FIELDS = ("email", "phone", "website", "address", "postcode")

    class Meta:
        abstract = True


class RegistrationOffice(LocalContactEdit):
    """The office of an Electoral Registration Officer.

    In England and Wales each council has its own; in Scotland the officer is usually
    at a Valuation Joint Board serving several councils, so several authorities point
    at one office and applications for any of them reach it."""

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=300)
    email = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=200, blank=True)
    website = models.CharField(max_length=300, blank=True)
    address = models.CharField(max_length=400, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Authority(LocalContactEdit):
    """A council that runs electoral registration (or, for Northern Ireland, EONI)."""

    gss_code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=200)
    name_cy = models.CharField(max_length=200, blank=True)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    email = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=200, blank=True)
    website = models.CharField(max_length=300, blank=True)
    address = models.CharField(max_length=400, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Set where registration for the council is run by another office (Scotland).
    registration_office = models.ForeignKey(
        RegistrationOffice,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="councils",
    )
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    replaced_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        if translation.get_language() == "cy" and self.name_cy:
            return self.name_cy
        return self.name

    @property
    def contact_holder(self) -> "Authority | RegistrationOffice":
        """Whose details citizens are given: the office that runs registration for
        the council where there is one (Scotland), else the council's own."""
        return self.registration_office or self

    @property
    def contact(self) -> dict[str, str]:
        """Where a citizen should write or call about registration."""
        office = self.registration_office
        if office is not None:
            return {
                "name": office.name,
                "email": office.email,
                "phone": office.phone,
                "website": office.website,
                "address": office.address,
                "postcode": office.postcode,
            }
        return {
            "name": self.display_name,
            "email": self.email,
            "phone": self.phone,
            "website": self.website,
            "address": self.address,
            "postcode": self.postcode,
        }

    @cached_property
    def office_council_ids(self) -> list[int]:
        """The councils whose applications this council's officers and EMS tokens
        see: its own and, where a registration office (a Scottish Valuation Joint
        Board) runs registration for several councils, those of every council that
        office serves, as the officer there registers electors for all of them."""
        if self.registration_office_id is None:
            return [self.pk]
        return list(
            Authority.objects.filter(
                registration_office_id=self.registration_office_id
            ).values_list("pk", flat=True)
        )

    @staticmethod
    def successor_on(authority_id: int, day: date) -> int:
        """The id of the authority that runs registration in `authority_id`'s area
        on `day`, following mergers. Reads two columns a council on the way, not
        whole councils: every application sent asks this once."""
        current = authority_id
        seen = {current}
        while True:
            replaced_by, replaced_from = (
                Authority.objects.filter(pk=current)
                .values_list("replaced_by_id", "replaced_from")
                .get()
            )
            if not (
                replaced_by
                and replaced_from
                and replaced_from <= day
                and replaced_by not in seen
            ):
                return current
            current = replaced_by
            seen.add(current)


class ImportRun(models.Model):
    """One load of a data file: what it was, how far it got and what it rejected.

    A run that stops part-way is resumed from `rows_done` when the same file is
    imported again; a finished one makes a repeat import a no-op."""

    class Kind(models.TextChoices):
        ONSPD = "onspd", "ONS Postcode Directory"
        ADDRESSBASE = "addressbase", "AddressBase"

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        COMPLETE = "complete", "Complete"
        FAILED = "failed", "Failed"
        REVERSED = "reversed", "Reversed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    layout = models.CharField(max_length=40, blank=True)
    file_name = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64, db_index=True)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.RUNNING
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_done = models.BigIntegerField(default=0)
    rows_loaded = models.BigIntegerField(default=0)
    rows_rejected = models.BigIntegerField(default=0)
    # {"reason": {"count": n, "examples": ["line 12: ...", ...]}}
    rejections = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return "%s %s (%s)" % (self.kind, self.file_name, self.state)


class AreaSource(models.TextChoices):
    DIRECTORY = "directory", "Postcode directory (ONSPD)"
    ADDRESSES = "addresses", "Addresses (AddressBase)"
    SYNTHETIC = "synthetic", "Synthetic country"


class PostcodeArea(models.Model):
    """One row for each council a postcode falls in, by each source that says so.

    The postcode directory places a postcode in one council (by its centre); the
    addresses at it can show it crosses a boundary, so those add their own rows."""

    postcode = models.CharField(max_length=8)
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="postcode_areas"
    )
    source = models.CharField(
        max_length=10, choices=AreaSource.choices, default=AreaSource.DIRECTORY
    )
    synthetic = models.BooleanField(default=False)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "authority", "source"],
                name="unique_postcode_authority_source",
            )
        ]

    def __str__(self) -> str:
        return "%s in %s" % (self.postcode, self.authority_id)


class PostcodeDivision(models.Model):
    """The electoral divisions a postcode lies in, by the postcode directory (its
    centre): the ward (`osward`), county electoral division (`ced`) and UK
    Parliament constituency (`pcon`), each a GSS code or "" for none. A postcode
    without a row has no division data; elections in one division are then shown
    council-wide with "only if you live in ..."."""

    postcode = models.CharField(max_length=8, unique=True)
    ward_gss = models.CharField(max_length=9, blank=True, db_index=True)
    county_division_gss = models.CharField(max_length=9, blank=True)
    constituency_gss = models.CharField(max_length=9, blank=True, db_index=True)
    synthetic = models.BooleanField(default=False)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return "%s divisions" % self.postcode

    def codes(self) -> frozenset[str]:
        return frozenset(
            c
            for c in (self.ward_gss, self.county_division_gss, self.constituency_gss)
            if c
        )


class Address(models.Model):
    """A property that can be chosen in the journey (AddressBase or synthetic)."""

    # The UPRN is the key: no surrogate id, one index fewer to fill per row.
    uprn = models.BigIntegerField(primary_key=True)
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    line_3 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8)
    # Neither indexed nor checked by the database: tens of millions of rows are
    # found by postcode, only rare admin tasks (a council merger) look addresses up
    # by council, and the importer resolves every council itself. Each index or
    # constraint check costs every row of a full AddressBase load.
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="addresses",
        db_index=False,
        db_constraint=False,
    )
    # Orders addresses as a person expects: by street, then house number as a number,
    # then the building, then flat number within it (see ier.geography.addresses).
    sort_key = models.CharField(max_length=200)
    synthetic = models.BooleanField(default=False)
    import_run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        # Addresses are found by postcode and put in order in Python (by sort_key),
        # so the index stays narrow and cheap to build for tens of millions of rows.
        indexes = [models.Index(fields=["postcode"], name="address_postcode")]

    def __str__(self) -> str:
        return self.single_line

    @property
    def lines(self) -> list[str]:
        return [
            part
            for part in (
                self.line_1,
                self.line_2,
                self.line_3,
                self.town,
                self.postcode,
            )
            if part
        ]

    @property
    def single_line(self) -> str:
        return ", ".join(self.lines)
