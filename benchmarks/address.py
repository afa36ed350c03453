"""Address import speed and postcode lookup latency on PostgreSQL, by table size.

    .venv/bin/python benchmarks/address.py --sizes 1000000 3000000 [--lookups 2000]

Uses its own database (--database-name, `ier_bench_address`, on the server in
--database-url, created and migrated if missing; the test databases and the demo are
not touched). The table
grows through the sizes: for each it writes a synthetic AddressBase Plus file (77
published columns, ~17 addresses a postcode as in Great Britain) holding the rows
still needed, loads it with the real importer (`Loader`, COPY + upsert, the same code
as `ier import-addressbase`), then times `address_options(postcode)` - what the
address page calls: the columns it shows, sorted, each address on one line - for
random postcodes, after a warm-up and with the table analysed. It prints one
Markdown table row per size for docs/performance.md. The files are written under
--data-dir and removed afterwards.

Each load must leave exactly the rows of its file in the table, and each lookup
must list every address written at its postcode; the benchmark exits non-zero
otherwise.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST_UPRN = 10_000_000_000
ADDRESSES_PER_POSTCODE = 17
STREETS = [
    "HIGH STREET",
    "STATION ROAD",
    "CHURCH LANE",
    "MILL ROAD",
    "PARK AVENUE",
    "QUEENS ROAD",
    "VICTORIA STREET",
    "GEORGE STREET",
    "MANOR WAY",
    "THE GREEN",
]
AREAS = [
    "AB",
    "BA",
    "CA",
    "DA",
    "EH",
    "FK",
    "GL",
    "HA",
    "IP",
    "KA",
    "LA",
    "ME",
    "NE",
    "OL",
    "PE",
    "RG",
    "SA",
    "TA",
    "UB",
    "WA",
    "YO",
    "CF",
    "LL",
    "NP",
    "SY",
    "DD",
]
INWARD = "ABDEFGHJLNPQRSTUWXYZ"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("IER_MODE", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ier.config.settings.test")
    import django

    django.setup()


def ensure_database(server_url: str, name: str) -> str:
    import psycopg

    server = server_url.rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            conn.execute("CREATE DATABASE %s" % name)
    return server + "/" + name


def postcode(n: int) -> str:
    """The n-th synthetic postcode, all distinct, all in the standard form."""
    area = AREAS[n % len(AREAS)]
    n //= len(AREAS)
    district = 1 + n % 99
    n //= 99
    sector = n % 10
    n //= 10
    unit = INWARD[n % 20] + INWARD[(n // 20) % 20]
    return "%s%d %d%s" % (area, district, sector, unit)


def plus_rows(start: int, count: int, custodians: list[str]):
    """AddressBase Plus rows: houses by number, some buildings of flats."""
    from ier.geography.layouts import ADDRESSBASE_PLUS_COLUMNS

    width = len(ADDRESSBASE_PLUS_COLUMNS)
    position = {name: i for i, name in enumerate(ADDRESSBASE_PLUS_COLUMNS)}
    blank = [""] * width
    for i in range(start, start + count):
        row = blank.copy()
        pc = i // ADDRESSES_PER_POSTCODE
        within = i % ADDRESSES_PER_POSTCODE
        street = STREETS[pc % len(STREETS)]
        row[position["UPRN"]] = str(FIRST_UPRN + i)
        row[position["CHANGE_TYPE"]] = "I"
        row[position["STATE"]] = "2"
        row[position["CLASS"]] = "RD04"
        row[position["LOCAL_CUSTODIAN_CODE"]] = custodians[pc % len(custodians)]
        if within >= 12:
            row[position["SAO_TEXT"]] = "FLAT %d" % (within - 11)
            row[position["PAO_TEXT"]] = "%s HOUSE" % street.split()[0]
            row[position["PAO_START_NUMBER"]] = "2"
        else:
            row[position["PAO_START_NUMBER"]] = str(2 * within + 1)
        row[position["STREET_DESCRIPTION"]] = street
        row[position["TOWN_NAME"]] = row[position["POST_TOWN"]] = "TOWN %d" % (pc % 500)
        row[position["POSTCODE"]] = row[position["POSTCODE_LOCATOR"]] = postcode(pc)
        yield row


def write_file(
    path: Path, start: int, count: int, custodians: list[str], quoted: bool = False
) -> float:
    """With `quoted`, every text field is in double quotes (numbers are not), the
    worst case for the reader: the loader then needs the csv module."""
    import csv

    began = time.perf_counter()
    rows = plus_rows(start, count, custodians)
    with path.open("w", newline="") as handle:
        if quoted:
            writer = csv.writer(
                handle, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC
            )
            rows = ([int(f) if f.isdigit() else f for f in row] for row in rows)
        else:
            writer = csv.writer(handle, lineterminator="\n")
        writer.writerows(rows)
    return time.perf_counter() - began


class ServerCpu(threading.Thread):
    """CPU seconds used by the PostgreSQL backends serving the benchmark database,
    sampled from /proc while a load runs (the machine is shared, so wall-clock time
    alone would measure the neighbours as much as the code)."""

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.database = database
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            me = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
            while not self.stop.wait(0.2):
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                    [self.database, me],
                ).fetchall()
                for (pid,) in rows:
                    self.seen[pid] = max(self.seen.get(pid, 0.0), cpu_seconds(pid))

    def total(self, before: dict[int, float]) -> float:
        return sum(v - before.get(pid, 0.0) for pid, v in self.seen.items())


def process_cpu() -> float:
    """CPU seconds of this process and of its finished children (the parsing
    processes of --workers)."""
    own, children = os.times()[:2], os.times()[2:4]
    return sum(own) + sum(children)


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(
    path: Path, custodian_map: dict[str, str], workers: int
) -> tuple[float, int, float, float, str]:
    """(wall seconds, rows loaded, importer CPU seconds, PostgreSQL CPU seconds, the
    machine's 1-minute load average before and after)."""
    from ier.geography.layouts import AddressBasePlus
    from ier.geography.loading import Loader

    loader = Loader(
        AddressBasePlus(), custodians=custodian_map, progress=False, workers=workers
    )
    monitor = ServerCpu(os.environ["DATABASE_URL"].rsplit("/", 1)[1])
    monitor.start()
    time.sleep(1)
    before = dict(monitor.seen)
    load_before = os.getloadavg()[0]
    began, cpu_began = time.perf_counter(), process_cpu()
    run, _ = loader.load(path)
    wall, client = time.perf_counter() - began, process_cpu() - cpu_began
    load_average = "%.1f-%.1f" % (load_before, os.getloadavg()[0])
    time.sleep(0.5)
    monitor.stop.set()
    monitor.join()
    return wall, run.rows_loaded, client, monitor.total(before), load_average


HEADER = (
    "| load average | addresses in table | rows loaded | import rows/s (wall) | "
    "CPU s per 1M rows: "
    "importer / PostgreSQL | rows/s on 2 free cores | table + indexes | lookups | "
    "p50 ms | p95 ms | p99 ms | max ms | SQL alone p50 / p95 ms |"
)


def report(
    size: int,
    loaded: tuple,
    timings: tuple[list[float], list[float], int],
    workers: int,
) -> str:
    wall, rows, client, server, load_average = loaded
    q = statistics.quantiles(timings[0], n=100)
    sql = statistics.quantiles(timings[1], n=100)
    per_million = 1_000_000 / rows
    # On two cores: no faster than both cores' worth of CPU, than the database, or
    # than the importer's share of each of its parsing processes (one per core).
    free = rows / max(client / workers, server, (client + server) / 2)
    return (
        "| %s | %s | %s | %s | %.1f / %.1f | %s | %s | %d | %.2f | %.2f | %.2f "
        "| %.2f | %.2f / %.2f |"
    ) % (
        load_average, f"{size:,}", f"{rows:,}", f"{rows / wall:,.0f}",
        client * per_million, server * per_million, f"{free:,.0f}", table_size(),
        len(timings[0]), q[49], q[94], q[98], max(timings[0]), sql[49], sql[94],
    )  # fmt: skip


def lookups(
    count: int, postcodes: int, seed: int
) -> tuple[list[float], list[float], int]:
    """Milliseconds per lookup: through `address_options` (what the address page
    calls), and the SQL alone (the database's share); and how many lookups listed
    other than the addresses written at their postcode."""
    from django.db import connection

    from ier.citizen.addressing import address_options

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE geography_address")
    sample = [postcode(rng.randrange(postcodes)) for _ in range(count + 200)]
    for code in sample[:200]:  # warm the connection and plan cache
        address_options(code)
    timings, sql_timings = [], []
    wrong = 0
    for code in sample[200:]:
        began = time.perf_counter()
        found = address_options(code)
        timings.append((time.perf_counter() - began) * 1000)
        wrong += len(found) != ADDRESSES_PER_POSTCODE
    sql = "SELECT * FROM geography_address WHERE postcode = %s"
    with connection.cursor() as cursor:
        for code in rng.sample(sample[200:], count):
            began = time.perf_counter()
            cursor.execute(sql, [code])
            cursor.fetchall()
            sql_timings.append((time.perf_counter() - began) * 1000)
    return timings, sql_timings, wrong


def empty_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE geography_address, geography_postcodearea")


def table_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('geography_address'))"
        )
        return cursor.fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 3_000_000])
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="parsing processes")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server URL; the benchmark uses its own database on it",
    )
    parser.add_argument("--database-name", default="ier_bench_address")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench-address")
    parser.add_argument("--keep", action="store_true", help="keep the rows afterwards")
    parser.add_argument(
        "--quoted", action="store_true", help="quote every text field in the files"
    )
    args = parser.parse_args()

    url = ensure_database(args.database_url, args.database_name)
    setup_django(url)
    from django.core.management import call_command

    from ier.geography.importers import (
        default_authorities_file,
        default_scotland_file,
        import_authorities,
    )
    from ier.geography.models import Address, Authority, ImportRun

    call_command("migrate", verbosity=0)
    import_authorities(default_authorities_file(), default_scotland_file())
    empty_tables()
    ImportRun.objects.all().delete()
    codes = list(
        Authority.objects.exclude(nation="Northern Ireland").values_list(
            "gss_code", flat=True
        )
    )
    custodians = [str(1000 + i) for i in range(len(codes))]
    custodian_map = dict(zip(custodians, codes, strict=True))

    args.data_dir.mkdir(parents=True, exist_ok=True)
    print(HEADER)
    print("|---" * 13 + "|")
    loaded_so_far = 0
    problems = []
    try:
        for size in sorted(args.sizes):
            count = size - loaded_so_far
            path = args.data_dir / ("plus-%d-%d.csv" % (loaded_so_far, count))
            write_file(path, loaded_so_far, count, custodians, args.quoted)
            loaded = load(path, custodian_map, args.workers)
            path.unlink()
            loaded_so_far = size
            timings = lookups(args.lookups, size // ADDRESSES_PER_POSTCODE, seed=size)
            print(report(size, loaded, timings, args.workers), flush=True)
            in_table = Address.objects.count()
            if loaded[1] != count or in_table != size:
                problems.append(
                    "%d rows loaded of %d, %d in the table of %d"
                    % (loaded[1], count, in_table, size)
                )
            if timings[2]:
                problems.append(
                    "%d lookups at %d addresses did not list %d addresses"
                    % (timings[2], size, ADDRESSES_PER_POSTCODE)
                )
    finally:
        if not args.keep:
            empty_tables()
    if problems:
        print("CHECK FAILED:\n" + "".join("  %s\n" % p for p in problems), end="")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
