"""Names as a computer should compare them: folded, split into words, and grouped
with the other names people use for the same first name.

Folding removes what people type inconsistently and what no record reliably keeps:
case, accents ("Siân" and "Sian"), apostrophes and full stops ("O'Brien", "OBrien"),
and the choice between a hyphen and a space in a double-barrelled surname."""

import csv
import functools
import re
import unicodedata
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
_SEPARATORS = re.compile(r"[\s\-‐–]+")
# Punctuation people type inconsistently, and the zero-width (non-)joiner, which
# changes how letters join, not the name.
_DROPPED = re.compile("['’‘`.,\u200c\u200d]")


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case, without accents or the punctuation people type inconsistently."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _DROPPED.sub("", plain.casefold()).strip()


@functools.lru_cache(maxsize=1 << 16)
def name_words(text: str) -> tuple[str, ...]:
    """The words of a name: "Smith-Jones" and "smith jones" both give (smith, jones).
    Remembered, because the same names come up again and again."""
    return tuple(word for word in _SEPARATORS.split(fold(text)) if word)


@functools.lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """One string per name however it was spaced or hyphenated."""
    return "".join(name_words(text))


@functools.cache
def _variant_groups() -> dict[str, frozenset[int]]:
    groups: dict[str, set[int]] = {}
    with (DATA_DIR / "name_variants.csv").open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            for name in [row["name"], *row["variants"].split()]:
                groups.setdefault(name_key(name), set()).add(number)
    return {name: frozenset(numbers) for name, numbers in groups.items()}


def are_variants(first: str, second: str) -> bool:
    """True when the two first names are different names listed as used for each
    other (William and Bill, Stephen and Steven, David and Dafydd)."""
    a, b = name_key(first), name_key(second)
    if not a or not b or a == b:
        return False
    groups = _variant_groups()
    return bool(groups.get(a, frozenset()) & groups.get(b, frozenset()))


def variants_of(name: str) -> list[str]:
    """Every name listed as used for `name`, folded, in a stable order."""
    groups = _variant_groups()
    own = groups.get(name_key(name), frozenset())
    return sorted(
        other
        for other, theirs in groups.items()
        if other != name_key(name) and own & theirs
    )
