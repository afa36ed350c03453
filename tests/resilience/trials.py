"""Random kill -9 faults under load: `make resilience TRIALS=N`.

    python tests/resilience/trials.py --trials 100 [--seed 2017] [--every 2]

A PostgreSQL cluster of its own (initdb in a temporary folder), PgBouncer with
deploy/pgbouncer.ini in front of it, a web node (gunicorn, 2 workers), `ier worker`
and the identity stand-in, all as real processes, while simulated people walk the
journey (sending a page again when it fails, as people do). Every --every seconds
one process chosen at random is killed with SIGKILL and, like a supervisor would,
started again: a gunicorn worker (its master starts another), the worker, the
identity service, PgBouncer or PostgreSQL (which recovers from its WAL). Then
everything is left to settle, and the run fails unless every reference shown to a
person is stored exactly once with one "submitted" event and each application is
verified exactly once (one Verification row and one "verification" event), none left
waiting. Applications stored whose confirmation page never reached the person (who
gave up after 120 failed tries) are counted, not failed: they are neither lost
nor duplicated, and the status page finds them."""

import argparse
import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))
from journey import free_port  # noqa: E402

from tests.resilience.restore_drill import (  # noqa: E402
    Cluster,
    demo_env,
    england_address,
    ier,
    new_cluster,
    owned_by_postgres,
)
from tests.resilience.test_web_crash import (  # noqa: E402
    Background,
    Identity,
    Node,
    Person,
)

WAITING = ("submitted", "verifying")


