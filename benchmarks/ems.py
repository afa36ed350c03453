"""EMS hand-over throughput: applications per second through list + acknowledge.

Starts the real web tier (`ier serve`: gunicorn, the whole Django stack, the token
check, the shipped rate limit of IER_EMS_API_REQUESTS_PER_MINUTE per token, counted
in Redis as in production) on a loopback port, fills the database with applications
ready to download, then runs the reference client (`ier.api.client.pull`: list a
page, keep each application, acknowledge the page, until none are left; a 429 is
waited out as its Retry-After says) over HTTP, once at the client's default page
size and once at 1,000 (`--batches`), each with its own council and token. The
server's CPU is read from /proc for the gunicorn processes, so the client's is not
counted. Afterwards each run is checked: every application received once, handed
over once (one `downloaded` event each), nothing else; the benchmark exits non-zero
otherwise.

    IER_MODE=test .venv/bin/python benchmarks/ems.py --applications 20000
    IER_MODE=test .venv/bin/python benchmarks/ems.py --applications 20000 \
        --database-url postgres://postgres@127.0.0.1:5432/ier_bench_ems [--verified]

With `--submit` it measures the other direction instead (benchmarks/ems_submit.py):
paper applications of different people sent through HTTP in batches (of 500 by
default, `--batches`) to `POST /api/v1/applications` by `--senders` clients at once,
each checked afterwards as stored once and as sent:

    IER_MODE=test .venv/bin/python benchmarks/ems.py --submit --applications 20000 \
        --database-url postgres://postgres@127.0.0.1:5432/ier_bench_ems

With --database-url (PostgreSQL) that database is dropped and created again;
without it a new SQLite file is used. `--verified` gives each application its
verification record first, as the verification worker does in production, so every
item carries its checks and the reasons worded from them.
"""

import argparse
import inspect
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from journey import cpu_seconds, process_tree, serve, stop
from verify import recreate_postgres

GREEN_CHECKS = [
    {"check": "nino", "outcome": "found"},
    {"check": "date_of_birth", "outcome": "match"},
    {"check": "first_name", "outcome": "exact"},
    {"check": "last_name", "outcome": "exact"},
]


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=20000)
    parser.add_argument(
        "--batches",
        type=int,
        nargs="+",
        help="page sizes (default: the reference client's default, and 1000)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--submit",
        action="store_true",
        help="send paper applications in batches instead of pulling",
    )
    parser.add_argument(
        "--senders", type=int, default=2, help="clients sending at once (--submit)"
    )
    parser.add_argument(
        "--verified",
        action="store_true",
        help="give each application its verification record (checks and reasons "
        "in every item), as the verification worker does in production",
    )
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL (default: SQLite)"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    return parser.parse_args()


def _environment(options, var: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "IER_MODE": "demo",
        "IER_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.demo",
        "IER_REDIS_URL": options.redis_url,
        "IER_LOG_LEVEL": "WARNING",
    }
    env.pop("IER_EMS_API_REQUESTS_PER_MINUTE", None)  # the shipped limit
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def _fill(count: int, gss_code: str, verified: bool) -> tuple[set[str], str]:
    """`count` applications ready to download, for a council of their own; their
    references and a token of that council."""
    from django.db import transaction

    from ier.api import tokens
    from ier.core import crypto
    from ier.geography.models import Authority
    from ier.registration.models import Application, Status
    from ier.verification.models import Verification

    authority = Authority.objects.create(
        gss_code=gss_code, name="Benchmark Council %s" % gss_code, nation="England"
    )
    nino = crypto.encrypt("QQ123456C")
    references = {"%s%06d" % (gss_code[-4:], i) for i in range(count)}
    with transaction.atomic():
        made = Application.objects.bulk_create(
            (
                Application(
                    reference=reference,
                    idempotency_key="bench-%s" % reference,
                    journey="ordinary",
                    status=Status.VERIFIED,
                    authority=authority,
                    first_name="Ann",
                    last_name="Example%d" % i,
                    date_of_birth=date(1980, 1, 1 + i % 28),
                    nino_encrypted=nino,
                    nino_hash="h%s" % reference,
                    nationalities=["GB"],
                    address_line_1="%d Example Street" % i,
                    address_postcode="ZZ9 9ZZ",
                    email="a%d@example.com" % i,
                )
                for i, reference in enumerate(sorted(references))
            ),
            batch_size=2000,
        )
        if verified:
            Verification.objects.bulk_create(
                (
                    Verification(
                        application_id=application.pk,
                        result="verified",
                        checks=GREEN_CHECKS,
                        worker="b",
                    )
                    for application in made
                ),
                batch_size=2000,
            )
    return references, tokens.create_token(authority, "benchmark")[1]


