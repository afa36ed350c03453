"""Addresses in the journey: find them by postcode and route them to a council."""

import time
from functools import lru_cache
from typing import Any

from ier.geography.lookup import councils_at
from ier.geography.models import Address, Authority, PostcodeArea
from ier.geography.postcodes import is_northern_ireland, normalise_postcode


def addresses_at(postcode: str) -> list[Address]:
    """Every address at the postcode, in the order a person expects to read them.

    Sorted here rather than by the database: the keys compare byte by byte, which a
    database collation for English text would not do."""
    found = Address.objects.filter(postcode=postcode).select_related("authority")
    return sorted(found, key=lambda address: (address.sort_key, address.uprn))


def address_options(postcode: str) -> tuple[tuple[str, str], ...]:
    """(UPRN, the address on one line) for every address at the postcode, in the
    order of `addresses_at`, reading only the columns the list shows."""
    rows = Address.objects.filter(postcode=postcode).values_list(
        "sort_key", "uprn", "line_1", "line_2", "line_3", "town", "postcode"
    )
    return tuple(
        (str(uprn), single_line({"lines": lines, "postcode": code}))
        for _key, uprn, *lines, code in sorted(rows, key=lambda row: row[:2])
    )


def authorities_for_postcode(postcode: str) -> list[Authority]:
    """The councils a postcode falls in: usually one, two where it crosses a border."""
    return councils_at(postcode)


def address_at(uprn: str, postcode: str) -> bool:
    """Whether the address is listed at the postcode: the same look-up, reused for a
    few minutes, as the chosen address's (the address question, "check your answers"
    and sending each ask)."""
    if not uprn.isdigit():
        return False
    return _listed_address(int(uprn), postcode, _period()) is not None


def postcode_known(postcode: str) -> bool:
    return _postcode_known(postcode, _period())


@lru_cache(maxsize=50_000)
def _postcode_known(postcode: str, _period: int) -> bool:
    return (
        PostcodeArea.objects.filter(postcode=postcode).exists()
        or Address.objects.filter(postcode=postcode).exists()
    )


def describe(address: Address) -> dict[str, Any]:
    return {
        "uprn": address.uprn,
        "lines": [address.line_1, address.line_2, address.line_3, address.town],
        "postcode": address.postcode,
        "authority_id": address.authority_id,
        "gss_code": address.authority.gss_code,
        "nation": address.authority.nation,
        "manual": False,
    }


#: Addresses and postcodes change only when address data is loaded, so a look-up is
#: reused for a few minutes: every page after the address question needs it.
CACHE_SECONDS = 300


def _period() -> int:
    return int(time.time() // CACHE_SECONDS)


@lru_cache(maxsize=50_000)
def _listed_address(uprn: int, postcode: str, _period: int) -> dict[str, Any] | None:
    # One row of the columns `describe` reads, not an Address and its Authority.
    row = (
        Address.objects.filter(uprn=uprn, postcode=postcode)
        .order_by("pk")
        .values_list(
            "uprn",
            "line_1",
            "line_2",
            "line_3",
            "town",
            "postcode",
            "authority_id",
            "authority__gss_code",
            "authority__nation",
        )
        .first()
    )
    if row is None:
        return None
    found, line_1, line_2, line_3, town, code, authority_id, gss_code, nation = row
    return {
        "uprn": found,
        "lines": [line_1, line_2, line_3, town],
        "postcode": code,
        "authority_id": authority_id,
        "gss_code": gss_code,
        "nation": nation,
        "manual": False,
    }


def chosen_address(ctx, prefix: str) -> dict[str, Any] | None:
    """The address answered under `prefix` ("address" or "previous-address"): one
    picked from the list, or one typed in by hand and routed by its postcode."""
    postcode = normalise_postcode(ctx.value(prefix, "postcode"))
    if not postcode:
        return None
    uprn = ctx.value(prefix + "-select", "uprn")
    if uprn and str(uprn).isdigit():
        found = _listed_address(int(uprn), postcode, _period())
        return dict(found) if found else None
    manual = ctx.raw(prefix + "-manual")
    if manual.get("line_1") and manual.get("town"):
        return manual_address(manual, postcode)
    if is_northern_ireland(postcode):
        return {
            "uprn": None,
            "lines": ["", "", "", ""],
            "postcode": postcode,
            "authority_id": None,
            "gss_code": "",
            "nation": "Northern Ireland",
            "manual": True,
        }
    return None


def manual_address(manual: dict[str, Any], postcode: str) -> dict[str, Any]:
    authorities = authorities_for_postcode(postcode)
    chosen = manual.get("authority")
    authority = next((a for a in authorities if a.gss_code == chosen), None)
    if authority is None and len(authorities) == 1:
        authority = authorities[0]
    return {
        "uprn": None,
        "lines": [
            manual.get("line_1", ""),
            manual.get("line_2", ""),
            "",
            manual.get("town", ""),
        ],
        "postcode": postcode,
        "authority_id": authority.pk if authority else None,
        "gss_code": authority.gss_code if authority else "",
        "nation": authority.nation if authority else None,
        "manual": True,
    }


def single_line(address: dict[str, Any]) -> str:
    return ", ".join(
        [part for part in address["lines"] if part] + [address["postcode"]]
    )
