"""Electoral divisions (wards, county electoral divisions, UK Parliament
constituencies) by their GSS codes."""

#: GSS code prefixes of UK Parliament constituencies (England, Wales, Scotland,
#: Northern Ireland).
CONSTITUENCY_PREFIXES = ("E14", "W07", "S14", "N05")


def real_division(code: str) -> str:
    """A division's GSS code, or "" for none: the postcode directory writes a
    pseudo-code ending in 99999999 (E99999999, W99999999, ...) where a postcode has
    no such division, as in a unitary council, which has no county electoral
    divisions."""
    code = code.strip().upper()
    return "" if not code or code.endswith("99999999") else code


def is_constituency(code: str) -> bool:
    return code.upper().startswith(CONSTITUENCY_PREFIXES)
