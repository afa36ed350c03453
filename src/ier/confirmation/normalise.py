"""Normalisation of names, dates of birth, addresses and postcodes, in DuckDB SQL.

Both files go through the same SQL, so that whatever is done to one side is done
to the other: lower case, accents and punctuation removed, titles dropped, address
words rewritten to one spelling (`data/address_abbreviations.csv`), postcodes
reformatted as `OUTWARD INWARD` whatever spacing and case they came in. Nothing is
rejected here: a value that cannot be read (a date that is not a date, a postcode
that is not a postcode) becomes empty or is kept as cleaned text.

The output columns are the model's inputs (see `model.py`).
"""

# SQL here is assembled from our own constants, table names and quoted paths;
# values from the input files never become SQL text.
# ruff: noqa: S608

import re

import duckdb

from ier.confirmation import reference_data

_SAFE_WORD = re.compile(r"^[a-z0-9]+$")

# A valid UK postcode once spaces are removed: outward code, then digit + 2 letters.
POSTCODE_PATTERN = "^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"
EARLIEST_BIRTH_DATE = "1900-01-01"


def _sql_word(word: str) -> str:
    # The words come from our own data files; refuse anything that is not a plain
    # word rather than quote it, so the SQL below can never be altered by data.
    if not _SAFE_WORD.match(word):
        raise ValueError(f"reference word {word!r} is not lower-case letters/digits")
    return f"'{word}'"


def _list_literal(words) -> str:
    return "[{}]".format(", ".join(_sql_word(w) for w in words))


def _map_literal(mapping: dict[str, str]) -> str:
    pairs = ", ".join(
        f"{_sql_word(k)}: {_sql_word(v)}" for k, v in sorted(mapping.items())
    )
    return f"MAP {{{pairs}}}"


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the SQL macros and the nickname table the normalisation uses."""
    con.execute(
        """
        CREATE OR REPLACE TEMP MACRO ier_tokens(s) AS list_filter(
            string_split(trim(regexp_replace(regexp_replace(
                lower(strip_accents(coalesce(s, ''))), '[''’`]', '', 'g'),
                '[^a-z0-9]+', ' ', 'g')), ' '),
            lambda t: t <> '');
        """
    )
    # Titles are dropped only when something else remains: "Lord" may be a surname.
    titles = _list_literal(reference_data.titles())
    untitled = f"list_filter(all_tokens, lambda w: NOT list_contains({titles}, w))"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP MACRO ier_name_tokens(s) AS (
            WITH t AS (SELECT ier_tokens(s) AS all_tokens)
            SELECT CASE WHEN len({untitled}) > 0 THEN {untitled} ELSE all_tokens END
            FROM t);
        """
    )
    spelling = _map_literal(reference_data.address_abbreviations())
    con.execute(
        "CREATE OR REPLACE TEMP MACRO ier_address_tokens(s) AS list_transform("
        f"ier_tokens(s), lambda t: coalesce({spelling}[t], t));"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ier_nickname_groups "
        "(name VARCHAR PRIMARY KEY, formal_names VARCHAR[])"
    )
    con.executemany(
        "INSERT INTO ier_nickname_groups VALUES (?, ?)",
        [
            [name, list(formals)]
            for name, formals in reference_data.nickname_groups().items()
        ],
    )


def _tokens_sql(raw_table: str, id_column: str) -> str:
    return f"""
        SELECT
            row_number,
            {id_column} AS unique_id,
            ier_name_tokens(first_name) AS first_tokens,
            ier_name_tokens(middle_names) AS middle_tokens,
            ier_name_tokens(surname) AS surname_tokens,
            try_cast(substr(trim(date_of_birth), 1, 10) AS DATE) AS born,
            regexp_replace(upper(coalesce(postcode, '')), '[^A-Z0-9]', '', 'g')
                AS postcode_compact,
            ier_address_tokens(
                concat_ws(' ', address_line_1, address_line_2)) AS address_tokens,
            nullif(array_to_string(ier_tokens(town), ' '), '') AS town
        FROM {raw_table}
    """


# Typists put letter O and I where the inward code's digit should be; the fix is
# kept only when it turns the text into a valid postcode.
_POSTCODE_DIGIT_FIXED = """
    left(postcode_compact, length(postcode_compact) - 3)
    || replace(replace(substr(postcode_compact, length(postcode_compact) - 2, 1),
               'O', '0'), 'I', '1')
    || right(postcode_compact, 2)
"""
_POSTCODE_FIXED = f"""
    CASE WHEN length(postcode_compact) >= 5
        AND regexp_matches({_POSTCODE_DIGIT_FIXED}, '{POSTCODE_PATTERN}')
    THEN {_POSTCODE_DIGIT_FIXED} ELSE postcode_compact END
"""


