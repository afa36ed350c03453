"""Deadline-night load test on loopback: one web node, or several behind nginx.

Prepares a database (a fresh SQLite file, or the PostgreSQL database named by
--database-url, emptied of applications), starts --nodes gunicorn masters
(deploy/gunicorn.conf.py), puts nginx in front when there are several, runs Locust
headless for --duration seconds, and prints applications per second, page latency
percentiles for journeys already started, and errors.

    python benchmarks/load/run.py [--nodes 1] [--users 40] [--duration 30]

With --rolling-restart S, S seconds into the run the nodes are restarted one at a
time, each taken out of nginx first (a deploy); the run then fails unless no request
failed and every reference shown to a person is stored, with one "submitted" event.
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

import httpx
import nginx_local  # beside this file

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


def prepare(env: dict) -> list:
    ier(env, "migrate", "--noinput")
    ier(env, "seed", "--postcodes-per-authority", "1")
    ier(env, "collectstatic", "--noinput")
    script = (
        "import json;from ier.geography.models import Address;"
        "from ier.registration.models import Application;"
        "Application.objects.filter(last_name='Loadtest').delete();"
        "print(json.dumps(list(Address.objects.filter(synthetic=True,"
        " authority__nation='England').values_list('postcode','uprn')[:50])))"
    )
    return json.loads(ier(env, "shell", "-c", script).strip().splitlines()[-1])


def wait_until_up(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("%s did not start" % base)


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
        wait_until_up("http://127.0.0.1:%d" % port)
        balancer.send_to(list(nodes))
        log.append("node :%d restarted in %.1f s" % (port, time.monotonic() - began))
        time.sleep(args.drain)


def stored(env: dict, var: Path, references: list[str]) -> tuple[int, int]:
    """How many of the references shown are stored, and how many of those have
    other than exactly one "submitted" event."""
    path = var / "references.json"
    path.write_text(json.dumps(references))
    script = (
        "import json;from django.db.models import Count, Q;"
        "from ier.registration.models import Application as A;"
        "refs = json.load(open(%r));"
        "found = A.objects.filter(reference__in=refs).annotate(n=Count('events',"
        " filter=Q(events__event='submitted')));"
        "print(found.count(), found.exclude(n=1).count())" % str(path)
    )
    counts = ier(env, "shell", "-c", script).strip().splitlines()[-1].split()
    return int(counts[0]), int(counts[1])


def warm_up(base: str, address: tuple, count: int) -> None:
    """Every page once per worker, so template compilation is not measured."""
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    from journey import Applicant

    for index in range(count):
        Applicant(base, tuple(address), index).apply()


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
        "--rolling-restart",
        type=float,
        default=0,
        help="seconds into the run to restart the nodes one at a time (0: none);"
        " fails on any failed request or lost application",
    )
    parser.add_argument(
        "--drain", type=float, default=5, help="seconds a node is out of nginx first"
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if args.rolling_restart and args.nodes < 2:
        parser.error("--rolling-restart needs --nodes 2 or more")
    return args


def main() -> None:
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
    addresses = prepare(env)
    env["IER_LOAD_ADDRESSES"] = json.dumps(addresses)
    nodes = {
        port: start_node(env, port, args)
        for port in [free_port() for _ in range(args.nodes)]
    }
    balancer = None
    restarts: list[str] = []
    try:
        for port in nodes:
            wait_until_up("http://127.0.0.1:%d" % port)
            warm_up("http://127.0.0.1:%d" % port, addresses[0], 2 * args.workers)
        if args.nodes > 1:
            balancer = Balancer(var, free_port(), list(nodes))
            port = balancer.port
            wait_until_up("http://127.0.0.1:%d" % port)
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
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
    sys.stdout.write(report(summary, duration, args))
    if args.rolling_restart:
        shown = summary["references"]
        found, not_once = stored(env, var, shown)
        sys.stdout.write(
            "  rolling restart: %s\n"
            "  references shown: %d (%d distinct); stored: %d; lost: %d; stored with"
            " other than one submitted event: %d\n"
            % (
                "; ".join(restarts),
                len(shown),
                len(set(shown)),
                found,
                len(set(shown)) - found,
                not_once,
            )
        )
        complete = len(restarts) == args.nodes and "" not in shown
        if summary["errors"] or found != len(set(shown)) or not_once or not complete:
            sys.exit(1)


if __name__ == "__main__":
    main()
