"""Writing the synthetic population (and its applicants, the truth) into the identity
service's database, and putting some of them on their council's register."""

import random
from collections.abc import Sequence
from dataclasses import replace

from django.core.management import call_command
from django.db import transaction

from ier.geography.models import Address
from ier.identity.models import Person, SyntheticApplicant
from ier.identity.routers import APP_LABEL, identity_database
from ier.identity.synthetic import (
    SyntheticCase,
    SyntheticPerson,
    make_applicants,
    make_population,
)
from ier.registration.models import RegisterEntry
from ier.registration.register import register_entry_key

CHUNK = 2000
ON_REGISTER_SHARE = 0.2
REGISTER_PREFIX = "SYN-"


def ensure_identity_database() -> None:
    """Create or update the identity service's tables, in its own database when it
    has one (and in the only one otherwise, as when it runs from test settings)."""
    call_command("migrate", APP_LABEL, database=identity_database(), verbosity=0)


def population_matches(size: int) -> bool:
    return Person.objects.count() == size


def write_population(
    people: Sequence[SyntheticPerson], cases: Sequence[SyntheticCase]
) -> None:
    with transaction.atomic(using=identity_database()):
        SyntheticApplicant.objects.all().delete()
        Person.objects.all().delete()
        Person.objects.bulk_create([_person_row(p) for p in people], batch_size=CHUNK)
        ids = dict(Person.objects.values_list("nino", "pk"))
        SyntheticApplicant.objects.bulk_create(
            [_applicant_row(c, ids, people) for c in cases], batch_size=CHUNK
        )


def _person_row(person: SyntheticPerson) -> Person:
    return Person(
        nino=person.nino,
        nino_suffix=person.nino_suffix,
        first_name=person.first_name,
        middle_names=person.middle_names,
        last_name=person.last_name,
        previous_last_name=person.previous_last_name,
        date_of_birth=person.date_of_birth,
    )


def _applicant_row(
    case: SyntheticCase, person_ids: dict[str, int], people: Sequence[SyntheticPerson]
) -> SyntheticApplicant:
    person = people[case.person_index] if case.person_index is not None else None
    return SyntheticApplicant(
        number=case.number,
        person_id=person_ids[person.nino] if person else None,
        variation=case.variation,
        genuine=case.genuine,
        expected=case.expected,
        first_name=case.first_name,
        middle_names=case.middle_names,
        last_name=case.last_name,
        previous_first_name=case.previous_first_name,
        previous_middle_names=case.previous_middle_names,
        previous_last_name=case.previous_last_name,
        date_of_birth=case.date_of_birth,
        nino=case.nino,
        no_nino_reason=case.no_nino_reason,
        uprn=case.uprn,
        on_register=case.on_register,
    )


def place_applicants(
    cases: Sequence[SyntheticCase], uprns: Sequence[int], seed: int
) -> list[SyntheticCase]:
    """Give each applicant an address, and put a share of the genuine ones on the
    register there (as the person the record names)."""
    if not uprns:
        return list(cases)
    rng = random.Random("addresses-%d" % seed)  # noqa: S311 - synthetic data  # nosec B311
    return [
        replace(
            case,
            uprn=rng.choice(uprns),
            on_register=case.genuine and rng.random() < ON_REGISTER_SHARE,
        )
        for case in cases
    ]


def write_register(
    cases: Sequence[SyntheticCase], people: Sequence[SyntheticPerson]
) -> int:
    """Register entries for the applicants placed on the register (replacing the
    synthetic entries made before)."""
    addresses = Address.objects.in_bulk(
        [c.uprn for c in cases if c.on_register], field_name="uprn"
    )
    entries = []
    for case in cases:
        if not case.on_register or case.person_index is None:
            continue
        person, address = people[case.person_index], addresses[case.uprn]
        entry = RegisterEntry(
            authority_id=address.authority_id,
            elector_number="%s%d" % (REGISTER_PREFIX, case.number),
            first_name=person.first_name,
            middle_names=person.middle_names,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            address_line_1=address.line_1,
            address_line_2=address.line_2,
            town=address.town,
            postcode=address.postcode,
            uprn=address.uprn,
        )
        entry.match_key = register_entry_key(entry)
        entries.append(entry)
    with transaction.atomic():
        RegisterEntry.objects.filter(
            elector_number__startswith=REGISTER_PREFIX
        ).delete()
        RegisterEntry.objects.bulk_create(entries, batch_size=CHUNK)
    return len(entries)


def seed_people(
    size: int, seed: int
) -> tuple[list[SyntheticPerson], list[SyntheticCase]]:
    """The whole synthetic population: records, applicants and register entries."""
    ensure_identity_database()
    people = make_population(size, seed)
    uprns = list(
        Address.objects.filter(synthetic=True)
        .order_by("uprn")
        .values_list("uprn", flat=True)
    )
    cases = place_applicants(make_applicants(people, seed), uprns, seed)
    write_population(people, cases)
    write_register(cases, people)
    return people, cases


def ensure_population(size: int, seed: int) -> bool:
    """For the identity service's own start-up: make the records unless the right
    number is there already. Returns True if it made them."""
    ensure_identity_database()
    if population_matches(size):
        return False
    people = make_population(size, seed)
    write_population(people, make_applicants(people, seed))
    return True
