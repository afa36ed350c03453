"""Deadline-night load test on loopback: one web node, or several behind nginx.

Prepares a database (a fresh SQLite file, or the PostgreSQL database named by
--database-url, emptied of applications), starts --nodes gunicorn masters
(deploy/gunicorn.conf.py), puts nginx in front when there are several, runs Locust
headless for --duration seconds, and prints applications per second, page latency
percentiles for journeys already started, and errors.

Every simulated person is a different one at a different address
(benchmarks/people.py); `--same-person` sends the earlier applicants (one postcode,
address and NINO for all). Afterwards every stored application is checked against
what its person sent: the run exits non-zero if one is missing, doubled, stored
differently or stored without anyone having been given its reference, or if the
people ran out before the time did.

    python benchmarks/load/run.py [--nodes 1] [--users 40] [--duration 30]
                                  [--same-person] [--rolling-restart S]

With --rolling-restart S, S seconds into the run the nodes are restarted one at a
time, each taken out of nginx first (a deploy); the run then also fails if any
request failed or a node did not come back.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import journey
import nginx_local  # beside this file
import people

PROJECT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ier(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "ier.cli", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=PROJECT,
    ).stdout


def prepare(env: dict, postcodes_per_council: int) -> list:
    """The database migrated, seeded and emptied of applications; its addresses in
    England."""
    ier(env, "migrate", "--noinput")
    ier(env, "seed", "--postcodes-per-authority", str(postcodes_per_council))
    ier(env, "collectstatic", "--noinput")
    script = (
        "import json,sys;sys.path.insert(0,%r);import people;"
        "from ier.registration.models import Application;"
        "Application.objects.all().delete();"
        "print(json.dumps(people.english_addresses()))" % str(PROJECT / "benchmarks")
    )
    return json.loads(ier(env, "shell", "-c", script).strip().splitlines()[-1])


def start_node(env: dict, port: int, args) -> subprocess.Popen:
    node_env = {
        **env,
        "IER_BIND": "127.0.0.1:%d" % port,
        "IER_GUNICORN_WORKERS": str(args.workers),
        "IER_GUNICORN_THREADS": str(args.threads),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(PROJECT / "deploy" / "gunicorn.conf.py"),
            "ier.config.wsgi:application",
        ],
        env=node_env,
        cwd=PROJECT,
    )


class Balancer:
    """deploy/nginx.conf in plain HTTP on loopback, passing on each simulated
    person's own address; `send_to` changes its nodes and reloads it."""

    def __init__(self, var: Path, port: int, node_ports: list[int]):
        self.prefix = var / "nginx"
        self.prefix.mkdir(parents=True, exist_ok=True)
        self.port, self.http_port = port, free_port()
        self.certificate = nginx_local.self_signed(self.prefix)
        self.config = self.write(node_ports)
        self.process = nginx_local.start(self.config)

    def write(self, node_ports: list[int]) -> Path:
        return nginx_local.loopback_config(
            self.prefix,
            node_ports,
            https_port=self.port,
            http_port=self.http_port,
            certificate=self.certificate,
            tls=False,
            pass_client_address=True,
        )

    def send_to(self, node_ports: list[int]) -> None:
        self.write(node_ports)
        subprocess.run(
            [
                nginx_local.nginx_binary(),
                "-p",
                str(self.prefix),
                "-c",
                str(self.config),
                "-s",
                "reload",
            ],
            check=True,
        )


def rolling_restart(balancer: Balancer, nodes: dict, env: dict, args, log: list):
    """Each node in turn: taken out of nginx, given time to finish what it has,
    stopped (SIGTERM: gunicorn finishes requests in flight), started again, and put
    back once it answers."""
    time.sleep(args.rolling_restart)
    for port in list(nodes):
        balancer.send_to([other for other in nodes if other != port])
        time.sleep(args.drain)
        nodes[port].terminate()
        nodes[port].wait(timeout=30)
        began = time.monotonic()
        nodes[port] = start_node(env, port, args)
        journey.wait_until_up("http://127.0.0.1:%d" % port)
        balancer.send_to(list(nodes))
        log.append("node :%d restarted in %.1f s" % (port, time.monotonic() - began))
        time.sleep(args.drain)


def warm_up(base: str, applicants: list) -> None:
    """Every page once per worker, so template compilation is not measured."""
    for index, person in enumerate(applicants):
        journey.Applicant(base, person, index).apply()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0


def report(summary: dict, duration: float, args) -> str:
    latencies = summary["latencies"]
    requests = len(latencies)
    return (
        "nodes=%d workers=%d threads=%d users=%d duration=%ds new-limit=%s\n"
        "  applications submitted: %d (%.1f per second)\n"
        "  journeys started: %d; people turned away by the busy page: %d\n"
        "  in-journey requests: %d; errors: %d (%.2f%%)\n"
        "  in-journey page latency: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms\n"
        % (
            args.nodes,
            args.workers,
            args.threads,
            args.users,
            duration,
            args.new_limit,
            summary["submitted"],
            summary["submitted"] / duration,
            summary["started"],
            summary["turned_away"],
            requests,
            summary["errors"],
            100 * summary["errors"] / max(1, requests),
            1000 * percentile(latencies, 0.5),
            1000 * percentile(latencies, 0.95),
            1000 * percentile(latencies, 0.99),
        )
    )


