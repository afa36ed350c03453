"""UK postcodes: read them however a person types them."""

import re

# Outward code shapes A9, A99, AA9, AA99, A9A, AA9A with the letters each position
# never uses; inward code 9AA without C, I, K, M, O or V.
_POSTCODE = re.compile(
    r"^(?:"
    r"[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"
    r") [0-9][ABD-HJLNP-UW-Z]{2}$"
)
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def normalise_postcode(text: str | None) -> str | None:
    """Return the postcode in its standard form ("SW1A 1AA"), or None if it cannot
    be one. Case, spaces, punctuation and a letter O typed for the zero that starts
    the inward code are forgiven."""
    if not text:
        return None
    compact = _NOT_ALNUM.sub("", text.upper())
    if not 5 <= len(compact) <= 7:
        return None
    outward, inward = compact[:-3], compact[-3:]
    if inward[0] == "O":
        inward = "0" + inward[1:]
    candidate = "%s %s" % (outward, inward)
    if candidate == "GIR 0AA" or _POSTCODE.match(candidate):
        return candidate
    return None


def is_northern_ireland(postcode: str) -> bool:
    return postcode.upper().startswith("BT")


def postcode_area(postcode: str) -> str:
    """The letters that start a postcode: "SW" for "SW1A 1AA"."""
    match = re.match(r"[A-Z]+", postcode.upper())
    return match.group(0) if match else ""
