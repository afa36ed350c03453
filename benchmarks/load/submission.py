"""Submissions per second against a raw PostgreSQL insert of the same row (pgbench).

Runs the service's own `ier.registration.submission.submit` (reference, NINO
encryption, duplicate check, the application, its events and its queued verification
in one transaction) from one client for --seconds, then has pgbench insert the very
same row (copied from the database, with a fresh reference and key each time) from
one client for as long. Both on a fresh database made for the run.

Each submission is a different person (name, date of birth and NINO vary), as on a
deadline night, where nearly every application is someone's first; --same-person
sends the same person every time instead, so every submission after the first is
flagged as a possible duplicate (the dearest path). --statements then times each
round trip of a submission (milliseconds per submission) in a second run.
--ordinary-transaction writes each submission with one statement per table in a
Django transaction, as SQLite does, instead of in one round trip, for comparison.
--stricter-baselines also runs pgbench on an INSERT with the row's values written
into it (no read of the table), once as plain statements and once prepared
(`pgbench -M prepared`, which keeps those values in the prepared statement).

    python benchmarks/load/submission.py --database-url postgres://postgres@127.0.0.1:5432/ier_bench
"""

import argparse
import collections
import contextlib
import itertools
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path


def fresh_database(url: str) -> None:
    server, name = url.rsplit("/", 1)
    for sql in (
        "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name,
        "CREATE DATABASE %s" % name,
    ):
        subprocess.run(["psql", server + "/postgres", "-qc", sql], check=True)


LETTERS = "abcdefghijklmnopqrstuvwxyz"
PEOPLE = itertools.count()  # shared by every run in the process: no one comes twice


def person(number: int) -> dict:
    """A different person for each number: the match key ignores digits, so the
    name is spelt from the number in letters."""
    name = ""
    rest = number
    while True:
        rest, digit = divmod(rest, 26)
        name += LETTERS[digit]
        if not rest:
            break
    return {
        "last_name": "Example" + name,
        "date_of_birth": date(1940, 1, 1) + timedelta(days=number % 20000),
        "nino": "AB%06dC" % (number % 1000000),
    }


def service_rate(seconds: float, same_person: bool) -> float:
    from types import SimpleNamespace

    from ier.geography.models import Authority
    from ier.registration import submission

    authority = Authority.objects.filter(nation="England").first()
    values = {
        "details": {},
        "first_name": "Alex",
        "last_name": "Example",
        "date_of_birth": date(1985, 2, 14),
        "nationalities": ["british"],
        "address_line_1": "1 High Street",
        "address_town": "Exampleton",
        "address_postcode": "EX1 1AA",
        "open_register": False,
        "postal_vote": "no-in-person",
        "authority_id": authority.id,
        "nino": "AB123456C",
    }
    if same_person:
        submission.application_values = lambda journey, ctx: dict(values)
    else:
        submission.application_values = lambda journey, ctx: {
            **values,
            **person(next(PEOPLE)),
        }
    journey = SimpleNamespace(kind="ordinary")
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        submission.submit(journey, None, uuid.uuid4().hex)
        done += 1
    return done / (time.perf_counter() - started)


def statement_times(seconds: float, same_person: bool) -> str:
    """Milliseconds per submission spent in each round trip (sending it and waiting
    for PostgreSQL), from a separate run, so the timing does not slow the rate. A
    psycopg pipeline is one round trip, named by its statements."""
    import psycopg
    from django.db import connection

    spent: collections.Counter[str] = collections.Counter()
    pipelined: list[list[str]] = []
    pipeline = psycopg.Connection.pipeline

    def name(sql: str) -> str:
        return " ".join(sql.split()[:3])[:40]

    @contextlib.contextmanager
    def timed_pipeline(self, *args, **kwargs):
        pipelined.append([])
        started = time.perf_counter()
        try:
            with pipeline(self, *args, **kwargs) as opened:
                yield opened
        finally:
            statements = pipelined.pop()
            spent["pipeline: " + " + ".join(statements)] += (
                time.perf_counter() - started
            )

    def timed(execute, sql, params, many, context):
        if pipelined:
            pipelined[-1].append(name(sql))
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[name(sql)] += time.perf_counter() - started

    commit = psycopg.Connection.commit

    def timed_commit(self):
        started = time.perf_counter()
        commit(self)
        spent["COMMIT"] += time.perf_counter() - started

    psycopg.Connection.pipeline = timed_pipeline  # type: ignore[method-assign,assignment]
    psycopg.Connection.commit = timed_commit  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            rate = service_rate(seconds, same_person)
            wall = time.perf_counter() - started
    finally:
        psycopg.Connection.pipeline = pipeline  # type: ignore[method-assign]
        psycopg.Connection.commit = commit  # type: ignore[method-assign]
    done = rate * wall
    lines = [
        "%.3f ms  %s" % (1000 * t / done, sql)
        for sql, t in spent.items()
        if t / done > 0.000_001
    ]
    lines.append(
        "%.3f ms in round trips of %.3f ms per submission"
        % (1000 * sum(spent.values()) / done, 1000 * wall / done)
    )
    return "\n".join(lines) + "\n"


