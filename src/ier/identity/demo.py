"""The identity service's part of `ier demo`: its database and population, and a few
synthetic identities to type into the journey."""

from django.utils.formats import date_format

from ier.geography.models import Address
from ier.identity.models import Person, SyntheticApplicant
from ier.identity.seeding import ensure_identity_database, seed_people

DEMO_PEOPLE = 3000
DEMO_SEED = 2014
#: (what the demo says it shows, kinds of applicant, on the register already?)
SHOWCASE = (
    ("green (verified)", ("exact",), False),
    ("amber (a name needs a look)", ("typo_first", "married_without_previous"), False),
    ("red (not matched)", ("swapped_dob", "wrong_dob"), False),
    ("green, and already on the register", ("exact",), True),
)


def prepare() -> None:
    ensure_identity_database()
    if not Person.objects.exists():
        seed_people(DEMO_PEOPLE, DEMO_SEED)


def describe(applicant: SyntheticApplicant, address: Address | None) -> str:
    name = " ".join(
        p
        for p in (applicant.first_name, applicant.middle_names, applicant.last_name)
        if p
    )
    where = (
        "%s (%s)" % (address.postcode, address.single_line)
        if address
        else "any postcode"
    )
    return "%s, born %s, NINO %s, at %s" % (
        name,
        date_format(applicant.date_of_birth, "j F Y"),
        applicant.nino,
        where,
    )


def show_identities(stdout) -> None:
    stdout.write("  synthetic people to apply as (name, date of birth, NINO, address):")
    for label, variations, on_register in SHOWCASE:
        applicant = (
            SyntheticApplicant.objects.filter(
                variation__in=variations, on_register=on_register
            )
            .exclude(uprn=None)
            .exclude(middle_names__contains=" ")
            .first()
        )
        if applicant and applicant.uprn is not None:
            address = Address.objects.filter(uprn=applicant.uprn).first()
            stdout.write(
                "    %s, %s: %s"
                % (
                    label,
                    applicant.variation.replace("_", " "),
                    describe(applicant, address),
                )
            )
