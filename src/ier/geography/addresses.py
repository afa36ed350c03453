"""Turning AddressBase's structured address into lines a person reads, and a key that
lists the addresses at a postcode in the order a person expects.

AddressBase describes a property by its primary addressable object (PAO: the
building, with a number range and/or a name) and an optional secondary one (SAO: the
flat or unit within it). People read a street by house number as a number (2 before
10), then the flats of a building in their own order (Flat 2 before Flat 10)."""

import re
from functools import lru_cache

_DIGITS = re.compile(r"(\d+)")
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
# Words kept in capitals, and small words kept lower case unless they start a line.
_UPPER = {"PO", "UK", "NHS", "YMCA", "YWCA", "II", "III", "IV", "VI"}
_LOWER = {
    "of",
    "the",
    "and",
    "on",
    "upon",
    "in",
    "by",
    "at",
    "under",
    "cum",
    "le",
    "en",
    "de",
    "y",
    "yr",
    "a",
}
# Zero-padding wide enough for any house or flat number.
_PAD = 6
# Sorts before any character an address contains, so "2" comes before "2A" and a
# street before a longer street it starts. Keys are compared in Python, never by the
# database, whose collation may ignore punctuation.
_SEPARATOR = "\x1f"


@lru_cache(maxsize=65536)
def natural(text: str) -> str:
    """`text` lower-cased with every run of digits padded, so that sorting the result
    as a string sorts the numbers in it as numbers ("flat 2" before "flat 10")."""
    return _DIGITS.sub(lambda m: m.group(1).zfill(_PAD), text.strip().lower())


def number_range(
    start: str, start_suffix: str = "", end: str = "", end_suffix: str = ""
) -> str:
    """ "12", "12A" or "12-14" from AddressBase's number columns."""
    first = start + start_suffix if start else ""
    if not end:
        return first
    last = end + end_suffix
    return first + "-" + last if first else last


@lru_cache(maxsize=65536)
def tidy(text: str) -> str:
    """AddressBase's capitals as a person writes them: "FLAT 2, ROSE COURT" becomes
    "Flat 2, Rose Court"; numbers with letters ("12A") stay as they are."""
    text = " ".join(text.split())
    if not text or not text.isupper():
        return text
    words = text.split(" ")
    return " ".join(_tidy_word(word, index == 0) for index, word in enumerate(words))


def _tidy_word(word: str, first: bool) -> str:
    if any(ch.isdigit() for ch in word) or word.strip(",.()") in _UPPER:
        return word
    lower = word.lower()
    if not first and lower in _LOWER:
        return lower
    return _WORD.sub(_capitalise, lower)


def _capitalise(match: re.Match) -> str:
    word = match.group(0)
    if match.start() > 0 and word in _LOWER:
        return word  # the "upon" of Stratford-upon-Avon
    if word.startswith("mc") and len(word) > 4:
        return "Mc" + word[2:].capitalize()
    if word.startswith("o'") and len(word) > 2:
        return "O'" + word[2:].capitalize()
    return word.capitalize()


def sort_key(
    street: str,
    pao_number: str = "",
    pao_suffix: str = "",
    pao_text: str = "",
    sao_number: str = "",
    sao_suffix: str = "",
    sao_text: str = "",
) -> str:
    """The key that orders addresses at a postcode: street, house number (as a
    number) and its suffix, building name, then flat number and flat name.

    A building with a name but no number sorts before the numbered houses of its
    street, as it does in a printed register."""
    # Called for every row of a load: empty parts (most flats' and many houses')
    # skip the function calls.
    parts = (
        natural(street) if street else "",
        (pao_number or _first_number(pao_text)).zfill(_PAD),
        pao_suffix.lower() if pao_suffix else "",
        natural(pao_text) if pao_text else "",
        (sao_number or _first_number(sao_text)).zfill(_PAD),
        sao_suffix.lower() if sao_suffix else "",
        natural(sao_text) if sao_text else "",
    )
    return _SEPARATOR.join(parts)[:200]


def _first_number(text: str) -> str:
    """ "10" for "Flat 10": a flat named by text is numbered as the text says."""
    if not text:
        return "0"
    match = _DIGITS.search(text)
    return match.group(1)[-_PAD:] if match else "0"


def address_lines(segments: list[str], width: int = 3) -> list[str]:
    """Pack the parts of an address into `width` lines, joining any extra parts onto
    the last line so nothing is lost."""
    parts = [s for s in segments if s]
    if len(parts) > width:
        parts[width - 1 :] = [", ".join(parts[width - 1 :])]
        return parts
    return parts + [""] * (width - len(parts))