FRESH = {
    "reference": "upper(substr(md5(random()::text), 1, 10))",
    "idempotency_key": "md5(random()::text)",
}


def psql_value(url: str, query: str) -> str:
    return subprocess.run(
        ["psql", url, "-Atc", query], capture_output=True, text=True, check=True
    ).stdout.strip()


def application_columns(url: str) -> list[str]:
    return psql_value(
        url,
        "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
        "information_schema.columns WHERE table_name = 'registration_application' "
        "AND column_name <> 'id'",
    ).split(",")


def insert_script(url: str) -> str:
    """The INSERT pgbench runs: the last stored row, with a new reference and key."""
    columns = application_columns(url)
    select = ",".join(FRESH.get(c, c) for c in columns)
    return (
        "INSERT INTO registration_application (%s) SELECT %s FROM "
        "registration_application ORDER BY id DESC LIMIT 1;\n"
        % (",".join(columns), select)
    )


def values_script(url: str) -> str:
    """A stricter baseline: the last stored row's values written into the INSERT
    (nothing read back from the table), with a new reference and key."""
    columns = application_columns(url)
    quoted = psql_value(
        url,
        "SELECT concat_ws(chr(31), %s) FROM registration_application "
        "ORDER BY id DESC LIMIT 1"
        % ", ".join("quote_nullable(%s::text)" % c for c in columns),
    ).split(chr(31))
    values = [FRESH.get(c, v) for c, v in zip(columns, quoted, strict=True)]
    return "INSERT INTO registration_application (%s) VALUES (%s);\n" % (
        ",".join(columns),
        ",".join(values),
    )


def pgbench_rate(url: str, seconds: int, text: str, mode: str = "simple") -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(text)
    out = subprocess.run(
        [
            "pgbench",
            "-n",
            "-M",
            mode,
            "-c",
            "1",
            "-T",
            str(seconds),
            "-f",
            script.name,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("tps"))
    return float(line.split("=")[1].split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--same-person",
        action="store_true",
        help="submit the same person every time (all but the first are duplicates)",
    )
    parser.add_argument(
        "--ordinary-transaction",
        action="store_true",
        help="write with one statement per table, not in one round trip",
    )
    parser.add_argument(
        "--stricter-baselines",
        action="store_true",
        help="also compare with pgbench inserting the row's values, plain and prepared",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="then time each round trip of a submission, in a separate run",
    )
    args = parser.parse_args()
    fresh_database(args.database_url)
    os.environ.update(
        DATABASE_URL=args.database_url,
        IER_MODE="demo",
        IER_VAR_DIR=tempfile.mkdtemp(prefix="ier-bench-"),
        DJANGO_SETTINGS_MODULE="ier.config.settings.demo",
        IER_LOG_LEVEL="ERROR",
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from ier.geography.importers import (
        default_authorities_file,
        default_scotland_file,
        import_authorities,
    )

    import_authorities(default_authorities_file(), default_scotland_file())
    if args.ordinary_transaction:
        from ier.core import inserts

        inserts.gathering = lambda model: False
    service = service_rate(args.seconds, args.same_person)
    if args.statements:
        sys.stdout.write(statement_times(args.seconds, args.same_person))
    from django.db import connections

    connections.close_all()
    url = args.database_url
    raw = pgbench_rate(url, args.seconds, insert_script(url))
    sys.stdout.write(
        "submit() (%s%s): %.0f applications/s (1 client); raw INSERT of the same "
        "row (pgbench, 1 client): %.0f/s; ratio %.0f%%\n"
        % (
            "same person" if args.same_person else "different people",
            ", ordinary transaction" if args.ordinary_transaction else "",
            service,
            raw,
            100 * service / raw,
        )
    )
    if args.stricter_baselines:
        script = values_script(url)
        for mode in ("simple", "prepared"):
            rate = pgbench_rate(url, args.seconds, script, mode)
            sys.stdout.write(
                "  against the row's values written into the INSERT (pgbench -M %s):"
                " %.0f/s; ratio %.0f%%\n" % (mode, rate, 100 * service / rate)
            )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    main()