def run_locust(env: dict, base: str, args, var: Path) -> dict:
    summary_path = var / "summary.json"
    locust_env = {
        **env,
        "IER_LOAD_SUMMARY": str(summary_path),
        "IER_LOAD_THINK": args.think,
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            base,
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            "%ds" % args.duration,
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],
        env=locust_env,
        cwd=PROJECT,
        check=True,
        stdout=subprocess.DEVNULL if not args.verbose else None,
    )
    return json.loads(summary_path.read_text())


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="per node")
    parser.add_argument("--threads", type=int, default=8, help="per worker")
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=45)
    parser.add_argument(
        "--think", default="0.5,1.5", help="seconds between pages: min,max"
    )
    parser.add_argument("--new-limit", type=int, default=0, help="0: admission off")
    parser.add_argument("--max-limit", type=int, default=0)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--same-person",
        action="store_true",
        help="one postcode, address and NINO for every application, as before",
    )
    parser.add_argument(
        "--postcodes-per-council",
        type=int,
        default=4,
        help="seeded postcodes (about 15 addresses each) per council",
    )
    parser.add_argument(
        "--rolling-restart",
        type=float,
        default=0,
        help="seconds into the run to restart the nodes one at a time (0: none);"
        " fails on any failed request as well as on a lost application",
    )
    parser.add_argument(
        "--drain", type=float, default=5, help="seconds a node is out of nginx first"
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if args.rolling_restart and args.nodes < 2:
        parser.error("--rolling-restart needs --nodes 2 or more")
    return args


def main() -> int:
    args = parse_args()
    var = Path(tempfile.mkdtemp(prefix="ier-load-"))
    env = {
        **os.environ,
        "IER_MODE": "demo",
        "IER_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.demo",
        "IER_ADMISSION_NEW_IN_FLIGHT": str(args.new_limit),
        "IER_ADMISSION_MAX_IN_FLIGHT": str(args.max_limit),
        "IER_LOG_LEVEL": "ERROR",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    addresses = prepare(env, args.postcodes_per_council)
    warm = 2 * args.workers * args.nodes
    # More people than the users could possibly get through in the time.
    crowd = people.applicants(
        addresses,
        warm + max(5000, 2 * args.users * args.duration),
        same_person=args.same_person,
    )
    env["IER_LOAD_PEOPLE"] = str(var / "people.json")
    (var / "people.json").write_text(json.dumps([p.as_json() for p in crowd[warm:]]))
    nodes = {
        port: start_node(env, port, args)
        for port in [free_port() for _ in range(args.nodes)]
    }
    balancer = None
    restarts: list[str] = []
    try:
        for node, port in enumerate(nodes):
            journey.wait_until_up("http://127.0.0.1:%d" % port)
            first = node * 2 * args.workers
            warm_up(
                "http://127.0.0.1:%d" % port,
                crowd[first : first + 2 * args.workers],
            )
        if args.nodes > 1:
            balancer = Balancer(var, free_port(), list(nodes))
            port = balancer.port
            journey.wait_until_up("http://127.0.0.1:%d" % port)
        else:
            port = next(iter(nodes))
        restarting = threading.Thread(
            target=rolling_restart, args=(balancer, nodes, env, args, restarts)
        )
        if args.rolling_restart:
            restarting.start()
        started = time.monotonic()
        summary = run_locust(env, "http://127.0.0.1:%d" % port, args, var)
        duration = time.monotonic() - started
        if args.rolling_restart:
            restarting.join()
    finally:
        processes = [*nodes.values(), *([balancer.process] if balancer else [])]
        for process in processes:
            journey.stop(process)
    sys.stdout.write(report(summary, duration, args))
    status = check(env, var, summary, args.same_person)
    if args.rolling_restart:
        sys.stdout.write("  rolling restart: %s\n" % "; ".join(restarts))
        if summary["errors"] or len(restarts) != args.nodes:
            sys.stdout.write(
                "  ROLLING RESTART FAILED: a request failed or a node"
                " did not come back\n"
            )
            status = 1
    return status


def check(env: dict, var: Path, summary: dict, same_person: bool) -> int:
    """Every stored application against what its person sent; the exit status."""
    sent = {
        **journey.SENT,
        **{ref: people.Person.from_json(data) for ref, data in summary["sent"].items()},
    }
    unfinished = [people.Person.from_json(p) for p in summary["sending"]]
    problems = people.check_in_subprocess(env, sent, same_person, var, unfinished)
    if not summary["people_left"]:
        problems.append("the made-up people ran out before the time did")
    sys.stdout.write(
        "  check: %d applications stored once each, as sent\n" % len(sent)
        if not problems
        else "  CHECK FAILED:\n" + "".join("    %s\n" % p for p in problems)
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
