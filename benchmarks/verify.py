"""Verifications per second, end to end: `ier worker` process(es) claiming batches,
the `ier identity-service` process answering them, and the database in between.

    IER_MODE=test .venv/bin/python benchmarks/verify.py [--applications 20000]
        [--workers 1] [--batch-size 500] [--identity-delay-ms 50]
        [--database-url postgres://.../ier_bench_verify]

A backlog of submitted applications (with their queued tasks, the rows a submission
writes) is loaded first, made from the synthetic applicants so the results can be
checked against the truth; then the identity service and the workers are started and
timed until the backlog is gone. Every process runs in demo mode with its own var/
directory under a temporary directory, so they share the keys that encrypt NINOs.
With --database-url (PostgreSQL) that database is dropped and created again.
--identity-delay-ms makes the identity service wait that long before answering each
call (one call a batch), as a real one across a network would.

Each application also has the duplicate check its submission wrote (its match key,
nothing found), and one in every REPEAT_EVERY is the same person sending the same
application again at the same moment (from a second browser), so the workers' second
look for duplicates has pairs to flag.

Afterwards every application's verification is checked against the result its
synthetic applicant was designed to get, and the possible duplicates against the
applications that share a person and an address: the benchmark exits non-zero if a
verification is missing, doubled or has another result, or if a duplicate is not
flagged, flagged twice or flagged wrongly. The rate counts the applications actually
verified."""