def _handed_over(gss_code: str) -> int:
    from ier.registration.models import ApplicationEvent

    return ApplicationEvent.objects.filter(
        event="downloaded", application__authority__gss_code=gss_code
    ).count()


def _hand_over(base: str, pids: list[int], run: tuple, workers: int):
    """Pull one council's applications through the server: a line for the report,
    and what is wrong with the hand-over."""
    from django.conf import settings

    from ier.api.client import make_client, pull

    batch, gss_code, references, secret = run
    received: list[str] = []
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    load = os.getloadavg()[0]
    with make_client(base + "/api/v1", secret, 120) as client:
        for _ in range(2 * workers):  # load each worker's code
            client.get("counts").raise_for_status()
            client.get("applications", params={"limit": 1}).raise_for_status()
        cpu_before = cpu_seconds(pids)
        started = time.perf_counter()
        result = pull(
            client,
            None,
            batch,
            sleep=wait,
            keep=lambda a: received.append(a["reference"]),
        )
        elapsed = time.perf_counter() - started
        server_cpu = cpu_seconds(pids) - cpu_before
    handed = _handed_over(gss_code)
    wrong = []
    if len(received) != len(set(received)):
        wrong.append("%d received twice" % (len(received) - len(set(received))))
    if set(received) != references:
        wrong.append(
            "%d not received, %d received that were not sent"
            % (len(references - set(received)), len(set(received) - references))
        )
    if handed != len(references) or result["saved"] != len(references):
        wrong.append(
            "%d handed over, %d saved, of %d"
            % (handed, result["saved"], len(references))
        )
    limit = settings.EMS_API_REQUESTS_PER_MINUTE
    line = (
        "%d applications in %.2f s = %.0f a second (server CPU %.0f µs an "
        "application, %.0f a CPU-second; load %.1f); %d waits for the rate limit "
        "(%.0f s); the shipped limit (%d requests a minute per token) allows at most "
        "%.0f a second at this page size; exactly once: %s"
        % (
            len(references),
            elapsed,
            len(references) / elapsed,
            server_cpu / len(references) * 1e6,
            len(references) / server_cpu if server_cpu else 0,
            load,
            len(waits),
            sum(waits),
            limit,
            limit / 60 / 2 * batch,  # two requests a page
            "no" if wrong else "yes",
        )
    )
    return line, wrong


def main() -> int:
    options = _parse()
    var = Path(tempfile.mkdtemp(prefix="ier-bench-ems-"))
    env = _environment(options, var)
    if options.database_url:
        recreate_postgres(options.database_url)
    os.environ.update(env)
    if not options.database_url:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from ier.api.client import pull

    call_command("migrate", verbosity=0)
    if options.submit:
        return _submit(options, env, var)
    default_batch = inspect.signature(pull).parameters["batch"].default
    batches = options.batches or [default_batch, 1000]
    runs = []
    for n, batch in enumerate(batches):
        gss_code = "E9%07d" % (9000 + n)
        references, secret = _fill(options.applications, gss_code, options.verified)
        runs.append((batch, gss_code, references, secret))
    connections.close_all()

    server, base = serve(env, var, options.workers)
    engine = "PostgreSQL" if options.database_url else "SQLite"
    problems = []
    try:
        pids = process_tree(server.pid)
        for run in runs:
            line, wrong = _hand_over(base, pids, run, options.workers)
            sys.stdout.write(
                "%s, page size %d%s: %s\n"
                % (
                    engine,
                    run[0],
                    " (reference client's default)" if run[0] == default_batch else "",
                    line,
                )
            )
            problems += ["page size %d: %s" % (run[0], w) for w in wrong]
    finally:
        stop(server)
    if problems:
        sys.stdout.write("CHECK FAILED:\n" + "".join("  %s\n" % p for p in problems))
    return 1 if problems else 0


def _submit(options, env: dict[str, str], var: Path) -> int:
    import ems_submit
    from django.db import connections

    people, secret = ems_submit.fill(options.applications, "E99009999")
    connections.close_all()
    server, base = serve(env, var, options.workers)
    engine = "PostgreSQL" if options.database_url else "SQLite"
    try:
        pids = process_tree(server.pid)
        # The people are sent once: one batch size a run.
        batch = (options.batches or [500])[0]
        line, problems = ems_submit.run(
            base, secret, people, batch, options.senders, pids, engine
        )
        sys.stdout.write(line + "\n")
    finally:
        stop(server)
    if problems:
        sys.stdout.write("CHECK FAILED:\n" + "".join("  %s\n" % p for p in problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
