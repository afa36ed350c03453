"""Application references: short, easy to read aloud, impossible to guess.

Ten characters from an alphabet without vowels (so no words), 0/O or 1/I/L; nine are
random from the operating system's secure source and the last is a check character,
so a mistyped reference is caught before it is looked up."""

import secrets

ALPHABET = "BCDFGHJKMNPQRSTVWXYZ23456789"
RANDOM_LENGTH = 9


def check_character(body: str) -> str:
    # Luhn mod N (N even, so doubling permutes the alphabet): catches every
    # single-character error and most swaps of neighbours.
    n = len(ALPHABET)
    total = 0
    for position, char in enumerate(reversed(body)):
        value = ALPHABET.index(char)
        if position % 2 == 0:
            value *= 2
            value = value // n + value % n
        total += value
    return ALPHABET[(n - total % n) % n]


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_character(body)


def normalise_reference(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def is_valid_reference(text: str) -> bool:
    ref = normalise_reference(text)
    if len(ref) != RANDOM_LENGTH + 1 or any(ch not in ALPHABET for ch in ref):
        return False
    return check_character(ref[:-1]) == ref[-1]


def display_reference(reference: str) -> str:
    return "%s %s" % (reference[:5], reference[5:])