def _fields_sql(tokens_sql: str) -> str:
    return f"""
        SELECT
            t.*,
            first_tokens[1] AS first_name,
            nullif(array_to_string(
                list_concat(first_tokens[2:], middle_tokens), ' '), '') AS middle_names,
            nullif(array_to_string(surname_tokens, ''), '') AS surname,
            CASE WHEN born BETWEEN DATE '{EARLIEST_BIRTH_DATE}' AND current_date
                THEN strftime(born, '%Y-%m-%d') END AS date_of_birth,
            {_POSTCODE_FIXED} AS postcode_fixed,
            list_transform(
                list_filter(address_tokens,
                    lambda w: regexp_matches(w, '^[0-9]+[a-z]?$')),
                lambda w: ltrim(w, '0')) AS number_tokens,
            -- "flat" says nothing about which flat; numbers are compared on their own
            list_filter(address_tokens,
                lambda w: NOT regexp_matches(w, '^[0-9]') AND w <> 'flat')
                AS word_tokens
        FROM ({tokens_sql}) AS t
    """


def normalised_sql(raw_table: str, id_column: str) -> str:
    """Return a SELECT turning a raw input table into the model's columns."""
    fields = _fields_sql(_tokens_sql(raw_table, id_column))
    valid = f"regexp_matches(postcode_fixed, '{POSTCODE_PATTERN}')"
    outward = "left(postcode_fixed, length(postcode_fixed) - 3)"
    return f"""
        SELECT
            unique_id,
            row_number,
            first_name,
            CASE WHEN first_name IS NOT NULL THEN list_sort(list_distinct(
                list_append(coalesce(n.formal_names, []), first_name)))
            END AS first_name_groups,
            middle_names,
            nullif(split_part(middle_names, ' ', 1), '') AS middle_first_name,
            -- Only for two names or more: their order is what it is for.
            CASE WHEN len(first_tokens) + len(middle_tokens) > 1
                THEN array_to_string(list_sort(list_concat(first_tokens,
                    middle_tokens)), ' ')
            END AS given_names_sorted,
            surname,
            CASE WHEN len(surname_tokens) > 0 THEN surname_tokens END AS surname_tokens,
            -- First name and surname in alphabetical order: the same when swapped.
            CASE WHEN first_name IS NOT NULL AND surname IS NOT NULL
                THEN least(first_name, surname) || ' ' || greatest(first_name, surname)
            END AS name_pair,
            -- The same again, under the name the model compares (see model.py).
            name_pair AS name_set,
            -- First name and surname as written: with name_set, tells a swap
            -- with a slip from two names alike in their own order.
            CASE WHEN first_name IS NOT NULL AND surname IS NOT NULL
                THEN first_name || ' ' || surname
            END AS names_in_order,
            -- The first three letters of each, in alphabetical order: names
            -- swapped and mistyped past their beginnings.
            CASE WHEN first_name IS NOT NULL AND surname IS NOT NULL
                THEN least(first_name[1:3], surname[1:3]) || ' '
                    || greatest(first_name[1:3], surname[1:3])
            END AS name_beginnings,
            date_of_birth,
            CASE WHEN {valid} THEN {outward} || ' ' || right(postcode_fixed, 3)
                ELSE nullif(postcode_fixed, '') END AS postcode,
            -- The letters alone ('' for a postcode of digits only): a slipped
            -- digit leaves them as they were.
            CASE WHEN postcode_fixed <> ''
                THEN regexp_replace(postcode_fixed, '[^A-Z]', '', 'g')
            END AS postcode_letters,
            CASE WHEN {valid} THEN {outward} || ' ' || right(postcode_fixed, 3)[1]
                END AS postcode_sector,
            CASE WHEN {valid} THEN {outward} END AS postcode_district,
            CASE WHEN {valid} THEN regexp_extract(postcode_fixed, '^[A-Z]{{1,2}}')
                END AS postcode_area,
            nullif(array_to_string(address_tokens, ' '), '') AS address_key,
            nullif(array_to_string(number_tokens, ' '), '') AS address_numbers,
            CASE WHEN len(number_tokens) > 0 THEN number_tokens END
                AS address_number_tokens,
            nullif(array_to_string(list_filter(address_tokens,
                lambda w: NOT regexp_matches(w, '^[0-9]')), ' '), '') AS address_words,
            CASE WHEN len(word_tokens) > 0 THEN word_tokens END AS address_word_tokens,
            town
        FROM ({fields}) AS f
        LEFT JOIN ier_nickname_groups AS n ON n.name = f.first_name
    """
