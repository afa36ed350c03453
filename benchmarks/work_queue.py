"""The officers' work queue: the first page (50 rows and the count, as the portal
asks for them) of 20,000 open applications in one council, with a council-wide
poll and a by-election in one of the council's wards.

The applications' postcodes are spread over two wards of the postcode directory
(and a tenth of them have no division data), so the queue's deadline has to be
matched to the ward. The figure is the CPU time of the PostgreSQL backend that
answers (read from /proc, so other helpers' load moves it less than wall time),
per first page, the mean over `--repeats` pages after two warm-up pages; the
wall time is printed beside it.

    IER_MODE=test .venv/bin/python benchmarks/work_queue.py --setup \\
        --database-url postgres://postgres@127.0.0.1:5432/ier_bench_queue
    IER_MODE=test .venv/bin/python benchmarks/work_queue.py \\
        --database-url postgres://postgres@127.0.0.1:5432/ier_bench_queue

`--setup` drops and creates the database and fills it (`--ward-polls 30`: the
ward's poll is one of 30 on that day, each in its own ward, the others in wards
no application is in); without it the pages are
read from what is there, so the same data can be read by two versions of the code
(run the second with PYTHONPATH=<the other checkout>/src). The run checks that the
page is in the queue's order: applications the ward poll covers first.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from verify import recreate_postgres

WARD, OTHER_WARD = "E05900001", "E05900002"
PAGE = 50


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL")
    parser.add_argument("--applications", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--setup", action="store_true", help="fill a new database")
    parser.add_argument(
        "--ward-polls",
        type=int,
        default=1,
        help="polls on the by-election's day in that many wards (--setup), as a "
        "council's own CSV lists a day of elections by thirds",
    )
    return parser.parse_args()


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ier.config.settings.test"
    import django

    django.setup()


def _fill(count: int, ward_polls: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from ier.elections.importing import set_areas
    from ier.elections.models import Election
    from ier.geography.models import Authority, Nation, PostcodeDivision
    from ier.registration.models import Application, Status

    call_command("migrate", verbosity=0)
    council = Authority.objects.create(
        gss_code="E06900001", name="Queue Council", nation=Nation.ENGLAND
    )
    postcodes = ["ZZ%d %dAA" % (n // 10, n % 10) for n in range(1000)]
    PostcodeDivision.objects.bulk_create(
        PostcodeDivision(
            postcode=postcode,
            ward_gss=WARD if (n // 7) % 2 else OTHER_WARD,
            constituency_gss="E14900001",
        )
        for n, postcode in enumerate(postcodes)
        if n % 10
    )
    now = timezone.now()
    statuses = [Status.VERIFIED, Status.PARTIAL, Status.NOT_VERIFIED, Status.NO_NINO]
    Application.objects.bulk_create(
        (
            Application(
                reference="Q%09d" % n,
                idempotency_key="queue-%d" % n,
                journey="ordinary",
                status=statuses[n % len(statuses)],
                authority=council,
                first_name="Ann",
                last_name="Example",
                date_of_birth=now.date().replace(year=1980),
                address_line_1="%d Example Street" % n,
                address_town="Exampletown",
                address_postcode=postcodes[n % len(postcodes)],
                nationalities=["GB"],
                submitted_at=now - timedelta(minutes=n),
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    today = timezone.localdate()
    wards = [WARD] + ["E05%06d" % (900100 + n) for n in range(ward_polls - 1)]
    polls = [("local.queue.2027-05-06", 20, "")] + [
        ("local.queue.ward-%d.by" % n, 6, ward) for n, ward in enumerate(wards)
    ]
    for election_id, weeks, division in polls:
        election = Election.objects.create(
            election_id=election_id,
            title=election_id,
            poll_date=today + timedelta(weeks=weeks),
            election_type="local",
            division_gss=division,
        )
        set_areas(election, [council])
    call_command("dbshell", "--", "-c", "VACUUM ANALYZE", verbosity=0)


def _backend_cpu(connection) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _first_page(council) -> list:
    from django.core.paginator import Paginator

    from ier.ero.queue import search
    from ier.ero.views.applications import LIST_COLUMNS

    page = Paginator(search(council, "", "").only(*LIST_COLUMNS), PAGE).get_page(1)
    return list(page.object_list)


def _measure(repeats: int) -> int:
    from django.db import connection

    from ier.geography.models import Authority, PostcodeDivision

    council = Authority.objects.get(gss_code="E06900001")
    cpu, wall = [], []
    for n in range(repeats + 2):
        before_cpu, before_wall = _backend_cpu(connection), time.perf_counter()
        rows = _first_page(council)
        after_wall, after_cpu = time.perf_counter(), _backend_cpu(connection)
        if n >= 2:
            cpu.append(after_cpu - before_cpu)
            wall.append(after_wall - before_wall)
    wards = dict(PostcodeDivision.objects.values_list("postcode", "ward_gss"))
    outside = [r for r in rows if wards.get(r.address_postcode) == OTHER_WARD]
    print(
        "first page: backend CPU mean %.3f s (median %.3f, min %.3f, max %.3f), "
        "wall median %.3f s, over %d pages; %d of %d rows from the other ward"
        % (
            statistics.mean(cpu),
            statistics.median(cpu),
            min(cpu),
            max(cpu),
            statistics.median(wall),
            repeats,
            len(outside),
            len(rows),
        )
    )
    return 0


def main() -> int:
    options = _parse()
    if options.setup:
        recreate_postgres(options.database_url)
    _setup_django(options.database_url)
    if options.setup:
        _fill(options.applications, options.ward_polls)
    return _measure(options.repeats)


if __name__ == "__main__":
    sys.exit(main())
