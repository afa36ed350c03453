"""The stand-in identity service's own records: a synthetic population, and what
those people would type when they apply (kept as the truth for tests and benchmarks).

These tables live in the service's own database (alias `identity`, see routers.py);
the rest of the project reaches them only over HTTP."""

from django.db import models


class Person(models.Model):
    """One identity record, as a government register of National Insurance numbers
    would hold it. Only what the checks need: no address."""

    # The eight characters before the suffix letter, which people often leave off.
    nino = models.CharField(max_length=8, unique=True)
    nino_suffix = models.CharField(max_length=1, blank=True)
    first_name = models.CharField(max_length=60)
    middle_names = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=60)
    # A name the record held before (after a marriage, for example).
    previous_first_name = models.CharField(max_length=60, blank=True)
    previous_last_name = models.CharField(max_length=60, blank=True)
    date_of_birth = models.DateField()

    def __str__(self) -> str:
        return self.nino


class SyntheticApplicant(models.Model):
    """What one synthetic person (or someone pretending to be them, or nobody)
    types into the journey, and the result the checks are designed to give."""

    number = models.PositiveIntegerField(unique=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE)
    variation = models.CharField(max_length=40)
    # True when the applicant is the person the NINO belongs to.
    genuine = models.BooleanField()
    expected = models.CharField(max_length=20)
    first_name = models.CharField(max_length=60)
    middle_names = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=60)
    previous_first_name = models.CharField(max_length=60, blank=True)
    previous_middle_names = models.CharField(max_length=100, blank=True)
    previous_last_name = models.CharField(max_length=60, blank=True)
    date_of_birth = models.DateField()
    nino = models.CharField(max_length=13, blank=True)
    no_nino_reason = models.CharField(max_length=200, blank=True)
    # Where they live (a synthetic address of the main database), when one was given.
    uprn = models.BigIntegerField(null=True, blank=True)
    on_register = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["variation", "number"])]

    def __str__(self) -> str:
        return "%s %s" % (self.number, self.variation)
