"""The exact-match pass: electors whose record agrees exactly with one person's.

Most entries of a real register agree exactly, once normalised, with their
reference record. Such an elector needs no blocking: its best candidate is
known. An elector and a person are an exact pair when

- they agree on every field the pair is keyed on (`KEY_FIELDS`: first,
  middle and surname, date of birth when the run has dates of birth, postcode
  and address; a missing field agrees only with a missing field), with a first
  name, a surname, a postcode and some of the address on both;
- that key is unique on each side: father and son of one name at one address,
  with no date of birth to tell them apart, never pair this way.

An exact elector is left out of blocking: its candidates are its exact person
and its near-twins in the reference set, the people who agree with it on all
the key's fields but one or two (a son with the father's name and another date
of birth, a "Jon" beside a "John", the same name and address under another
postcode, and the same with a slip in the name too). Those are the people who
could come within the margin of the exact pair, and they are scored with it,
so the margin rule holds as before. Every pair is scored like any other, so the
decision, the evidence and the report are the model's. An elector with more
than MAX_NEAR_TWINS near-twins on one near-key (a placeholder address, say)
goes through blocking instead.

The person stays in blocking: another elector who has them as a candidate
still sees them, as a rival of the exact pair (the margin on the person's
side) and, once they are confirmed, as someone spoken for.

What an exact elector is no longer compared with: people who differ from it in
three of the key's fields or more. On the model's weights that is more than the
margin below the exact pair. (Two are not: another postcode in the same
district costs almost nothing when the address agrees, and a nickname or a
slip in a surname costs less than the margin. And middle names are part of
the key, not left to agree "unless one is missing": an exact pair without the
elector's middle names could be beaten by someone further away who has them.)
"""

# SQL here is assembled from our own constants, table names and quoted paths;
# values from the input files never become SQL text.
# ruff: noqa: S608

import itertools
from pathlib import Path

KEY_FIELDS = (
    "first_name",
    "middle_names",
    "surname",
    "postcode",
    "address_numbers",
    "address_words",
)
DATE_OF_BIRTH = "date_of_birth"
# An exact elector with more near-twins than this in the reference set (a
# placeholder address, say) goes through blocking instead.
MAX_NEAR_TWINS = 50
# A record is keyed only when it has these (and some of the address).
REQUIRED_FIELDS = ("first_name", "surname", "postcode")


def key_fields(with_dates_of_birth: bool) -> tuple[str, ...]:
    """Return the fields an exact pair agrees on."""
    if with_dates_of_birth:
        return (*KEY_FIELDS, DATE_OF_BIRTH)
    return KEY_FIELDS


def _joined(fields) -> str:
    # A missing field is a value of its own (chr(0) is never in a normalised
    # field), so a record without middle names is not keyed like one with ''.
    parts = " || chr(1) || ".join(f"coalesce({name}, chr(0))" for name in fields)
    return parts


def _keyed_sql(source: str, fields: tuple[str, ...], partition: str) -> str:
    required = " AND ".join(f"{name} IS NOT NULL" for name in REQUIRED_FIELDS)
    # One near-key per two fields: the key without them.
    near_keys = [
        _joined(name for name in fields if name not in left_out)
        for left_out in itertools.combinations(fields, 2)
    ]
    near = ", ".join(
        f"hash({key}) AS near_{index:d}" for index, key in enumerate(near_keys)
    )
    return f"""
        SELECT row_number, {partition} AS partition_id,
            CASE WHEN {required} AND (address_numbers IS NOT NULL
                    OR address_words IS NOT NULL)
                THEN {_joined(fields)} END AS exact_key,
            {near}
        FROM {source}
    """


def pairs_sql(register: Path, reference: Path, with_dates_of_birth: bool) -> str:
    """Return a SELECT of the exact electors' candidate pairs: partition_id,
    register_row, reference_row, and `exact` (true for the exact pair, false
    for a near-twin of the elector)."""
    fields = key_fields(with_dates_of_birth)
    left = _keyed_sql(_parquet(register), fields, "partition_id")
    right = _keyed_sql(_parquet(reference), fields, "NULL::INTEGER")
    near = range(len(list(itertools.combinations(fields, 2))))
    # More near-twins than MAX_NEAR_TWINS on any near-key (the exact person
    # is one of the records that share it).
    crowded = " OR ".join(
        f"l.near_{index:d} IN (SELECT near_{index:d} FROM r GROUP BY ALL "
        f"HAVING count(*) > {MAX_NEAR_TWINS + 1:d})"
        for index in near
    )
    # A near-twin shares several near-keys with the elector: UNION, not ALL.
    twins = " UNION ".join(
        f"SELECT p.partition_id, p.register_row, r.row_number AS reference_row, "
        f"false AS exact FROM pairs AS p JOIN r ON r.near_{index:d} = "
        f"p.near_{index:d} AND r.row_number <> p.reference_row"
        for index in near
    )
    return f"""
        WITH l AS ({left}), r AS ({right}),
        unique_l AS (
            SELECT exact_key FROM l WHERE exact_key IS NOT NULL
            GROUP BY exact_key HAVING count(*) = 1
        ),
        unique_r AS (
            SELECT exact_key FROM r WHERE exact_key IS NOT NULL
            GROUP BY exact_key HAVING count(*) = 1
        ),
        pairs AS (
            SELECT l.partition_id, l.row_number AS register_row,
                r.row_number AS reference_row, {_columns(near, "l")}
            FROM l
            JOIN unique_l USING (exact_key)
            JOIN unique_r USING (exact_key)
            JOIN r USING (exact_key)
            WHERE NOT ({crowded})
        )
        SELECT partition_id, register_row, reference_row, true AS exact FROM pairs
        UNION ALL ({twins})
    """


def _columns(near, table: str) -> str:
    return ", ".join(f"{table}.near_{index:d}" for index in near)


def _parquet(path: Path) -> str:
    return "read_parquet('{}')".format(str(path).replace("'", "''"))
