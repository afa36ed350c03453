import itertools

from ier.identity.matching import FIRST_NAME_LEVELS, LAST_NAME_LEVELS
from ier.registration.models import Status
from ier.verification import outcome
from ier.verification.presenters import REASONS, reasons

MIDDLE = ("match", "missing", "extra", "initials", "differ")
PAIRINGS = ("current_name", "applicant_previous_name", "record_previous_name")


def every_answer():
    yield {"nino": "not_found", "date_of_birth": "not_checked", "name": None}
    for dob in ("mismatch", "day_month_swapped", "not_given"):
        yield {"nino": "found", "date_of_birth": dob, "name": None}
    for first, last, middle, pairing in itertools.product(
        FIRST_NAME_LEVELS, LAST_NAME_LEVELS, MIDDLE, PAIRINGS
    ):
        yield {
            "nino": "found",
            "date_of_birth": "match",
            "name": {
                "first_name": first,
                "last_name": last,
                "middle_names": middle,
                "matched_on": pairing,
            },
        }
    yield {"error": "invalid_request"}


def test_every_check_the_service_can_report_has_a_sentence_for_officers():
    for answer in every_answer():
        for check in outcome.decide(answer).checks:
            if check["check"] == "middle_names" and check["outcome"] == "match":
                continue
            assert (check["check"], check["outcome"]) in REASONS, check


def test_only_matching_names_verify_and_a_name_with_nothing_alike_is_red():
    results = {}
    for answer in every_answer():
        name = answer.get("name") or {}
        results[(name.get("first_name"), name.get("last_name"))] = outcome.decide(
            answer
        ).result
    greens = {key for key, result in results.items() if result == Status.VERIFIED}
    assert greens == {(f, s) for f in ("exact", "variant") for s in ("exact", "part")}
    assert results[("none", "none")] == Status.NOT_VERIFIED
    assert results[("initial", "exact")] == Status.PARTIAL


def test_reasons_read_as_sentences_with_their_figures():
    checks = [
        {"check": "nino", "outcome": "found"},
        {"check": "nino_reuse", "outcome": "reused", "count": 4, "days": 30},
    ]
    sentences = reasons(checks)
    assert sentences[0].startswith("A record with this National Insurance number")
    assert "on 4 applications made in the last 30 days" in sentences[1]
