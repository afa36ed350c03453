"""Checks and normal forms for what people type: names, NINOs and phone numbers."""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Letters and marks of any script, spaces, apostrophes, hyphens and full stops: enough
# for every real name ("Zoë", "O'Neill", "Siân", "Smith-Jones", "Jr.") and nothing else.
_NAME_PUNCTUATION = set(" '’‘-‐.")
_NINO = re.compile(
    r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]?$"
)
_NINO_NOISE = re.compile(r"[\s\-]")


def clean_name(value: str) -> str:
    """Trim, fold runs of spaces and use one form of each accented letter."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def name_is_valid(value: str) -> bool:
    if not value or not any(unicodedata.category(c).startswith("L") for c in value):
        return False
    return all(
        c in _NAME_PUNCTUATION or unicodedata.category(c)[0] in {"L", "M"}
        for c in value
    )


def validate_name(value: str, message) -> str:
    cleaned = clean_name(value)
    if not name_is_valid(cleaned):
        raise ValidationError(message, code="invalid_name")
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
