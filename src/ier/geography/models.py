"""Councils, postcodes and addresses: where an application is routed."""

from django.db import models
from django.utils import translation


class Nation(models.TextChoices):
    ENGLAND = "England", "England"
    SCOTLAND = "Scotland", "Scotland"
    WALES = "Wales", "Wales"
    NORTHERN_IRELAND = "Northern Ireland", "Northern Ireland"


class Authority(models.Model):
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
    # In Scotland the Electoral Registration Officer serving the council is often at
    # a Valuation Joint Board; these are that office's contact details.
    ero_name = models.CharField(max_length=300, blank=True)
    ero_email = models.CharField(max_length=200, blank=True)
    ero_phone = models.CharField(max_length=200, blank=True)
    ero_website = models.CharField(max_length=300, blank=True)
    ero_address = models.CharField(max_length=400, blank=True)
    ero_postcode = models.CharField(max_length=10, blank=True)
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
    def contact(self) -> dict[str, str]:
        """Where a citizen should write or call about registration."""
        if self.ero_email or self.ero_address:
            return {
                "name": self.ero_name or self.display_name,
                "email": self.ero_email,
                "phone": self.ero_phone,
                "website": self.ero_website,
                "address": self.ero_address,
                "postcode": self.ero_postcode,
            }
        return {
            "name": self.display_name,
            "email": self.email,
            "phone": self.phone,
            "website": self.website,
            "address": self.address,
            "postcode": self.postcode,
        }


class PostcodeArea(models.Model):
    """One row for each council a postcode falls in (a few postcodes cross a boundary).

    Loaded from the ONS Postcode Directory, or made by `ier seed`."""

    postcode = models.CharField(max_length=8, db_index=True)
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="postcode_areas"
    )
    synthetic = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "authority"], name="unique_postcode_authority"
            )
        ]


class Address(models.Model):
    """A property that can be chosen in the journey (AddressBase or synthetic)."""

    uprn = models.BigIntegerField(unique=True)
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    line_3 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="addresses"
    )
    # Orders addresses as a person expects: by street, then house number as a number,
    # then flat number within the building.
    sort_key = models.CharField(max_length=120)
    synthetic = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["postcode", "sort_key"])]

    def __str__(self) -> str:
        return self.single_line

    @property
    def lines(self) -> list[str]:
        return [
            part
            for part in (self.line_1, self.line_2, self.line_3, self.town, self.postcode)
            if part
        ]

    @property
    def single_line(self) -> str:
        return ", ".join(self.lines)