def crash_postgresql(cluster: Cluster) -> None:
    """SIGKILL to the postmaster, then start it again: crash recovery from WAL."""
    pid = int((cluster.data / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)
    for _ in range(100):
        try:
            cluster.start()
            return
        except subprocess.CalledProcessError:
            time.sleep(0.5)  # its backends are still going away
    raise SystemExit("PostgreSQL did not start again")


class PgBouncer:
    def __init__(self, folder: Path, cluster: Cluster):
        self.folder = owned_by_postgres(folder / "pgbouncer")
        self.port = free_port()
        (self.folder / "databases.ini").write_text(
            "ier = host=127.0.0.1 port=%d dbname=ier\n" % cluster.port
        )
        (self.folder / "userlist.txt").write_text('"postgres" "trials"\n')
        text = (PROJECT / "deploy" / "pgbouncer.ini").read_text()
        for old, new in [
            ("/etc/pgbouncer/databases.ini", str(self.folder / "databases.ini")),
            ("listen_port = 6432", "listen_port = %d" % self.port),
            ("/etc/pgbouncer/userlist.txt", str(self.folder / "userlist.txt")),
            ("/var/log/postgresql/pgbouncer.log", str(self.folder / "log")),
            ("pidfile = /var/run/postgresql/pgbouncer.pid", "pidfile ="),
        ]:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        if os.geteuid() == 0:
            text += "user = postgres\n"
        (self.folder / "pgbouncer.ini").write_text(text)
        if os.geteuid() == 0:
            for path in self.folder.iterdir():
                shutil.chown(path, "postgres", "postgres")
        self.url = "postgres://postgres:trials@127.0.0.1:%d/ier" % self.port
        self.process: subprocess.Popen | None = None

    def start(self) -> "PgBouncer":
        self.process = subprocess.Popen(
            [
                shutil.which("pgbouncer") or "/usr/sbin/pgbouncer",
                str(self.folder / "pgbouncer.ini"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)
        return self

    def crash(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def restart(self) -> None:
        self.crash()
        self.start()


def people_applying(base: str, home, clients: int, enough: threading.Event):
    people: list[Person] = []

    def work(offset: int) -> None:
        index = offset
        while not enough.is_set():
            person = Person(base, home, 7000 + index)
            people.append(person)
            person.apply()
            index += clients

    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    return people, threads


@dataclass
class Service:
    cluster: Cluster
    bouncer: PgBouncer
    identity: Identity
    worker: Background
    node: Node
    home: tuple


@contextlib.contextmanager
def service_on_its_own_cluster(folder: Path, **settings: str):
    """A cluster of its own, PgBouncer from deploy/, the identity stand-in, `ier
    worker` and a web node, all real processes; all stopped at the end."""
    cluster = new_cluster(folder, "data", ["max_connections = 200"])
    bouncer = PgBouncer(folder, cluster).start()
    env = demo_env(folder, bouncer.url, IER_DB_PREPARED_STATEMENTS="off", **settings)
    (folder / "var").mkdir()
    ier(env, "migrate", "--noinput")
    ier(env, "seed", "--postcodes-per-authority", "1")
    ier(env, "collectstatic", "--noinput")
    home = england_address(cluster)
    identity_port = free_port()
    env["IER_IDENTITY_SERVICE_URL"] = "http://127.0.0.1:%d" % identity_port
    identity = Identity(env, folder / "var", identity_port).start()
    worker = Background(env, ["worker", "--poll", "0.2"], folder / "var" / "worker.log")
    worker.start()
    node = Node(env, free_port()).start()
    try:
        yield Service(cluster, bouncer, identity, worker, node, tuple(home))
    finally:
        for process in (node, worker, identity):
            process.crash()
        bouncer.crash()
        cluster.stop("immediate")


def waiting(cluster: Cluster, where: str = "TRUE") -> int:
    """Applications not yet decided by verification."""
    return int(
        cluster.sql(
            "SELECT COUNT(*) FROM registration_application WHERE status IN"
            " ('submitted', 'verifying') AND %s" % where
        ).strip()
    )


def outcome(cluster: Cluster, shown: list[str]) -> dict[str, list[str]]:
    """Each stored application against the references people were shown: which
    were lost, stored unseen, stored twice, still waiting, verified other than once."""
    stored = {
        reference: rest
        for reference, *rest in (
            line.split("|")
            for line in cluster.sql(
                "SELECT a.reference, a.status, (SELECT COUNT(*) FROM"
                " registration_applicationevent e WHERE e.application_id = a.id AND"
                " e.event = 'submitted'), (SELECT COUNT(*) FROM"
                " verification_verification v WHERE v.application_id = a.id),"
                " (SELECT COUNT(*) FROM registration_applicationevent e WHERE"
                " e.application_id = a.id AND e.event = 'verification')"
                " FROM registration_application a"
            ).splitlines()
        )
    }
    return {
        "lost": [ref for ref in shown if ref not in stored],
        "unseen": [ref for ref in stored if ref not in shown],
        "duplicated": [
            ref for ref, (_s, submitted, *_v) in stored.items() if submitted != "1"
        ],
        "waiting": [ref for ref, (status, *_r) in stored.items() if status in WAITING],
        "twice": [
            ref
            for ref, (_s, _n, rows, events) in stored.items()
            if (rows, events) != ("1", "1")
        ],
    }


def run(args, folder: Path) -> int:
    with service_on_its_own_cluster(
        folder, IER_VERIFICATION_STUCK_SECONDS="1"
    ) as service:
        cluster, node, worker, identity = (
            service.cluster,
            service.node,
            service.worker,
            service.identity,
        )
        faults = {
            "web worker": node.kill_a_worker,
            "worker": lambda: worker.restart(after=1.5),
            "identity service": lambda: identity.restart(after=0.5),
            "pgbouncer": service.bouncer.restart,
            "postgresql": lambda: crash_postgresql(cluster),
        }
        chosen = random.Random(args.seed).choices(sorted(faults), k=args.trials)
        enough = threading.Event()
        people, threads = people_applying(node.base, service.home, args.clients, enough)
        started = time.monotonic()
        for fault in chosen:
            time.sleep(args.every)
            faults[fault]()
        enough.set()
        for thread in threads:
            thread.join(timeout=600)
        shown = [person.shown for person in people if person.shown]
        unfinished = [person for person in people if not person.shown]
        deadline = time.monotonic() + 300
        while waiting(cluster) and time.monotonic() < deadline:
            time.sleep(1)
        found = outcome(cluster, shown)
    sys.stdout.write(
        "trials: %d kill -9 faults, one every %.1f s (seed %d): %s\n"
        "people: %d finished and shown a reference, %d still mid-journey when the"
        " faults ended; %.0f s\n"
        "lost: %d; stored, the confirmation never seen (a person who gave up): %d;"
        " duplicated: %d; left unverified: %d;"
        " verified other than exactly once: %d\n"
        % (
            args.trials,
            args.every,
            args.seed,
            ", ".join("%s %d" % item for item in sorted(Counter(chosen).items())),
            len(shown),
            len(unfinished),
            time.monotonic() - started,
            len(found["lost"]),
            len(found["unseen"]),
            len(found["duplicated"]),
            len(found["waiting"]),
            len(found["twice"]),
        )
    )
    failed = found["lost"] or found["duplicated"] or found["waiting"] or found["twice"]
    return 1 if (not shown or failed) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--every", type=float, default=2.0, help="seconds between")
    parser.add_argument("--clients", type=int, default=4)
    return in_a_folder_of_its_own("ier-trials-", run, parser.parse_args())


def in_a_folder_of_its_own(prefix: str, drill, args) -> int:
    """`drill(args, folder)` in a temporary folder PostgreSQL may use, removed after."""
    folder = owned_by_postgres(Path(tempfile.mkdtemp(prefix=prefix)))
    folder.chmod(0o755)
    try:
        return drill(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
