"""Server CPU per complete application, and applications per second, on this machine.

Starts the real web tier (`ier serve`, gunicorn sync workers) on a loopback port with a
fresh SQLite database, then drives complete ordinary applications through it — every
GET and POST a person's browser makes, including one validation error — from client
threads. The server's CPU is read from /proc for the gunicorn processes, so the
client's own CPU is not counted. A bare Django response through the same middleware
(/healthz) is measured in the same run as the baseline.

    python benchmarks/journey.py [--applications 300] [--clients 4] [--workers 2]
                                 [--journey ordinary|overseas]

`--journey overseas` takes the longest route there is: never registered, left the UK
as a child (so a parent's details are asked), no passport, and someone to confirm
who they are. Each applicant comes from its own address (X-Forwarded-For behind one
trusted proxy), as people do, so the per-address limits do not apply to the run.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_tree(root: int) -> list[int]:
    children = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(root)],
        capture_output=True,
        text=True,
    ).stdout.split()
    return [root, *[int(c) for c in children]]


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / CLOCK_TICKS


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


REQUESTS = [0]  # every request the applicants make, for the average per application


class Applicant:
    journey = "ordinary"

    def __init__(self, base: str, address: tuple[str, int], index: int):
        forwarded = "127.1.%d.%d" % (index // 250 % 250, index % 250 + 1)
        self.client = httpx.Client(
            base_url=base,
            follow_redirects=False,
            timeout=30,
            headers={"X-Forwarded-For": forwarded},
        )
        self.postcode, self.uprn = address
        self.index = index

    def page(self, path: str) -> str:
        REQUESTS[0] += 1
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.text

    def answer(self, path: str, data: dict, expect_error: bool = False) -> str:
        token = CSRF.search(self.page(path)).group(1)
        REQUESTS[0] += 1
        response = self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Referer": str(self.client.base_url) + path},
        )
        if expect_error:
            assert response.status_code == 200, (path, response.status_code)
            return path
        assert response.status_code == 302, (
            path,
            response.status_code,
            response.text[:300],
        )
        return response.headers["location"]

    def start_path(self) -> str:
        return "/register/start/"

    def apply(self) -> None:
        REQUESTS[0] += 1
        start = self.client.get(self.start_path())
        path = start.headers["location"]
        self.page("/")
        answers = self.answers()
        self.answer(path, {}, expect_error=True)  # one mistake, as people make
        while not path.endswith("/check-answers/"):
            slug = path.rstrip("/").split("/")[-1]
            path = self.answer(path, answers[slug])
        done = self.answer(path, {"declaration": "on"})
        assert done.endswith("/register/complete/"), done
        self.page(done)

    def answers(self) -> dict:
        return {
            "where-you-live": {"country": "england"},
            "nationality": {"nationality": "british"},
            "date-of-birth": {
                "date_of_birth-day": "3",
                "date_of_birth-month": "7",
                "date_of_birth-year": str(1950 + self.index % 50),
            },
            "name": {
                "first_name": "Alex",
                "last_name": "Example"
                + "".join(chr(65 + int(d)) for d in str(self.index)),
            },
            "previous-name": {"changed": "no"},
            "national-insurance-number": {"nino": "AB123456C"},
            "address": {"postcode": self.postcode},
            "address-select": {"uprn": str(self.uprn)},
            "moved": {"moved": "no"},
            "other-address": {"other_address": "no"},
            "open-register": {"open_register": "yes"},
            "postal-vote": {"postal_vote": "no-in-person"},
            "contact": {"email": "", "phone": ""},
        }


class OverseasApplicant(Applicant):
    journey = "overseas"

    def start_path(self) -> str:
        return "/register/start/overseas/"

    def answers(self) -> dict:
        return {
            "british-citizen": {"citizen": "british"},
            "date-of-birth": {
                "date_of_birth-day": "2",
                "date_of_birth-month": "9",
                "date_of_birth-year": "1990",
            },
            "last-registered": {"registered": "never"},
            "date-left": {"year_left": "2001"},
            "address": {"postcode": self.postcode},
            "address-select": {"uprn": str(self.uprn)},
            "parent-or-guardian": {
                "parent_first_name": "Gwen",
                "parent_last_name": "Lloyd",
                "parent_registered": "yes",
            },
            "passport": {"has_passport": "no"},
            "citizenship": {"how_citizen": "descent", "birthplace": "Toronto"},
            "name": {"first_name": "Rhiannon", "last_name": "Lloyd"},
            "previous-name": {"changed": "no"},
            "national-insurance-number": {"nino": "AB123456C"},
            "address-abroad": {
                "country": "ES",
                "address": "Calle Mayor 1\n28013 Madrid",
            },
            "attestation": {"attest": "yes"},
            "attestor": {
                "attestor_name": "Ifan Morgan",
                "attestor_postcode": "cf10 1aa",
                "attestor_email": "ifan@example.com",
            },
            "ways-to-vote": {"way": "proxy"},
            "open-register": {"open_register": "no"},
            "contact": {"email": "rhiannon@example.com", "phone": ""},
        }


def england_address(database: Path) -> tuple[str, int]:
    import sqlite3

    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT a.postcode, a.uprn FROM geography_address a"
            " JOIN geography_authority g ON g.id = a.authority_id"
            " WHERE g.nation = 'England' ORDER BY a.uprn LIMIT 1"
        ).fetchone()


def prepare(env: dict) -> None:
    """A fresh demo database in env's IER_VAR_DIR: migrated, seeded, with assets."""
    for command in (
        ["migrate", "--noinput"],
        ["seed", "--postcodes-per-authority", "1"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run(
            [sys.executable, "-m", "ier.cli", *command],
            env=env,
            check=True,
            capture_output=True,
        )


def run_clients(count: int, clients: int, work) -> float:
    started = time.perf_counter()
    threads = [
        threading.Thread(target=lambda k=k: [work(i) for i in range(k, count, clients)])
        for k in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bare-requests", type=int, default=3000)
    parser.add_argument(
        "--journey", choices=["ordinary", "overseas"], default="ordinary"
    )
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="ier-bench-"))
    env = {
        **os.environ,
        "IER_MODE": "demo",
        "IER_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "ier.config.settings.demo",
        "IER_TRUSTED_PROXY_COUNT": "1",
    }
    prepare(env)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ier.cli",
            "serve",
            "--bind",
            "127.0.0.1:%d" % port,
            "--workers",
            str(args.workers),
        ],
        env=env,
    )
    base = "http://127.0.0.1:%d" % port
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        address = england_address(var / "ier.sqlite3")
        person = OverseasApplicant if args.journey == "overseas" else Applicant
        person(base, address, 0).apply()  # warm every worker's templates
        run_clients(
            args.workers * 4, args.workers, lambda i: person(base, address, i).apply()
        )
        pids = process_tree(server.pid)

        bare = httpx.Client(base_url=base)
        before = cpu_seconds(pids)
        bare_wall = run_clients(args.bare_requests, 1, lambda i: bare.get("/healthz"))
        bare_cpu = (cpu_seconds(pids) - before) / args.bare_requests

        before = cpu_seconds(pids)
        REQUESTS[0] = 0
        wall = run_clients(
            args.applications,
            args.clients,
            lambda i: person(base, address, i + 1000).apply(),
        )
        app_cpu = (cpu_seconds(pids) - before) / args.applications
        requests_per_application = REQUESTS[0] / args.applications
    finally:
        server.terminate()
        server.wait(timeout=10)

    sys.stdout.write(
        "bare Django response (/healthz): %.2f ms server CPU per request"
        " (%.0f req/s, 1 client)\n"
        "complete application: %.1f ms server CPU (%.1f bare-response equivalents)\n"
        "  %d applications, %d clients, %d gunicorn workers:"
        " %.1f applications/s wall clock\n"
        "  %.0f requests per application: %.2f ms server CPU per request\n"
        % (
            bare_cpu * 1000,
            args.bare_requests / bare_wall,
            app_cpu * 1000,
            app_cpu / bare_cpu,
            args.applications,
            args.clients,
            args.workers,
            args.applications / wall,
            requests_per_application,
            app_cpu * 1000 / requests_per_application,
        )
    )


if __name__ == "__main__":
    main()
