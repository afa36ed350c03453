"""The published CSV layouts we load, one small adapter per format.

Each adapter turns one CSV row into an `AddressRow`, a `PostcodeRow`, a `Deletion`
(change-only updates) or a `Rejected` reason, and knows nothing of the database.

- ONS Postcode Directory (ONSPD): one row per postcode, with a header; the council
  column is `oslaua` in older releases and `ladYYcd` in newer ones. Its electoral
  divisions, where the file has them, are read too: the ward (`osward`, or `wdYYcd`),
  the county electoral division (`ced`, or `cedYYcd`) and the UK Parliament
  constituency (`pcon`, or `pconYYcd`).
- AddressBase Plus: 77 columns, supplied without a header (a header row, if present,
  is skipped); the council is given as the local custodian code.
- AddressBase Core: 27 columns with a header; the council is given as a GSS code.
"""

import operator
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ier.geography.addresses import address_lines, number_range, sort_key, tidy
from ier.geography.divisions import real_division
from ier.geography.postcodes import normalise_postcode

# Classes of property people live in: dwellings, houses in multiple occupation,
# residential institutions, and dual-use (a flat over a shop) - see AddressBase's
# classification scheme. Garages, car parking spaces and outbuildings are left out.
RESIDENTIAL_CLASSES = ("RD", "RH", "RI", "X")
# BLPU state 4: the property no longer exists.
STATE_GONE = "4"
NORTHERN_IRELAND_OFFICE = "N92000002"

ADDRESSBASE_PLUS_COLUMNS = [
    "UPRN",
    "UDPRN",
    "CHANGE_TYPE",
    "STATE",
    "STATE_DATE",
    "CLASS",
    "PARENT_UPRN",
    "X_COORDINATE",
    "Y_COORDINATE",
    "LATITUDE",
    "LONGITUDE",
    "RPC",
    "LOCAL_CUSTODIAN_CODE",
    "COUNTRY",
    "LA_START_DATE",
    "LAST_UPDATE_DATE",
    "ENTRY_DATE",
    "RM_ORGANISATION_NAME",
    "LA_ORGANISATION",
    "DEPARTMENT_NAME",
    "LEGAL_NAME",
    "SUB_BUILDING_NAME",
    "BUILDING_NAME",
    "BUILDING_NUMBER",
    "SAO_START_NUMBER",
    "SAO_START_SUFFIX",
    "SAO_END_NUMBER",
    "SAO_END_SUFFIX",
    "SAO_TEXT",
    "ALT_LANGUAGE_SAO_TEXT",
    "PAO_START_NUMBER",
    "PAO_START_SUFFIX",
    "PAO_END_NUMBER",
    "PAO_END_SUFFIX",
    "PAO_TEXT",
    "ALT_LANGUAGE_PAO_TEXT",
    "USRN",
    "USRN_MATCH_INDICATOR",
    "AREA_NAME",
    "LEVEL",
    "OFFICIAL_FLAG",
    "OS_ADDRESS_TOID",
    "OS_ADDRESS_TOID_VERSION",
    "OS_ROADLINK_TOID",
    "OS_ROADLINK_TOID_VERSION",
    "OS_TOPO_TOID",
    "OS_TOPO_TOID_VERSION",
    "VOA_CT_RECORD",
    "VOA_NDR_RECORD",
    "STREET_DESCRIPTION",
    "ALT_LANGUAGE_STREET_DESCRIPTION",
    "DEPENDENT_THOROUGHFARE",
    "THOROUGHFARE",
    "WELSH_DEPENDENT_THOROUGHFARE",
    "WELSH_THOROUGHFARE",
    "DOUBLE_DEPENDENT_LOCALITY",
    "DEPENDENT_LOCALITY",
    "LOCALITY",
    "WELSH_DEPENDENT_LOCALITY",
    "WELSH_DOUBLE_DEPENDENT_LOCALITY",
    "TOWN_NAME",
    "ADMINISTRATIVE_AREA",
    "POST_TOWN",
    "WELSH_POST_TOWN",
    "POSTCODE",
    "POSTCODE_LOCATOR",
    "POSTCODE_TYPE",
    "DELIVERY_POINT_SUFFIX",
    "ADDRESSBASE_POSTAL",
    "PO_BOX_NUMBER",
    "WARD_CODE",
    "PARISH_CODE",
    "RM_START_DATE",
    "MULTI_OCC_COUNT",
    "VOA_NDR_P_DESC_CODE",
    "VOA_NDR_SCAT_CODE",
    "ALT_LANGUAGE",
]
ADDRESSBASE_CORE_COLUMNS = [
    "UPRN",
    "PARENT_UPRN",
    "UDPRN",
    "USRN",
    "TOID",
    "CLASSIFICATION_CODE",
    "EASTING",
    "NORTHING",
    "LATITUDE",
    "LONGITUDE",
    "RPC",
    "LAST_UPDATE_DATE",
    "SINGLE_LINE_ADDRESS",
    "PO_BOX",
    "ORGANISATION",
    "SUB_BUILDING",
    "BUILDING_NAME",
    "BUILDING_NUMBER",
    "STREET_NAME",
    "LOCALITY",
    "TOWN_NAME",
    "POST_TOWN",
    "ISLAND",
    "POSTCODE",
    "DELIVERY_POINT_SUFFIX",
    "GSS_CODE",
    "CHANGE_CODE",
]


