"""The checks against the synthetic truth: every green is the real person (precision
1.0), everyone who typed their details as the record holds them is green (recall
1.0), and every other kind of applicant gets the result designed for it."""

from collections import Counter

import pytest

from ier.identity.matching import Claim, Record, check, nino_stem
from ier.identity.synthetic import EXPECTED, make_applicants, make_population
from ier.registration.models import Application, Status
from ier.verification import outcome
from ier.verification.models import Verification
from ier.verification.synthetic import submit_cases
from tests.verification.helpers import a_verifier, drain, on_record, some_addresses


def precision_and_recall(results: dict, cases: dict) -> tuple[float, float]:
    greens = [key for key, result in results.items() if result == Status.VERIFIED]
    typed_correctly = [key for key, case in cases.items() if case.typed_correctly]
    precision = sum(cases[key].genuine for key in greens) / len(greens)
    recall = sum(results[key] == Status.VERIFIED for key in typed_correctly) / len(
        typed_correctly
    )
    return precision, recall


def unexpected(results: dict, cases: dict) -> Counter:
    return Counter(
        (cases[key].variation, results[key])
        for key in results
        if results[key] != cases[key].expected
    )


@pytest.mark.django_db
def test_applications_end_to_end_get_the_designed_results():
    """Submitted, queued, verified in batches over HTTP, recorded: the whole path."""
    _people, cases = on_record(300)
    made = submit_cases(cases, some_addresses())
    drain(a_verifier())
    results = dict(Application.objects.values_list("pk", "status"))
    assert set(results) == set(made)
    assert {case.variation for case in made.values()} == set(EXPECTED)
    assert unexpected(results, made) == Counter()
    precision, recall = precision_and_recall(results, made)
    assert (precision, recall) == (1.0, 1.0)
    assert Verification.objects.count() == len(made)


def test_the_rules_on_a_larger_population_give_the_designed_results():
    """Three thousand people, checked by the same rules without HTTP or database."""
    people = make_population(3000, seed=2014)
    records = {
        p.nino: Record(
            p.nino,
            p.date_of_birth,
            p.first_name,
            p.middle_names,
            p.last_name,
            "",
            p.previous_last_name,
        )
        for p in people
    }
    cases = dict(enumerate(make_applicants(people, seed=2014)))
    results = {}
    for key, case in cases.items():
        if not case.nino:
            results[key] = outcome.no_nino().result
            continue
        claim = Claim(
            case.nino,
            case.date_of_birth,
            case.first_name,
            case.middle_names,
            case.last_name,
            case.previous_first_name,
            case.previous_middle_names,
            case.previous_last_name,
        )
        answer = check(claim, records.get(nino_stem(case.nino)))
        results[key] = outcome.decide(answer).result
    assert unexpected(results, cases) == Counter()
    assert precision_and_recall(results, cases) == (1.0, 1.0)
    kinds = Counter(case.variation for case in cases.values())
    assert min(kinds.values()) >= 10, kinds
