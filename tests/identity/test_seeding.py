import io

import pytest

from ier.geography.models import Address
from ier.identity import demo, routers
from ier.identity.models import Person, SyntheticApplicant
from ier.identity.routers import IdentityRouter
from ier.identity.seeding import ensure_population, seed_people
from ier.identity.synthetic import make_applicants, make_population
from ier.registration.models import RegisterEntry
from ier.verification import duplicates
from ier.verification.synthetic import application_for


def test_the_population_and_applicants_are_the_same_for_a_seed():
    first = make_population(200, seed=5)
    assert first == make_population(200, seed=5)
    assert make_applicants(first, 5) == make_applicants(make_population(200, 5), 5)
    assert first != make_population(200, seed=6)
    assert len({person.nino for person in first}) == 200


def test_the_router_uses_the_identity_database_only_when_there_is_one(monkeypatch):
    router = IdentityRouter()
    assert router.db_for_read(Person) == "default"
    assert router.allow_migrate("default", "identity") is None
    monkeypatch.setattr(routers, "has_own_database", lambda: True)
    assert router.db_for_write(Person) == "identity"
    assert router.db_for_read(RegisterEntry) is None
    assert router.allow_migrate("identity", "identity") is True
    assert router.allow_migrate("default", "identity") is False
    assert router.allow_migrate("identity", "registration") is False


@pytest.mark.django_db
def test_seeding_people_writes_records_truth_and_register_entries():
    _people, cases = seed_people(150, seed=9)
    assert Person.objects.count() == 150
    assert SyntheticApplicant.objects.count() == len(cases)
    on_register = [c for c in cases if c.on_register]
    assert on_register and RegisterEntry.objects.filter(
        elector_number__startswith="SYN-"
    ).count() == len(on_register)
    assert not any(c.on_register for c in cases if not c.genuine)


@pytest.mark.django_db
def test_an_exact_applicant_on_the_register_has_the_same_match_key_as_the_entry():
    _people, cases = seed_people(150, seed=9)
    case = next(c for c in cases if c.on_register and c.variation == "exact")
    application = application_for(case, Address.objects.get(uprn=case.uprn))
    entry = RegisterEntry.objects.get(elector_number="SYN-%d" % case.number)
    assert duplicates.application_key(application) == entry.match_key


@pytest.mark.django_db
def test_seeding_again_replaces_rather_than_adds():
    seed_people(80, seed=9)
    seed_people(80, seed=9)
    assert Person.objects.count() == 80


@pytest.mark.django_db
def test_the_identity_service_makes_its_population_only_when_missing():
    assert ensure_population(40, seed=3) is True
    assert ensure_population(40, seed=3) is False
    assert Person.objects.count() == 40


@pytest.mark.django_db
def test_the_demo_shows_an_identity_for_each_colour():
    seed_people(300, seed=2014)
    out = io.StringIO()
    demo.show_identities(out)
    text = out.getvalue()
    for label, _kinds, _registered in demo.SHOWCASE:
        assert label in text
    assert "NINO" in text