class AddressRow(NamedTuple):
    """A tuple, so that a chunk of them crosses to and from a parsing process
    cheaply."""

    uprn: int
    line_1: str
    line_2: str
    line_3: str
    town: str
    postcode: str
    sort_key: str
    gss_code: str = ""
    custodian_code: str = ""


@dataclass(frozen=True, slots=True)
class PostcodeRow:
    postcode: str
    gss_code: str
    # (ward, county electoral division, constituency) GSS codes, "" for none.
    divisions: tuple[str, str, str] = ("", "", "")


@dataclass(frozen=True, slots=True)
class Deletion:
    uprn: int


@dataclass(frozen=True, slots=True)
class Rejected:
    reason: str
    detail: str = ""


Parsed = AddressRow | PostcodeRow | Deletion | Rejected


class Layout:
    """A CSV layout: which columns it has and how a row becomes a record."""

    name = ""
    kind = ""
    columns: tuple[str, ...] | list[str] = ()
    header_required = True

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def bind(self, header: list[str] | None) -> None:
        """Learn the column positions from the file's header (or the published
        order, for a layout supplied without one)."""
        if header is None:
            if self.header_required:
                raise ValueError("%s files start with a header row" % self.name)
            header = list(self.columns)
        names = [h.strip().upper() for h in header]
        self.index = self.resolve(names)

    def resolve(self, names: list[str]) -> dict[str, int]:
        missing = [c for c in self.required() if c not in names]
        if missing:
            raise ValueError(
                "not an %s file: it lacks the columns %s"
                % (self.name, ", ".join(missing))
            )
        return {name: position for position, name in enumerate(names)}

    def required(self) -> list[str]:
        return list(self.columns)

    def looks_like_header(self, row: list[str]) -> bool:
        return bool(row) and row[0].strip().upper() in {"UPRN", "PCD", "PCDS", "PCD7"}

    def parse(self, row: list[str]) -> Parsed:
        raise NotImplementedError