import argparse
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
RECORD_DAY = 659_666


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--identity-workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL (default: SQLite)"
    )
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument(
        "--identity-delay-ms",
        type=int,
        default=0,
        help="the identity service's wait before each answer (one a batch)",
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute('DROP DATABASE IF EXISTS "%s"' % name)
        connection.execute('CREATE DATABASE "%s"' % name)


def environment(var_dir: Path, database_url: str, identity_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "IER_MODE": "demo",
        "IER_VAR_DIR": str(var_dir),
        "IER_IDENTITY_SERVICE_URL": identity_url,
        "IER_LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ier.config.settings.demo"
    import django

    django.setup()


REPEAT_EVERY = 50


def load_backlog(count: int, seed: int) -> tuple[dict[int, str], int, dict[int, str]]:
    """Applications, their duplicate checks and their tasks, in bulk; returns the
    expected result per application id, the population size the identity service
    needs, and the reference of the earlier application each later one of the same
    person at the same address should be flagged against."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult, get_date_max

    from ier.geography.importers import (
        default_authorities_file,
        default_scotland_file,
        import_authorities,
    )
    from ier.geography.models import Address
    from ier.geography.seeding import seed_country
    from ier.identity.synthetic import make_applicants, make_population
    from ier.registration.models import Application
    from ier.verification.duplicates import application_key
    from ier.verification.models import DuplicateCheck
    from ier.verification.synthetic import application_for
    from ier.verification.tasks import QUEUE, verify_application

    call_command("migrate", verbosity=0)
    import_authorities(default_authorities_file(), default_scotland_file())
    seed_country(seed, 1)
    addresses = list(Address.objects.filter(synthetic=True).order_by("uprn")[:500])
    people = make_population(max(100, count * 9 // 10), seed)
    cases = make_applicants(people, seed)
    expected: dict[int, str] = {}
    first_of: dict[tuple[int, str], str] = {}
    twins: dict[int, str] = {}
    for start in range(0, count, 2000):
        sent = [
            i - 1 if i % REPEAT_EVERY == REPEAT_EVERY - 1 else i
            for i in range(start, min(count, start + 2000))
        ]
        chunk = [cases[i % len(cases)] for i in sent]
        made = Application.objects.bulk_create(
            [
                application_for(case, addresses[i % len(addresses)])
                for i, case in zip(sent, chunk, strict=True)
            ]
        )
        keys = {app.pk: application_key(app) for app in made}
        DuplicateCheck.objects.bulk_create(
            [
                DuplicateCheck(
                    application=app,
                    authority_id=app.authority_id,
                    match_key=keys[app.pk],
                )
                for app in made
            ]
        )
        for app in made:
            if keys[app.pk]:
                person = (app.authority_id, keys[app.pk])
                if person in first_of:
                    twins[app.pk] = first_of[person]
                else:
                    first_of[person] = app.reference
        DBTaskResult.objects.bulk_create(
            [
                DBTaskResult(
                    id=uuid.uuid4(),
                    task_path=verify_application.module_path,
                    queue_name=QUEUE,
                    backend_name="default",
                    run_after=get_date_max(),
                    priority=0,
                    args_kwargs={
                        "args": [],
                        "kwargs": {"application_id": app.pk, "attempt": 1},
                    },
                )
                for app in made
            ]
        )
        expected.update(
            {app.pk: case.expected for app, case in zip(made, chunk, strict=True)}
        )
    return expected, len(people), twins


def start(arguments: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "ier.cli", *arguments],
            env=env,
            stdout=handle,
            stderr=handle,
            start_new_session=True,
        )


def wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    import httpx

    for _ in range(1200):
        if process.poll() is not None:
            raise SystemExit("identity service stopped:\n" + log.read_text()[-2000:])
        try:
            if httpx.get(url + "/v1/health", timeout=0.5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("identity service did not start")


def children_cpu_seconds() -> float:
    """CPU used by the worker(s) and the identity service, start-up included (the
    database server's own CPU is not counted; SQLite's is, inside the processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def check(expected: dict[int, str]) -> tuple[int, list[str]]:
    """How many applications were verified, and what is wrong: an application not
    verified, verified more than once, with a result other than the one its
    applicant was designed to get, or a verification of an application not in the
    backlog."""
    from collections import defaultdict

    from ier.verification.models import Verification

    results: dict[int, list[str]] = defaultdict(list)
    for application_id, result in Verification.objects.values_list(
        "application_id", "result"
    ):
        results[application_id].append(result)
    missing = [pk for pk in expected if pk not in results]
    doubled = [pk for pk, found in results.items() if len(found) > 1]
    stray = [pk for pk in results if pk not in expected]
    wrong = Counter(
        "%s as %s" % (expected[pk], found[0])
        for pk, found in results.items()
        if pk in expected and found[0] != expected[pk]
    )
    problems = []
    if missing:
        problems.append("%d applications not verified" % len(missing))
    if doubled:
        problems.append("%d applications verified more than once" % len(doubled))
    if stray:
        problems.append("%d verifications of applications not sent" % len(stray))
    if wrong:
        problems.append(
            "%d results not as designed: %s" % (sum(wrong.values()), dict(wrong))
        )
    return len(set(results) & set(expected)), problems


def check_duplicates(twins: dict[int, str]) -> list[str]:
    """What is wrong with the possible duplicates: one not flagged, flagged without
    being one, flagged more than once, or pointing at the wrong application."""
    from ier.registration.models import Application, ApplicationEvent

    flagged = set(
        Application.objects.filter(possible_duplicate=True).values_list("pk", flat=True)
    )
    events = Counter(
        ApplicationEvent.objects.filter(event="possible_duplicate").values_list(
            "application_id", flat=True
        )
    )
    pointing = {
        pk: detail["pending_applications"][:1]
        for pk, detail in ApplicationEvent.objects.filter(
            event="possible_duplicate"
        ).values_list("application_id", "detail")
    }
    problems = []
    if set(twins) - flagged:
        problems.append("%d duplicates not flagged" % len(set(twins) - flagged))
    if flagged - set(twins):
        problems.append("%d flagged that are none" % len(flagged - set(twins)))
    if any(n != 1 for n in events.values()) or set(events) != flagged:
        problems.append("duplicates flagged with other than one event each")
    if any(pointing.get(pk) != [ref] for pk, ref in twins.items() if pk in flagged):
        problems.append("duplicates not pointing at their earlier application")
    return problems


def report(
    args,
    expected: dict[int, str],
    twins: dict[int, str],
    wall_seconds: float,
    cpu: float,
) -> int:
    from django.db.models import Max, Min

    from ier.registration.models import ApplicationEvent
    from ier.verification.models import Verification

    verified, problems = check(expected)
    duplicate_problems = check_duplicates(twins)
    problems += duplicate_problems
    # From the first claim to the last result written.
    first = ApplicationEvent.objects.filter(event="verifying").aggregate(at=Min("at"))
    last = Verification.objects.aggregate(at=Max("checked_at"))
    busy = (
        (last["at"] - first["at"]).total_seconds() if first["at"] and last["at"] else 0
    )
    rate = verified / busy if busy else 0.0
    print("database:           %s" % ("PostgreSQL" if args.database_url else "SQLite"))
    print(
        "applications:       %d (batch %d, %d worker(s), %d identity worker(s),"
        " identity service delay %d ms a call)"
        % (
            len(expected),
            args.batch_size,
            args.workers,
            args.identity_workers,
            args.identity_delay_ms,
        )
    )
    print(
        "verified:           %d, each once, as designed: %s" % (verified, not problems)
    )
    print(
        "second look:        %d later applications of one person, each flagged once,"
        " against the earlier: %s" % (len(twins), not duplicate_problems)
    )
    print("first claim to last:%.1f s -> %.0f verifications/s" % (busy, rate))
    print(
        "wall clock:         %.1f s including process start-up -> %.0f/s"
        % (wall_seconds, verified / wall_seconds)
    )
    print(
        "CPU of the processes: %.1f s -> %.0f µs per application, %.0f/s per busy core"
        % (cpu, cpu / max(1, verified) * 1e6, verified / cpu if cpu else 0)
    )
    if rate:
        print(
            "record day (%d):    %.1f minutes at this rate"
            % (RECORD_DAY, RECORD_DAY / rate / 60)
        )
    print("load average:       %.2f %.2f %.2f" % os.getloadavg())
    if problems:
        print("CHECK FAILED:\n" + "".join("  %s\n" % p for p in problems), end="")
    return 1 if problems else 0


def main() -> int:
    args = parse_args()
    if args.database_url:
        recreate_postgres(args.database_url)
    with tempfile.TemporaryDirectory(prefix="ier-bench-verify-") as tmp:
        var_dir = Path(tmp)
        identity_url = "http://127.0.0.1:%d" % free_port()
        env = environment(var_dir, args.database_url, identity_url)
        setup_django(env)
        print("loading %d applications..." % args.applications, flush=True)
        expected, people, twins = load_backlog(args.applications, args.seed)
        from django.db import connections

        from ier.identity.seeding import ensure_population

        ensure_population(people, args.seed)  # here, so its CPU is not counted below

        connections.close_all()
        identity_log = var_dir / "identity.log"
        identity = start(
            [
                "identity-service",
                "--workers",
                str(args.identity_workers),
                "--people",
                str(people),
                "--seed",
                str(args.seed),
                "--delay-ms",
                str(args.identity_delay_ms),
            ],
            env,
            identity_log,
        )
        processes = [identity]
        try:
            wait_healthy(identity_url, identity, identity_log)
            began = time.monotonic()
            workers = [
                start(
                    [
                        "worker",
                        "--until-idle",
                        "--verification-only",
                        "--poll",
                        "0.05",
                        "--batch-size",
                        str(args.batch_size),
                        "--worker-id",
                        "bench-%d" % n,
                    ],
                    env,
                    var_dir / ("worker-%d.log" % n),
                )
                for n in range(args.workers)
            ]
            processes += workers
            for worker in workers:
                worker.wait()
            wall = time.monotonic() - began
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, 15)
                    process.wait()
        return report(args, expected, twins, wall, children_cpu_seconds())


if __name__ == "__main__":
    sys.exit(main())
