"""Elections named for people, in English and Welsh, at the start of a line or
inside a sentence."""

from datetime import UTC, date, datetime

import pytest
from django.utils.translation import override

from ier.elections.presenters import election_name
from ier.elections.upcoming import Upcoming


def upcoming(election_type: str, division: str = "") -> Upcoming:
    return Upcoming(
        election_id="x",
        title="x",
        election_type=election_type,
        poll_date=date(2027, 5, 6),
        division=division,
        division_gss="",
        deadline_day=date(2027, 4, 16),
        deadline=datetime(2027, 4, 16, 23, tzinfo=UTC),
        council_gss="W06000015",
        council="Cardiff Council",
        council_cy="Cyngor Caerdydd",
    )


@pytest.mark.parametrize(
    "language, election, alone, in_sentence",
    [
        ("en", upcoming("mayor"), "Mayoral election", "mayoral election"),
        ("en", upcoming("ref"), "Referendum", "referendum"),
        ("en", upcoming("senedd"), "Senedd election", "Senedd election"),
        (
            "en",
            upcoming("local", "Splott"),
            "Cardiff Council by-election in Splott",
            "Cardiff Council by-election in Splott",
        ),
        (
            "en",
            upcoming("parl", "Cardiff East"),
            "UK Parliament by-election in Cardiff East",
            "UK Parliament by-election in Cardiff East",
        ),
        ("cy", upcoming("senedd"), "Etholiad y Senedd", "etholiad y Senedd"),
        (
            "cy",
            upcoming("local", "Splott"),
            "Isetholiad Cyngor Caerdydd yn Splott",
            "isetholiad Cyngor Caerdydd yn Splott",
        ),
        ("cy", upcoming("ref"), "Refferendwm", "refferendwm"),
    ],
)
def test_a_name_inside_a_sentence_starts_in_lower_case_only_for_a_common_noun(
    language, election, alone, in_sentence
):
    with override(language):
        assert election_name(election) == alone
        assert election_name(election, in_sentence=True) == in_sentence