class OnsPostcodeDirectory(Layout):
    name = "ONS Postcode Directory"
    kind = "onspd"
    _POSTCODE_COLUMNS = ("PCDS", "PCD", "PCD7", "PCD8", "PCD2")
    _COUNCIL = re.compile(r"^(OSLAUA|LAD\d\dCD|LAUA)$")
    #: Optional columns, in the order of `PostcodeRow.divisions`.
    _DIVISIONS = {
        "WARD": re.compile(r"^(OSWARD|WD\d\dCD)$"),
        "CED": re.compile(r"^(CED|CED\d\dCD)$"),
        "PCON": re.compile(r"^(PCON|PCON\d\dCD)$"),
    }

    def resolve(self, names: list[str]) -> dict[str, int]:
        postcode = next((c for c in self._POSTCODE_COLUMNS if c in names), None)
        council = next((c for c in names if self._COUNCIL.match(c)), None)
        if postcode is None or council is None or "DOTERM" not in names:
            raise ValueError(
                "not an ONS Postcode Directory file: it needs a postcode column "
                "(pcds), doterm and the council column (oslaua or ladYYcd)"
            )
        index = {
            "POSTCODE": names.index(postcode),
            "DOTERM": names.index("DOTERM"),
            "COUNCIL": names.index(council),
        }
        for key, pattern in self._DIVISIONS.items():
            column = next((c for c in names if pattern.match(c)), None)
            if column is not None:
                index[key] = names.index(column)
        return index

    def parse(self, row: list[str]) -> Parsed:
        raw = _at(row, self.index["POSTCODE"])
        postcode = normalise_postcode(raw)
        if not postcode:
            return Rejected("bad_postcode", raw)
        if _at(row, self.index["DOTERM"]):
            return Rejected("terminated", postcode)
        council = _at(row, self.index["COUNCIL"])
        if not council:
            return Rejected("no_council", postcode)
        if council.startswith("N09"):
            # Northern Ireland's councils do not run registration: EONI does.
            council = NORTHERN_IRELAND_OFFICE
        divisions = tuple(
            real_division(_at(row, self.index[key])) if key in self.index else ""
            for key in self._DIVISIONS
        )
        return PostcodeRow(postcode, council, divisions)  # type: ignore[arg-type]


class _AddressBase(Layout):
    kind = "addressbase"

    def residential(self, code: str) -> bool:
        return not code or code.startswith(RESIDENTIAL_CLASSES)

    def uprn(self, row: list[str]) -> int | Rejected:
        raw = _at(row, self.index["UPRN"])
        if not raw.isdigit() or int(raw) == 0:
            return Rejected("bad_uprn", raw)
        return int(raw)


class AddressBasePlus(_AddressBase):
    name = "AddressBase Plus"
    columns = ADDRESSBASE_PLUS_COLUMNS
    header_required = False

    def required(self) -> list[str]:
        return list(self.FIELDS)

    # The columns read, in the order `parse` unpacks them.
    FIELDS = (
        "UPRN", "CHANGE_TYPE", "STATE", "CLASS", "LOCAL_CUSTODIAN_CODE",
        "SAO_TEXT", "SAO_START_NUMBER", "SAO_START_SUFFIX", "SAO_END_NUMBER",
        "SAO_END_SUFFIX", "PAO_TEXT", "PAO_START_NUMBER", "PAO_START_SUFFIX",
        "PAO_END_NUMBER", "PAO_END_SUFFIX", "STREET_DESCRIPTION", "THOROUGHFARE",
        "LOCALITY", "DEPENDENT_LOCALITY", "TOWN_NAME", "POST_TOWN", "POSTCODE",
        "POSTCODE_LOCATOR",
    )  # fmt: skip

    def bind(self, header: list[str] | None) -> None:
        super().bind(header)
        positions = [self.index[name] for name in self.FIELDS]
        # One C-level call picks every column a row needs: tens of millions of rows
        # make per-column Python calls the slowest part of a load.
        self._pick = operator.itemgetter(*positions)
        self._width = max(positions) + 1

    def parse(self, row: list[str]) -> Parsed:
        if len(row) < self._width:
            row = row + [""] * (self._width - len(row))
        # Not stripped: OS supplies no padding, and every field is tidied (or
        # normalised, for postcodes) on its way into an address.
        f = self._pick(row)
        uprn_text = f[0].strip()
        if not uprn_text.isdigit() or int(uprn_text) == 0:
            return Rejected("bad_uprn", uprn_text)
        uprn = int(uprn_text)
        if f[1] == "D":
            return Deletion(uprn)
        if not self.residential(f[3]):
            return Rejected("not_residential", "%d %s" % (uprn, f[3]))
        if f[2] == STATE_GONE:
            return Rejected("no_longer_exists", str(uprn))
        raw_postcode = f[21] or f[22]
        postcode = known_postcode(raw_postcode)
        if not postcode:
            return Rejected("bad_postcode", "%d %r" % (uprn, raw_postcode))
        return self._address(uprn, postcode, f)

    def _address(self, uprn: int, postcode: str, f: tuple[str, ...]) -> AddressRow:
        (sao_text, sao_start, sao_start_suffix, sao_end, sao_end_suffix, pao_text,
         pao_start, pao_start_suffix, pao_end, pao_end_suffix) = f[5:15]  # fmt: skip
        street = f[15] or f[16]
        locality = f[17] or f[18]
        town = f[19] or f[20]
        # Most rows have no flat and no building name: their parts are skipped
        # rather than tidied (tens of millions of rows make each call count).
        sao = ""
        if sao_start or sao_end:
            sao_number = number_range(
                sao_start, sao_start_suffix, sao_end, sao_end_suffix
            )
            sao = sao_text + " " + sao_number if sao_text else sao_number
        elif sao_text:
            sao = sao_text
        pao_number = number_range(pao_start, pao_start_suffix, pao_end, pao_end_suffix)
        numbered_street = pao_number + " " + street if pao_number else street
        lines = address_lines(
            [
                tidy(sao) if sao else "",
                tidy(pao_text) if pao_text else "",
                tidy(numbered_street),
                tidy(locality) if locality and locality != town else "",
            ]
        )
        key = sort_key(street, pao_start, pao_start_suffix, pao_text, sao_start,
                       sao_start_suffix, sao_text)  # fmt: skip
        return AddressRow(
            uprn, lines[0], lines[1], lines[2], tidy(town), postcode, key,
            custodian_code=f[4].strip(),
        )  # fmt: skip


