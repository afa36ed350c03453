"""The identity service down under load: `make identity-outage OUTAGE_SECONDS=600`.

    python tests/resilience/identity_outage.py --outage 600 [--before 60]
        [--after 60] [--within 420] [--clients 4]

The same real processes as the fault trials (a cluster of its own, PgBouncer, a web
node, `ier worker`, the identity stand-in), with the production verification
settings. People walk the journey all along; after --before seconds the identity
stand-in is killed, and started again --outage seconds later; people go on for
--after seconds more. The run fails unless no page was refused (no person had to
send one again), every reference shown is stored exactly once, and every
application, from before, during and after the outage, is verified exactly once
(one Verification row, one "verification" event) within --within seconds of the
service's return. It prints the backlog's peak, how long the backlog left at the
return took to drain, and what the worker did meanwhile (batches handed back,
probes), from the applications' events."""

import argparse
import datetime
import itertools
import sys
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from tests.resilience.trials import (  # noqa: E402
    in_a_folder_of_its_own,
    outcome,
    people_applying,
    service_on_its_own_cluster,
    waiting,
)


def timestamp(moment: datetime.datetime) -> str:
    return "'%s'::timestamptz" % moment.isoformat()


class Backlog(threading.Thread):
    """Counts the waiting applications once a second: the peak, and when those
    submitted before the identity service returned were all decided."""

    def __init__(self, cluster):
        super().__init__(daemon=True)
        self.cluster = cluster
        self.peak = 0
        self.returned: datetime.datetime | None = None
        self.drained_after: float | None = None
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(1):
            self.sample()
        self.sample()  # the last count, taken once everything was decided

    def sample(self) -> None:
        self.peak = max(self.peak, waiting(self.cluster))
        returned = self.returned
        if returned and self.drained_after is None:
            older = "submitted_at <= %s" % timestamp(returned)
            if not waiting(self.cluster, older):
                now = datetime.datetime.now(datetime.UTC)
                self.drained_after = (now - returned).total_seconds()


def submitted_between(cluster, start, end) -> int:
    return int(
        cluster.sql(
            "SELECT COUNT(*) FROM registration_application WHERE submitted_at >= %s"
            " AND submitted_at < %s" % (timestamp(start), timestamp(end))
        ).strip()
    )


def deferrals(cluster) -> tuple[int, int, list[datetime.datetime]]:
    """What the worker handed back while the service was down, from the events: how
    many deferrals, the most for one application, and when each batch was handed
    back (one batch's deferrals share a moment)."""
    total, most = (
        cluster.sql(
            "SELECT COUNT(*), COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) n FROM"
            " registration_applicationevent WHERE event = 'verification_deferred'"
            " GROUP BY application_id) d"
        )
        .strip()
        .split("|")
    )
    moments = cluster.sql(
        "SELECT DISTINCT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        " FROM registration_applicationevent WHERE event = 'verification_deferred'"
        " ORDER BY 1"
    ).split()
    return (
        int(total),
        int(most),
        [datetime.datetime.fromisoformat(m + "+00:00") for m in moments],
    )


def longest_gap(moments: list[datetime.datetime]) -> float:
    return max(
        ((b - a).total_seconds() for a, b in itertools.pairwise(moments)), default=0.0
    )


def run(args, folder: Path) -> int:
    utc = datetime.UTC
    with service_on_its_own_cluster(folder) as service:
        cluster = service.cluster
        backlog = Backlog(cluster)
        backlog.start()
        enough = threading.Event()
        people, threads = people_applying(
            service.node.base, service.home, args.clients, enough
        )
        began = datetime.datetime.now(utc)
        time.sleep(args.before)
        service.identity.crash()
        stopped = datetime.datetime.now(utc)
        time.sleep(args.outage)
        service.identity.start()
        returned = datetime.datetime.now(utc)
        backlog.returned = returned
        at_return = waiting(cluster)
        time.sleep(args.after)
        enough.set()
        for thread in threads:
            thread.join(timeout=600)
        ended = datetime.datetime.now(utc)
        deadline = time.monotonic() + max(0.0, args.within - args.after)
        while waiting(cluster) and time.monotonic() < deadline:
            time.sleep(1)
        all_decided = datetime.datetime.now(utc)
        backlog.done.set()
        backlog.join()
        shown = [person.shown for person in people if person.shown]
        refused = sum(person.failures for person in people)
        found = outcome(cluster, shown)
        phases = [
            submitted_between(cluster, began, stopped),
            submitted_between(cluster, stopped, returned),
            submitted_between(cluster, returned, ended),
        ]
        deferred, most, batches = deferrals(cluster)
        swept = int(
            cluster.sql(
                "SELECT COUNT(*) FROM registration_applicationevent"
                " WHERE event = 'verification_requeued'"
            ).strip()
        )
        worker_alive = service.worker.process.poll() is None
    drained = backlog.drained_after
    everything = (all_decided - returned).total_seconds()
    sys.stdout.write(
        "identity service down %.0f s, people applying %.0f s before, during and"
        " %.0f s after, %d at a time\n"
        "submitted: %d before, %d during, %d after; shown a reference: %d;"
        " pages refused (sent again): %d\n"
        "backlog: %d at the return, peak %d; those waiting at the return all"
        " verified %s s after it; every application decided %.0f s after it\n"
        "worker: %d applications handed back in %d batches while the service was"
        " down (at most %d times for one application), the longest pause between"
        " two %.0f s, the last %.0f s before the return; queued again by the"
        " sweep: %d; still running: %s\n"
        % (
            args.outage,
            args.before,
            args.after,
            args.clients,
            *phases,
            len(shown),
            refused,
            at_return,
            backlog.peak,
            "%.0f" % drained if drained is not None else "NOT",
            everything,
            deferred,
            len(batches),
            most,
            longest_gap(batches),
            (returned - batches[-1]).total_seconds() if batches else 0.0,
            swept,
            "yes" if worker_alive else "NO",
        )
        + "; ".join(
            "%s: %d" % (name, len(found[name]))
            for name in ("lost", "unseen", "duplicated", "waiting", "twice")
        )
        + "\n"
    )
    failed = (
        refused
        or any(found.values())
        or not all(phases)
        or drained is None
        or everything > args.within
        or not worker_alive
    )
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outage", type=float, default=600, help="seconds down")
    parser.add_argument("--before", type=float, default=60)
    parser.add_argument("--after", type=float, default=60)
    parser.add_argument(
        "--within",
        type=float,
        default=420,
        help="seconds after the return by which every application must be verified",
    )
    parser.add_argument("--clients", type=int, default=4)
    return in_a_folder_of_its_own("ier-outage-", run, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
