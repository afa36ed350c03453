"""Restore drill: a point-in-time restore, proven on a PostgreSQL cluster of its own.

    python tests/resilience/restore_drill.py [--before 20] [--after 10] [--clients 3]

Makes a cluster with initdb in a temporary folder (WAL archived to a folder beside
it, as docs/deployment.md sets up), migrates and seeds it, takes a base backup with
pg_basebackup, then has people apply through a web node for --before seconds, marks
the point in time, and lets them go on for --after seconds. The cluster is then
stopped as if lost (immediate shutdown), a fresh one is restored from the base
backup and the archive to the marked point, and the drill proves that every
application whose reference was shown to a person before that point is there byte
for byte (its row and its events, as PostgreSQL renders them to JSON), nothing
submitted after it is, and the service starts on the restored cluster. It prints the
recovery point and the recovery time, removes everything, and exits non-zero on any
loss.

PostgreSQL will not run as root: started by root, the clusters belong to the
postgres user."""

import argparse
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT / "benchmarks"))
from journey import Applicant, free_port  # noqa: E402

REFERENCE = re.compile(r"<strong>([A-Z0-9]{5}) ([A-Z0-9]{5})</strong>")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
ROWS = (
    "SELECT a.reference, a.submitted_at < %s, row_to_json(a)::text,"
    " (SELECT json_agg(e ORDER BY e.id)::text FROM registration_applicationevent e"
    " WHERE e.application_id = a.id) FROM registration_application a"
    " ORDER BY a.reference"
)


def as_postgres(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)


class Cluster:
    def __init__(self, data: Path, port: int):
        self.data, self.port = data, port
        self.url = "postgres://postgres@127.0.0.1:%d/ier" % port

    def start(self) -> None:
        as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-w",
                "-t",
                "300",
                "start",
                "-l",
                str(self.data.parent / ("%s.log" % self.data.name)),
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "stop"])

    def sql(self, query: str, database: str = "ier") -> str:
        return subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-AtXqc",
                query,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def configure(self, lines: list[str]) -> None:
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n".join(lines) + "\n")


