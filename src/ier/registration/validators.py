"""Checks and normal forms for what people type: names, NINOs and phone numbers."""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Letters and marks of any script, spaces, apostrophes, hyphens and full stops: enough
# for every real name ("Zoë", "O'Neill", "Siân", "Smith-Jones", "Jr.") and nothing else.
_NAME_PUNCTUATION = set(" '’‘-‐.")
# The zero-width non-joiner and joiner shape letters inside a word: Persian and
# Kurdish names need the first ("علی‌رضا"), Sinhala conjuncts the second. They stand
# only between letters (or a letter's marks), never at either end or beside a space.
_JOINERS = {"\u200c", "\u200d"}
#: Combining marks one letter may carry, counted with every precomposed letter taken
#: apart (NFD). Real names need two (Vietnamese "ệ", pointed Hebrew) or three (a
#: Tibetan stack such as "སྒྲོ"); more only pile accents over the lines around them.
MAX_MARKS_PER_LETTER = 3
_NINO = re.compile(
    r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]?$"
)
_NINO_NOISE = re.compile(r"[\s\-]")


def clean_name(value: str) -> str:
    """Trim, fold runs of spaces and use one form of each accented letter."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _kind(character: str) -> str:
    """L(etter), M(ark), J(oiner), P(unctuation or space) or X (anything else)."""
    if character in _JOINERS:
        return "J"
    if character in _NAME_PUNCTUATION:
        return "P"
    major = unicodedata.category(character)[0]
    return major if major in {"L", "M"} else "X"


def _name_problem(value: str) -> str | None:
    """None for a name, else the code of what is wrong with it."""
    kinds = "".join(_kind(c) for c in unicodedata.normalize("NFD", value))
    letters = re.sub(r"M+", "", kinds)  # a letter's marks go with it
    if "L" not in kinds or "X" in kinds:
        return "invalid_name"
    if kinds[0] == "M" or re.search(r"[PJ]M", kinds):
        return "invalid_name"  # a mark on no letter
    if re.search(r"(^|[^L])J|J($|[^L])", letters):
        return "invalid_name"
    if re.search("M{%d}" % (MAX_MARKS_PER_LETTER + 1), kinds):
        return "too_many_marks"
    return None


def name_is_valid(value: str) -> bool:
    return bool(value) and _name_problem(value) is None


def validate_name(value: str, message, marks_message=None) -> str:
    """The name in its normal form, or a ValidationError: `message` for anything but
    letters, marks, spaces, apostrophes, hyphens and full stops, `marks_message` for
    too many accents on one letter."""
    cleaned = clean_name(value)
    problem = _name_problem(cleaned) if cleaned else "invalid_name"
    if problem == "too_many_marks":
        raise ValidationError(
            marks_message
            or _("Names must not have more than %(limit)d accents on one letter"),
            code=problem,
            params={"limit": MAX_MARKS_PER_LETTER},
        )
    if problem:
        raise ValidationError(message, code=problem)
    return cleaned


def normalise_nino(value: str) -> str:
    return _NINO_NOISE.sub("", value).upper()


def nino_is_valid(value: str) -> bool:
    """Format and prefixes: the first two letters are never D, F, I, Q, U or V (and
    the second never O), and BG, GB, KN, NK, NT, TN and ZZ are never issued."""
    return bool(_NINO.match(normalise_nino(value)))


def validate_nino(value: str) -> str:
    nino = normalise_nino(value)
    if not _NINO.match(nino):
        raise ValidationError(
            _(
                "Enter a National Insurance number in the correct format, "
                "like QQ 12 34 56 C"
            ),
            code="invalid_nino",
        )
    return nino


def format_nino(nino: str) -> str:
    return " ".join([nino[0:2], nino[2:4], nino[4:6], nino[6:8], nino[8:]]).strip()


def validate_phone(value: str) -> str:
    """UK numbers in any common layout, or international numbers starting with +."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValidationError(
            _(
                "Enter a telephone number, like 01632 960 001, 07700 900 982 "
                "or +44 808 157 0192"
            ),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
