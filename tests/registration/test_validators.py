"""Names, National Insurance numbers and phone numbers, checked over many inputs."""

import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ier.registration.validators import (
    clean_name,
    format_nino,
    name_is_valid,
    nino_is_valid,
    normalise_nino,
    validate_nino,
    validate_phone,
)

REAL_NAMES = [
    "Zoë",
    "O'Neill",
    "Siân",
    "Smith-Jones",
    "Nguyễn",
    "Ólafsdóttir",
    "D’Arcy",
    "María José",
    "Jr.",
    "Łukasz",
    "Ng",
    "Xi",
    "Müller",
    "Þór",
    "Абрамов",
    "محمد",
    "李",
    "Ryu-Ji",
    "St. John",
    "Ffion",
    "مهر\u200cانگیز",  # Mehrangiz (Persian): a zero-width non-joiner inside
    "علی\u200cرضا",  # Alireza (Persian)
    "شیرین\u200cکام",  # Shirinkam (Kurdish, Sorani)
    "ශ්\u200dරී",  # Sri (Sinhala): a zero-width joiner after the virama
    "Nguy\u0065\u0302\u0303n",  # Vietnamese typed with combining marks (2 on e)
    "שָׁלוֹם",  # Shalom (pointed Hebrew): 2 marks on the shin
    "སྒྲོལ",  # Drol (Tibetan): 3 marks stacked on the sa
]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_every_real_name_is_accepted(name):
    assert name_is_valid(clean_name(name))


@pytest.mark.parametrize(
    "name",
    [
        "",
        " ",
        "R2D2",
        "<script>",
        "a@b",
        "Bob\x00",
        "--",
        "'",
        "Ann;",
        "\u200cAli",
        "Ali\u200d",
        "Ali \u200cReza",
        "Ali\u200c\u200cReza",
        "\u0301Ann",
        "Ann\u200eLee",
    ],
)
def test_names_without_letters_or_with_symbols_are_refused(name):
    assert not name_is_valid(clean_name(name))


@given(
    st.text(
        alphabet=st.characters(categories=["Lu", "Ll", "Lo"]), min_size=1, max_size=30
    )
)
def test_any_run_of_letters_is_a_name(text):
    assert name_is_valid(clean_name(text))


@given(st.text(max_size=50))
def test_a_name_is_never_accepted_with_digits_or_control_characters(text):
    cleaned = clean_name(text)
    if any(c.isdigit() or ord(c) < 32 or c in "<>@;&" for c in cleaned):
        assert not name_is_valid(cleaned)


def test_at_most_three_marks_stack_on_a_letter():
    """Real names need two (Vietnamese, pointed Hebrew) or three (Tibetan); more
    only pile accents over the lines around them, however the letter is encoded."""
    assert name_is_valid(clean_name("Ze" + "\u0301\u0302\u0308" + "d"))
    assert not name_is_valid(clean_name("Ze" + "\u0301\u0302\u0308\u0303" + "d"))
    assert not name_is_valid(clean_name("Z\u00e9" + "\u0302\u0308\u0303" + "d"))


def test_names_are_trimmed_and_spaces_folded():
    assert clean_name("  Mary   Ann  ") == "Mary Ann"


@pytest.mark.parametrize(
    "typed", ["AB123456C", "ab 12 34 56 c", "AB-12-34-56-C", " ab123456c ", "AB123456"]
)
def test_ninos_are_accepted_however_they_are_typed(typed):
    assert nino_is_valid(typed)


@pytest.mark.parametrize(
    "nino",
    [
        "QQ123456C",
        "DA123456C",
        "AO123456C",
        "BG123456C",
        "GB123456C",
        "NK123456C",
        "KN123456C",
        "TN123456C",
        "NT123456C",
        "ZZ123456C",
        "AB12345C",
        "AB123456E",
        "A1234567C",
        "",
        "AB1234567C",
    ],
)
def test_ninos_with_prefixes_never_issued_or_bad_shape_are_refused(nino):
    assert not nino_is_valid(nino)


NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"


@given(
    st.sampled_from(NINO_FIRST),
    st.sampled_from(NINO_SECOND),
    st.text(alphabet=string.digits, min_size=6, max_size=6),
    st.sampled_from("ABCD"),
)
def test_valid_ninos_normalise_and_format_consistently(first, second, digits, suffix):
    nino = first + second + digits + suffix
    if nino[:2] in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
        return
    spaced = " ".join([nino[:2], nino[2:4], nino[4:6], nino[6:8], nino[8]]).lower()
    assert validate_nino(spaced) == nino
    assert format_nino(nino) == spaced.upper()


@given(st.text(max_size=40))
def test_nino_validation_never_crashes(text):
    try:
        result = validate_nino(text)
    except ValidationError:
        return
    assert result == normalise_nino(text)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900982", "+447700900982"),
        ("01632 960 001", "+441632960001"),
        ("+44 808 157 0192", "+448081570192"),
        ("+1 202 555 0143", "+12025550143"),
    ],
)
def test_phone_numbers_are_stored_in_international_form(typed, stored):
    assert validate_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12", "phone me", "0770090098212345678901"])
def test_impossible_phone_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        validate_phone(typed)
