"""Submissions per second against a raw PostgreSQL insert of the same row (pgbench).

Runs the service's own `ier.citizen.submission.submit` from one client for
--seconds, the whole of it, as the "check your answers" page calls it: the answers
read from the journey's forms, the chosen address and its council read, the
reference, NINO encryption, the duplicate check, the application, its events and
its queued verification in one transaction. Each submission's answers are those of
a different person at a different address of the synthetic country seeded into the
database (benchmarks/people.py); as in the page, the answers are validated just
before `submit()` and that validation is not timed. Then pgbench inserts the very
same application row (copied from the database, with a fresh reference and key each
time) from one client for as long, three ways, reported strictest (fastest, as
measured) first: the row's values written into the INSERT and prepared (`pgbench -M
prepared`, which keeps those values in the prepared statement: each call only
executes and commits), the same unprepared, and `INSERT ... SELECT` of the last row
(the first baseline).

Every submission is then checked: stored once, as sent, with its one "submitted"
event, and flagged as a possible duplicate only when it is one; the benchmark exits
non-zero if any is wrong, missing or doubled.

--same-person sends the same person every time instead, so every submission after
the first is flagged as a possible duplicate (the dearest path). --statements then
times each round trip of a submission (milliseconds per submission) in a second run.
--ordinary-transaction writes each submission with one statement per table in a
Django transaction, as SQLite does, instead of in one round trip, for comparison.

    python benchmarks/load/submission.py --database-url postgres://postgres@127.0.0.1:5432/ier_bench
"""

import argparse
import collections
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import journey
import people


def fresh_database(url: str) -> None:
    server, name = url.rsplit("/", 1)
    for sql in (
        "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name,
        "CREATE DATABASE %s" % name,
    ):
        subprocess.run(["psql", server + "/postgres", "-qc", sql], check=True)


#: Made-up people to submit: more than a run can get through.
CROWD = 20_000
SENT: dict[str, people.Person] = {}


def stored_answers(person: people.Person) -> dict:
    """The answers cookie of a person who has answered every page, as the pages
    store them (`raw_answers`)."""
    from ier.citizen.journey import Context, raw_answers, to_querydict
    from ier.citizen.ordinary import ORDINARY

    applicant = journey.Applicant.__new__(journey.Applicant)
    applicant.person = person
    answers = {}
    for slug, posted in applicant.answers().items():
        form = ORDINARY.step(slug).form_class(ctx=Context(answers))
        answers[slug] = raw_answers(form, to_querydict(posted))
    return answers


def service_rate(seconds: float, crowd: list[people.Person]) -> tuple[int, float]:
    """Submissions made, and seconds spent in `submit()`, until --seconds of it."""
    from django.utils import translation

    from ier.citizen import submission
    from ier.citizen.journey import Context
    from ier.citizen.ordinary import ORDINARY

    translation.activate("en")
    done, spent = 0, 0.0
    while spent < seconds and len(SENT) < len(crowd):
        person = crowd[len(SENT)]
        ctx = Context(stored_answers(person))
        for step in ORDINARY.answered_steps(ctx):
            ctx.form(step)  # as "check your answers" does before sending
        started = time.perf_counter()
        application = submission.submit(ORDINARY, ctx, uuid.uuid4().hex)
        spent += time.perf_counter() - started
        SENT[application.reference] = person
        done += 1
    return done, spent


def statement_times(seconds: float, crowd: list[people.Person]) -> str:
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
            done, wall = service_rate(seconds, crowd)
    finally:
        psycopg.Connection.pipeline = pipeline  # type: ignore[method-assign]
        psycopg.Connection.commit = commit  # type: ignore[method-assign]
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


def check(same_person: bool) -> list[str]:
    """Every submission stored once, as sent, with one "submitted" event each, and
    flagged as a possible duplicate exactly when it is one."""
    from ier.registration.models import Application, ApplicationEvent

    problems = people.check_stored(SENT, same_person)
    events = ApplicationEvent.objects.filter(event="submitted").count()
    if events != len(SENT):
        problems.append("%d submitted events for %d applications" % (events, len(SENT)))
    if same_person:
        flagged = Application.objects.filter(possible_duplicate=True).count()
        if flagged != len(SENT) - 1:
            problems.append(
                "%d of %d submissions of one person flagged as duplicates"
                % (flagged, len(SENT))
            )
    return problems


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


def main() -> int:
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
    from ier.geography.seeding import seed_country

    import_authorities(default_authorities_file(), default_scotland_file())
    seed_country(people.SEED, 4)
    crowd = people.applicants(people.english_addresses(), CROWD)
    if args.same_person:
        crowd = crowd[:1] * CROWD
    if args.ordinary_transaction:
        from ier.core import inserts

        inserts.gathering = lambda model: False
    done, spent = service_rate(args.seconds, crowd)
    service = done / spent
    if args.statements:
        sys.stdout.write(statement_times(args.seconds, crowd))
    problems = check(args.same_person)
    from django.db import connections

    connections.close_all()
    url = args.database_url
    baselines = [
        (
            "the row's values in a prepared INSERT (pgbench -M prepared)",
            values_script(url),
            "prepared",
        ),
        ("the row's values in the INSERT (pgbench)", values_script(url), "simple"),
        ("INSERT ... SELECT of the last row (pgbench)", insert_script(url), "simple"),
    ]
    sys.stdout.write(
        "submit() (%s%s, load average %.2f): %.0f applications/s (1 client, %d"
        " submissions)\n"
        % (
            "same person" if args.same_person else "different people",
            ", ordinary transaction" if args.ordinary_transaction else "",
            os.getloadavg()[0],
            service,
            len(SENT),
        )
    )
    rates = [
        (pgbench_rate(url, args.seconds, script, mode), name)
        for name, script, mode in baselines
    ]
    for rate, name in sorted(rates, reverse=True):  # the strictest as measured first
        sys.stdout.write(
            "  against %s: %.0f/s; ratio %.0f%%\n" % (name, rate, 100 * service / rate)
        )
    sys.stdout.write(
        "check: %d applications stored once each, as sent\n" % len(SENT)
        if not problems
        else "CHECK FAILED:\n" + "".join("  %s\n" % p for p in problems)
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
