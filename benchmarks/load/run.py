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
                                  [--same-person]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import journey
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


def start_nginx(var: Path, port: int, node_ports: list[int]) -> subprocess.Popen:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    conf = (PROJECT / "deploy" / "nginx.conf").read_text()
    servers = "".join(
        "        server 127.0.0.1:%d max_fails=0;\n" % p for p in node_ports
    )
    lines = [
        line
        for line in conf.splitlines(keepends=True)
        if "server 127.0.0.1:81" not in line
    ]
    conf = "".join(lines).replace("least_conn;\n", "least_conn;\n" + servers)
    conf = conf.replace("listen 127.0.0.1:8100", "listen 127.0.0.1:%d" % port)
    # Simulated people each send their own address; on loopback nginx passes it on.
    conf = conf.replace(
        "X-Forwarded-For $remote_addr", "X-Forwarded-For $http_x_forwarded_for"
    )
    prefix = var / "nginx"
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    (prefix / "nginx.conf").write_text(conf)
    return subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", "nginx.conf", "-g", "daemon off;"]
    )


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
    parser.add_argument("--verbose", action="store_true")
    return parser.parse_args()


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
    node_ports = [free_port() for _ in range(args.nodes)]
    processes = [start_node(env, port, args) for port in node_ports]
    try:
        for node, port in enumerate(node_ports):
            journey.wait_until_up("http://127.0.0.1:%d" % port)
            first = node * 2 * args.workers
            warm_up(
                "http://127.0.0.1:%d" % port,
                crowd[first : first + 2 * args.workers],
            )
        if args.nodes > 1:
            port = free_port()
            processes.append(start_nginx(var, port, node_ports))
            journey.wait_until_up("http://127.0.0.1:%d" % port)
        else:
            port = node_ports[0]
        started = time.monotonic()
        summary = run_locust(env, "http://127.0.0.1:%d" % port, args, var)
        duration = time.monotonic() - started
    finally:
        for process in processes:
            journey.stop(process)
    sys.stdout.write(report(summary, duration, args))
    return check(env, var, summary, args.same_person)


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
