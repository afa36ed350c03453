"""EMS hand-over throughput: applications per second through list + acknowledge.

Runs the reference client (`ier.api.client.pull`) against the whole Django stack
(middleware, token check, rate limit, audit, JSON) in this process, over a WSGI
transport, on a fresh database filled with ready-to-download applications. Then
checks that every application was handed over exactly once.

    IER_MODE=test .venv/bin/python benchmarks/ems.py --applications 20000 --batch 500
    IER_MODE=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/ier_bench \
        .venv/bin/python benchmarks/ems.py --applications 20000 --batch 500
"""

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--files",
        action="store_true",
        help="also write each application to a JSON file, as ier ems-pull does",
    )
    parser.add_argument(
        "--verified",
        action="store_true",
        help="give each application its verification record (checks and reasons "
        "in every item), as the verification worker does in production",
    )
    parser.add_argument(
        "--database",
        default=os.environ.get("DATABASE_URL", ""),
        help="database URL (default: a new SQLite file)",
    )
    return parser.parse_args()


def _setup(database: str, workdir: Path) -> None:
    os.environ["IER_MODE"] = "test"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ier.config.settings.test"
    os.environ["DATABASE_URL"] = database or "sqlite:///%s" % (
        workdir / "bench.sqlite3"
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0) if database else None
    call_command("migrate", verbosity=0)


def _fill(count: int):
    from datetime import date

    from django.db import transaction

    from ier.api import tokens
    from ier.core import crypto
    from ier.geography.models import Authority
    from ier.registration.models import Application, Status

    authority = Authority.objects.create(
        gss_code="E99999999", name="Benchmark Council", nation="England"
    )
    nino = crypto.encrypt("QQ123456C")
    with transaction.atomic():
        Application.objects.bulk_create(
            (
                Application(
                    reference="B%09d" % i,
                    idempotency_key="bench-%d" % i,
                    journey="ordinary",
                    status=Status.VERIFIED,
                    authority=authority,
                    first_name="Ann",
                    last_name="Example%d" % i,
                    date_of_birth=date(1980, 1, 1 + i % 28),
                    nino_encrypted=nino,
                    nino_hash="h%d" % i,
                    nationalities=["GB"],
                    address_line_1="%d Example Street" % i,
                    address_postcode="ZZ9 9ZZ",
                    email="a%d@example.com" % i,
                )
                for i in range(count)
            ),
            batch_size=2000,
        )
    return authority, tokens.create_token(authority, "benchmark")[1]


GREEN_CHECKS = [
    {"check": "nino", "outcome": "found"},
    {"check": "date_of_birth", "outcome": "match"},
    {"check": "first_name", "outcome": "exact"},
    {"check": "last_name", "outcome": "exact"},
]


def _verify_all() -> None:
    """One verification record per application, as the worker writes them."""
    from django.db import transaction

    from ier.registration.models import Application
    from ier.verification.models import Verification

    with transaction.atomic():
        Verification.objects.bulk_create(
            (
                Verification(
                    application_id=pk,
                    result="verified",
                    checks=GREEN_CHECKS,
                    worker="b",
                )
                for pk in Application.objects.values_list("pk", flat=True).iterator()
            ),
            batch_size=2000,
        )


def main() -> int:
    options = _parse()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        _setup(options.database, workdir)
        import httpx
        from django.core.wsgi import get_wsgi_application
        from django.test import override_settings

        from ier.api.client import make_client, pull
        from ier.registration.models import ApplicationEvent

        _authority, secret = _fill(options.applications)
        if options.verified:
            _verify_all()
        transport = httpx.WSGITransport(app=get_wsgi_application())
        with (
            override_settings(EMS_API_REQUESTS_PER_MINUTE=10**9),
            make_client("http://127.0.0.1/api/v1", secret, 60, transport) as client,
        ):
            client.get("counts").raise_for_status()  # load the URLconf before timing
            received: list[str] = []
            keep = (
                None if options.files else (lambda a: received.append(a["reference"]))
            )
            started, cpu_started = time.perf_counter(), time.process_time()
            if os.environ.get("IER_BENCH_PROFILE"):
                import cProfile

                profile = cProfile.Profile()
                result = profile.runcall(
                    pull, client, workdir / "out", options.batch, keep=keep
                )
                profile.dump_stats(os.environ["IER_BENCH_PROFILE"])
            else:
                result = pull(client, workdir / "out", options.batch, keep=keep)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        handed = ApplicationEvent.objects.filter(event="downloaded").count()
        exact = handed == options.applications == result["saved"]
        engine = "PostgreSQL" if options.database.startswith("postgres") else "SQLite"
        sys.stdout.write(
            "%s: %d applications handed over in %.2f s = %.0f per second "
            "(%.0f per CPU-second of this process, client and server together; "
            "batch %d, list + %s + acknowledge%s); exactly once: %s\n"
            % (
                engine,
                options.applications,
                elapsed,
                options.applications / elapsed,
                options.applications / cpu,
                options.batch,
                "a JSON file each" if options.files else "kept in memory",
                ", with verification records" if options.verified else "",
                "yes" if exact else "NO",
            )
        )
        return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