def owned_by_postgres(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(path, owner.pw_uid, owner.pw_gid)
    return path


def new_cluster(folder: Path, name: str, settings: list[str]) -> Cluster:
    """initdb in `folder`/`name`, listening on loopback only, started, with an
    empty database `ier`."""
    cluster = Cluster(owned_by_postgres(folder / name), free_port())
    as_postgres(
        [
            str(PG_BIN / "initdb"),
            "-D",
            str(cluster.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
        ]
    )
    cluster.configure(
        [
            "port = %d" % cluster.port,
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = '%s'" % folder,
            *settings,
        ]
    )
    cluster.start()
    cluster.sql("CREATE DATABASE ier", database="postgres")
    return cluster


def primary(folder: Path, archive: Path) -> Cluster:
    return new_cluster(
        folder,
        "primary",
        [
            "wal_level = replica",
            "archive_mode = on",
            "archive_command = 'test ! -f %s/%%f && cp %%p %s/%%f'"
            % (archive, archive),
            "archive_timeout = 60",
        ],
    )


def england_address(cluster: Cluster) -> list[str]:
    return (
        cluster.sql(
            "SELECT a.postcode || '|' || a.uprn FROM geography_address a JOIN"
            " geography_authority g ON g.id = a.authority_id WHERE"
            " g.nation = 'England' ORDER BY a.uprn LIMIT 1"
        )
        .strip()
        .split("|")
    )


def ier(env: dict, *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "ier.cli", *arguments],
        env=env,
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )


def web_node(env: dict, port: int) -> subprocess.Popen:
    node = subprocess.Popen(
        [sys.executable, "-m", "ier.cli", "serve", "--bind", "127.0.0.1:%d" % port],
        env=env,
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            if httpx.get("http://127.0.0.1:%d/readyz" % port).status_code == 200:
                return node
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop(node)
    raise SystemExit("the web node did not become ready")


def stop(node: subprocess.Popen) -> None:
    node.terminate()
    try:
        node.wait(timeout=60)
    except subprocess.TimeoutExpired:
        node.kill()
        node.wait()


class Person(Applicant):
    shown: str | None = None

    def page(self, path: str) -> str:
        text = super().page(path)
        found = REFERENCE.search(text)
        self.shown = "".join(found.groups()) if found else self.shown
        return text


def apply_until(base: str, address, enough: threading.Event, shown: list, first: int):
    index = first
    while not enough.is_set():
        person = Person(base, address, index)
        person.apply()
        shown.append((person.shown, datetime.now(UTC)))
        index += 1


def rows(cluster: Cluster, point: datetime) -> dict[str, tuple[str, str, str]]:
    """reference -> (submitted before the point: t/f, row, events), as JSON text."""
    found = {}
    for line in cluster.sql(ROWS % ("'%s'" % point.isoformat())).splitlines():
        reference, before, row, events = line.split("|", 3)
        found[reference] = (before, row, events)
    return found


def restore(folder: Path, base: Path, archive: Path, target: datetime) -> Cluster:
    cluster = Cluster(folder / "restored", free_port())
    as_postgres(["cp", "-a", str(base), str(cluster.data)])
    as_postgres(["rm", "-f", str(cluster.data / "postmaster.pid")])
    cluster.configure(
        [
            "port = %d" % cluster.port,
            "archive_mode = off",
            "restore_command = 'cp %s/%%f %%p'" % archive,
            "recovery_target_time = '%s'" % target.isoformat(),
            "recovery_target_action = 'promote'",
        ]
    )
    as_postgres(["touch", str(cluster.data / "recovery.signal")])
    cluster.start()
    for _ in range(600):
        if cluster.sql("SELECT pg_is_in_recovery()", "postgres").strip() == "f":
            return cluster
        time.sleep(0.1)
    raise SystemExit("the restored cluster did not leave recovery")


def demo_env(folder: Path, database_url: str, **settings: str) -> dict[str, str]:
    """The demo settings on `database_url`, admission control off, quiet logs."""
    return {
        **os.environ,
        "IER_MODE": "demo",
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.demo",
        "IER_VAR_DIR": str(folder / "var"),
        "DATABASE_URL": database_url,
        "IER_ADMISSION_NEW_IN_FLIGHT": "0",
        "IER_ADMISSION_MAX_IN_FLIGHT": "0",
        "IER_LOG_LEVEL": "ERROR",
        **settings,
    }


def drill(args, folder: Path) -> int:
    archive = owned_by_postgres(folder / "wal")
    cluster = primary(folder, archive)
    env = demo_env(folder, cluster.url, IER_GUNICORN_WORKERS="2")
    ier(env, "migrate", "--noinput")
    ier(env, "seed", "--postcodes-per-authority", "1", "--people", "0")
    ier(env, "collectstatic", "--noinput")
    address = england_address(cluster)
    base = folder / "base"
    as_postgres(
        [
            str(PG_BIN / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "-D",
            str(base),
            "-Fp",
            "-Xs",
            "-c",
            "fast",
        ]
    )
    port = free_port()
    node = web_node(env, port)
    enough = threading.Event()
    shown: list[tuple[str, datetime]] = []
    people = [
        threading.Thread(
            target=apply_until,
            args=("http://127.0.0.1:%d" % port, address, enough, shown, 1000 * k),
        )
        for k in range(args.clients)
    ]
    for person in people:
        person.start()
    time.sleep(args.before)
    point = datetime.now(UTC)
    time.sleep(args.after)
    enough.set()
    for person in people:
        person.join(timeout=120)
    stop(node)
    cluster.sql("SELECT pg_switch_wal()")
    archive_status = cluster.data / "pg_wal" / "archive_status"
    for _ in range(300):
        if not list(archive_status.glob("*.ready")):
            break
        time.sleep(0.1)
    archiver = cluster.sql("SELECT archived_count, failed_count FROM pg_stat_archiver")
    before = rows(cluster, point)
    lost_at = time.monotonic()
    cluster.stop("immediate")

    restored = restore(folder, base, archive, point)
    after = rows(restored, point)
    env["DATABASE_URL"] = restored.url
    node = web_node(env, free_port())
    recovery_time = time.monotonic() - lost_at
    stop(node)
    restored.stop()

    acknowledged = [ref for ref, at in shown if at < point]
    later = [ref for ref, at in shown if at >= point]
    missing = [ref for ref in acknowledged if ref not in after]
    changed = [
        ref for ref in acknowledged if ref in after and after[ref] != before[ref]
    ]
    unexpected = [ref for ref, (earlier, *_) in after.items() if earlier != "t"]
    last = max(at for ref, at in shown if at < point) if acknowledged else None
    sys.stdout.write(
        "applications shown to people: %d (%d before the point, %d after)\n"
        "restored to %s; last reference shown before it at %s\n"
        "before the point: %d restored byte for byte, %d missing, %d different;"
        " restored but submitted after it: %d (expected 0)\n"
        "recovery time (primary lost to the service ready on the restored cluster):"
        " %.1f s\n"
        "recovery point with this archive_command: the last archived WAL segment,"
        " at most archive_timeout (60 s) behind; WAL segments archived|failed: %s\n"
        % (
            len(shown),
            len(acknowledged),
            len(later),
            point.isoformat(),
            last.isoformat() if last else "-",
            len(acknowledged) - len(missing) - len(changed),
            len(missing),
            len(changed),
            len(unexpected),
            recovery_time,
            archiver.strip(),
        )
    )
    if not acknowledged or missing or changed or unexpected or not later:
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=float, default=20)
    parser.add_argument("--after", type=float, default=10)
    parser.add_argument("--clients", type=int, default=3)
    args = parser.parse_args()
    folder = owned_by_postgres(Path(tempfile.mkdtemp(prefix="ier-restore-drill-")))
    folder.chmod(0o755)
    try:
        return drill(args, folder)
    finally:
        for data in ("primary", "restored"):
            if (folder / data / "postmaster.pid").exists():
                as_postgres(
                    [
                        str(PG_BIN / "pg_ctl"),
                        "-D",
                        str(folder / data),
                        "-m",
                        "immediate",
                        "stop",
                    ]
                )
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
