"""`ier ems-submit FILE.csv`: the reference client's way to send a council's keyed
forms (paper, phone, in person) to `POST /api/v1/applications`.

The CSV has a header row and one column per field of the API (docs/ems-api.md,
"Sending applications from other channels"); columns left out are empty. Lines are
sent 500 to a request; each request carries an Idempotency-Key made from the file's
contents and the batch's place in it, so running the same file again (after a lost
answer, say) makes no second application even for lines with no council reference.
Prints each line's result, and exits 1 if any line was refused.

Needs no Django: only httpx."""

import argparse
import csv
import hashlib
import io
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from ier.api.client import PullFailed, _send, add_connection_arguments, make_client

logger = logging.getLogger("ier.ems_submit")

BATCH = 500
#: Every column the file may have, in the order docs/ems-api.md lists them.
COLUMNS = (
    "channel",
    "council_reference",
    "language",
    "first_name",
    "middle_names",
    "last_name",
    "only_one_name",
    "previous_first_name",
    "previous_middle_names",
    "previous_last_name",
    "date_of_birth",
    "no_date_of_birth_reason",
    "age_range",
    "nationalities",
    "nationality_reason",
    "nino",
    "no_nino_reason",
    "address_uprn",
    "address_line_1",
    "address_line_2",
    "address_town",
    "address_postcode",
    "moved",
    "previous_address_uprn",
    "previous_address_line_1",
    "previous_address_line_2",
    "previous_address_town",
    "previous_address_postcode",
    "open_register",
    "postal_vote",
    "email",
    "phone",
)
#: Columns that are not sent as they are typed.
CONVERTED = {
    "only_one_name",
    "date_of_birth",
    "nationalities",
    "address_uprn",
    "previous_address_uprn",
    "open_register",
}
TEXT_COLUMNS = tuple(column for column in COLUMNS if column not in CONVERTED)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


class BadFile(Exception):
    pass


def _flag(value: str, column: str, row: int) -> bool | None:
    text = value.strip().lower()
    if not text:
        return None
    if text in YES | NO:
        return text in YES
    raise BadFile("row %d: %s must be yes or no, or empty" % (row, column))


def _number(value: str, column: str, row: int) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not text.isdigit():
        raise BadFile("row %d: %s must be a number, or empty" % (row, column))
    return int(text)


def record(row: dict[str, str], number: int) -> dict[str, Any]:
    """One CSV row as the API's application."""
    found: dict[str, Any] = {
        column: (row.get(column) or "").strip() for column in TEXT_COLUMNS
    }
    found["channel"] = found["channel"] or "paper"
    found["language"] = found["language"] or "en"
    found["only_one_name"] = bool(
        _flag(row.get("only_one_name") or "", "only_one_name", number)
    )
    found["date_of_birth"] = (row.get("date_of_birth") or "").strip() or None
    found["nationalities"] = (row.get("nationalities") or "").replace(",", " ").split()
    for column in ("address_uprn", "previous_address_uprn"):
        found[column] = _number(row.get(column) or "", column, number)
    found["open_register"] = _flag(
        row.get("open_register") or "", "open_register", number
    )
    return found


def read(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    unknown = set(reader.fieldnames or ()) - set(COLUMNS)
    if not reader.fieldnames or unknown:
        raise BadFile(
            "the header row has unknown columns: %s" % ", ".join(sorted(unknown))
            if unknown
            else "the file has no header row"
        )
    return [record(row, number) for number, row in enumerate(reader, start=1)]


def batches(records: list[dict[str, Any]], text: str) -> Iterator[tuple[str, list]]:
    """(Idempotency-Key, lines) for each request."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    for start in range(0, len(records), BATCH):
        yield "%s-%d" % (digest, start // BATCH), records[start : start + BATCH]


def submit(
    client: httpx.Client, text: str, retries: int = 5, sleep=time.sleep
) -> list[dict[str, Any]]:
    """Send the file's lines; each line's result, numbered by its row (from 1)."""
    results: list[dict[str, Any]] = []
    for key, lines in batches(read(text), text):
        answer = _send(
            client,
            "POST",
            "applications",
            retries,
            sleep,
            json={"applications": lines},
            headers={"Idempotency-Key": key},
        )
        for result in answer["results"]:
            results.append(dict(result, line=len(results) + 1))
    return results


def describe(result: dict[str, Any]) -> str:
    where = "row %d" % result["line"]
    if result["council_reference"]:
        where += " (%s)" % result["council_reference"]
    if result["outcome"] == "refused":
        return "%s: refused: %s" % (
            where,
            "; ".join("%(field)s: %(message)s" % e for e in result["errors"]),
        )
    return "%s: %s %s" % (
        where,
        result["outcome"].replace("_", " "),
        result["reference"],
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ier ems-submit",
        description="Send a council's keyed applications from a CSV file.",
    )
    parser.add_argument("file", type=Path, help="CSV file, header row first")
    add_connection_arguments(parser, timeout=60.0)
    return parser


def main(args: list[str]) -> int:
    options = _parser().parse_args(args)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if not options.token:
        logger.error("give --token or set IER_EMS_TOKEN")
        return 2
    text = options.file.read_text(encoding="utf-8-sig")
    with make_client(options.url, options.token, options.timeout) as client:
        try:
            results = submit(client, text, options.retries)
        except (BadFile, PullFailed) as error:
            logger.error("%s", error)
            return 1
    for result in results:
        sys.stdout.write(describe(result) + "\n")
    refused = sum(1 for result in results if result["outcome"] == "refused")
    sys.stdout.write(
        "%d lines: %d accepted, %d already received, %d refused\n"
        % (
            len(results),
            sum(1 for r in results if r["outcome"] == "accepted"),
            sum(1 for r in results if r["outcome"] == "already_received"),
            refused,
        )
    )
    return 1 if refused else 0
