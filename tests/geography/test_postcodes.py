"""Postcodes read however a person types them."""

import re
import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ier.geography.postcodes import (
    is_northern_ireland,
    normalise_postcode,
    postcode_area,
)

FIRST = "ABCDEFGHIJKLMNOPRSTUWYZ"  # never Q, V or X first
SECOND = "ABCDEFGHKLMNOPQRSTUVWXY"  # never I, J or Z second
THIRD = "ABCDEFGHJKPSTUW"  # the letter of A9A outward codes
FOURTH = "ABEHMNPRVWXY"  # the letter of AA9A outward codes
INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # never C, I, K, M, O or V
DIGIT = string.digits
CANONICAL = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$")


def _chars(alphabet):
    return st.sampled_from(alphabet)


outward = st.one_of(
    st.tuples(_chars(FIRST), _chars(DIGIT)),
    st.tuples(_chars(FIRST), _chars(DIGIT), _chars(DIGIT)),
    st.tuples(_chars(FIRST), _chars(SECOND), _chars(DIGIT)),
    st.tuples(_chars(FIRST), _chars(SECOND), _chars(DIGIT), _chars(DIGIT)),
    st.tuples(_chars(FIRST), _chars(DIGIT), _chars(THIRD)),
    st.tuples(_chars(FIRST), _chars(SECOND), _chars(DIGIT), _chars(FOURTH)),
).map("".join)
inward = st.tuples(_chars(DIGIT), _chars(INWARD), _chars(INWARD)).map("".join)
postcodes = st.tuples(outward, inward).map(" ".join)


@st.composite
def typed(draw, postcode):
    """The postcode as a person might type it: any case, spaces anywhere or none,
    stray punctuation around it, a letter O for the zero that starts the inward
    code."""
    compact = postcode.replace(" ", "")
    if compact[-3] == "0" and draw(st.booleans()):
        compact = compact[:-3] + draw(st.sampled_from("Oo")) + compact[-2:]
    chars = [c.lower() if draw(st.booleans()) else c for c in compact]
    pieces = []
    for char in chars:
        pieces.append(draw(st.sampled_from(["", "", " ", "  ", "-", "\t"])))
        pieces.append(char)
    junk = st.sampled_from(["", " ", "  ", ".", ",", "\n"])
    return draw(junk) + "".join(pieces) + draw(junk)


@given(st.data(), postcodes)
def test_a_real_postcode_typed_any_way_reads_the_same(data, postcode):
    assert normalise_postcode(data.draw(typed(postcode))) == postcode


@given(postcodes)
def test_a_postcode_in_standard_form_is_kept_as_it_is(postcode):
    assert normalise_postcode(postcode) == postcode


@given(st.text(max_size=20))
@example("SW1A 1AA")
@example("gir0aa")
def test_whatever_is_typed_the_answer_is_a_standard_postcode_or_nothing(text):
    result = normalise_postcode(text)
    assert result is None or CANONICAL.match(result) or result == "GIR 0AA"
    if result is not None:
        assert normalise_postcode(result) == result


@given(st.text(alphabet=string.ascii_letters + " ", max_size=10))
def test_letters_alone_are_never_a_postcode(text):
    assert normalise_postcode(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "SW1A",
        "SW1A 1A",
        "SW1A 1AAA",
        "QW1A 1AA",
        "SW1A 1CA",
        "123 456",
        "ZZ99 9ZZZ",
    ],
)
def test_things_that_are_not_postcodes(text):
    assert normalise_postcode(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" ec1a 1bb ", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
        ("cr2 6xh", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("w1a oax", "W1A 0AX"),
        ("B33-8TH", "B33 8TH"),
        ("gir 0aa", "GIR 0AA"),
    ],
)
def test_examples_people_type(text, expected):
    assert normalise_postcode(text) == expected


def test_northern_ireland_and_area_letters():
    assert is_northern_ireland("BT1 1ER")
    assert not is_northern_ireland("B1 1AA")
    assert postcode_area("SW1A 1AA") == "SW"
    assert postcode_area("M1 1AE") == "M"
