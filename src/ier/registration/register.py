"""The electoral register in one vocabulary for both doors that load it
(`ier import-register` and the EMS API's register upload): its CSV columns, the
names they are also known by, and one way to say "the same elector", the match key
shared by every path that loads or checks register entries (both doors and the
duplicate check), so an entry loaded one way is found by the others."""

import unicodedata
from datetime import date

from django.db import models

from ier.core import crypto
from ier.registration.columns import (  # noqa: F401 (the register's vocabulary, read from here)
    ALIASES,
    COLUMNS,
    FIELDS,
    NAMES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    REQUIRED_VALUES,
)
from ier.registration.models import RegisterEntry


def column_names(header: list[str]) -> list[str]:
    """A file's header with earlier names read as today's."""
    return [ALIASES.get(name.strip(), name.strip()) for name in header]


def missing_columns(header: list[str]) -> list[str]:
    present = set(column_names(header))
    return [c for c in REQUIRED_COLUMNS if c not in present]


def _max_length(column: str) -> int:
    field = RegisterEntry._meta.get_field(FIELDS.get(column, column))
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise TypeError("%s is not a text column of bounded length" % column)
    return field.max_length


#: The longest value each text column takes (the entry's field's length).
LIMITS = {
    name: _max_length(name) for name in COLUMNS if name not in ("date_of_birth", "uprn")
}


def too_long(values: dict[str, str]) -> list[str]:
    return [
        name for name, limit in LIMITS.items() if len(values.get(name) or "") > limit
    ]


def _letters(text: str) -> str:
    """Lower case letters only: accents, spaces, hyphens and apostrophes dropped, so
    "Siân O'Brien-Jones" and "SIAN OBRIEN JONES" agree."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed.casefold() if ch.isalpha())


def _postcode(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def register_match_key(
    first_name: str, last_name: str, date_of_birth: date | None, postcode: str
) -> str:
    """A keyed hash of the normalised first name, last name, date of birth and
    postcode. Middle names are left out because applicants add or drop them."""
    parts = (
        _letters(first_name),
        _letters(last_name),
        date_of_birth.isoformat() if date_of_birth else "",
        _postcode(postcode),
    )
    return crypto.lookup_hash("|".join(parts))


def register_entry_key(entry: RegisterEntry) -> str:
    return register_match_key(
        entry.first_name, entry.last_name, entry.date_of_birth, entry.postcode
    )
