"""One way to say "the same elector": the match key shared by every path that loads
or checks register entries (`ier import-register`, the EMS API's register upload and
the duplicate check), so an entry loaded one way is found by the others."""

import unicodedata
from datetime import date

from ier.core import crypto
from ier.registration.models import RegisterEntry


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