class AddressBaseCore(_AddressBase):
    name = "AddressBase Core"
    columns = ADDRESSBASE_CORE_COLUMNS

    def required(self) -> list[str]:
        return [
            "UPRN",
            "CLASSIFICATION_CODE",
            "SUB_BUILDING",
            "BUILDING_NAME",
            "BUILDING_NUMBER",
            "STREET_NAME",
            "TOWN_NAME",
            "POST_TOWN",
            "POSTCODE",
            "GSS_CODE",
        ]

    def parse(self, row: list[str]) -> Parsed:
        uprn = self.uprn(row)
        if isinstance(uprn, Rejected):
            return uprn
        index = self.index

        def get(name: str) -> str:
            return _at(row, index[name]) if name in index else ""

        if get("CHANGE_CODE") == "D":
            return Deletion(uprn)
        if not self.residential(get("CLASSIFICATION_CODE")):
            return Rejected(
                "not_residential", "%d %s" % (uprn, get("CLASSIFICATION_CODE"))
            )
        postcode = normalise_postcode(get("POSTCODE"))
        if not postcode:
            return Rejected("bad_postcode", "%d %r" % (uprn, get("POSTCODE")))
        number, suffix = _split_number(get("BUILDING_NUMBER"))
        street = get("STREET_NAME")
        town = get("TOWN_NAME") or get("POST_TOWN")
        locality = get("LOCALITY")
        lines = address_lines(
            [
                tidy(get("SUB_BUILDING")),
                tidy(get("BUILDING_NAME")),
                tidy(" ".join(p for p in (get("BUILDING_NUMBER"), street) if p)),
                tidy(locality) if locality != town else "",
            ]
        )
        key = sort_key(
            street, number, suffix, get("BUILDING_NAME"), "", "", get("SUB_BUILDING")
        )
        return AddressRow(
            uprn,
            lines[0],
            lines[1],
            lines[2],
            tidy(town),
            postcode,
            key,
            gss_code=get("GSS_CODE"),
        )


LAYOUTS: dict[str, type[Layout]] = {
    "onspd": OnsPostcodeDirectory,
    "plus": AddressBasePlus,
    "core": AddressBaseCore,
}


# About 17 addresses share a postcode: reading each postcode once is enough.
known_postcode = lru_cache(maxsize=1 << 16)(normalise_postcode)


def _at(row: list[str], position: int) -> str:
    return row[position].strip() if position < len(row) else ""


_NUMBER = re.compile(r"^(\d+)\s*([A-Za-z]?)$")


def _split_number(text: str) -> tuple[str, str]:
    match = _NUMBER.match(text.strip())
    return (match.group(1), match.group(2)) if match else ("", "")
