from hypothesis import given
from hypothesis import strategies as st

from ier.registration.references import (
    ALPHABET,
    check_character,
    display_reference,
    is_valid_reference,
    new_reference,
    normalise_reference,
)


def test_references_are_ten_unambiguous_characters():
    reference = new_reference()
    assert len(reference) == 10
    assert set(reference) <= set(ALPHABET)
    assert not set(reference) & set("AEIOU01LO")


def test_references_do_not_repeat():
    assert len({new_reference() for _ in range(5000)}) == 5000


def test_a_reference_is_read_back_however_it_is_typed():
    reference = new_reference()
    typed = display_reference(reference).lower()
    assert is_valid_reference(typed)
    assert normalise_reference(typed) == reference


@given(
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
    st.integers(min_value=0, max_value=9),
    st.sampled_from(ALPHABET),
)
def test_any_single_mistyped_character_is_caught(body, position, replacement):
    reference = body + check_character(body)
    if reference[position] == replacement:
        return
    mistyped = reference[:position] + replacement + reference[position + 1 :]
    assert not is_valid_reference(mistyped)
