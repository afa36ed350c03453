"""Server CPU per complete application, and applications per second, on this machine.

Starts the real web tier (`ier serve`, gunicorn sync workers) on a loopback port with a
fresh SQLite database, then drives complete ordinary applications through it — every
GET and POST a person's browser makes, including one validation error — from client
threads. The server's CPU is read from /proc for the gunicorn processes, so the
client's own CPU is not counted. A bare Django response through the same middleware
(/healthz) is measured in the same run as the baseline: half its requests just before
the applications and half just after, so a change in the machine's load meanwhile
shows (both halves are printed) and weighs on both sides of the ratio alike.

    python benchmarks/journey.py [--applications 300] [--clients 4] [--workers 2]
                                 [--journey ordinary|overseas] [--same-person]

`--journey overseas` takes the longest route there is: never registered, left the UK
as a child (so a parent's details are asked), no passport, and someone to confirm
who they are. Each applicant comes from its own address (X-Forwarded-For behind one
trusted proxy), as people do, so the per-address limits do not apply to the run.

Every application is a different person at a different address (benchmarks/people.py:
names, dates of birth and NINOs from the synthetic population, postcodes and UPRNs
from the seeded database); `--same-person` sends the applicants of the figures before
2026-12-07 (one postcode, address and NINO for all) for comparison. After the run
every application is checked against what was sent (stored once, as sent, nothing
else stored); the benchmark exits non-zero if any is wrong.
"""

import argparse
import dataclasses
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import people
from people import Person

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


def wait_until_up(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("%s did not start" % base)


def serve(env: dict, var: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """`ier serve` on a free loopback port, answering; the process and its URL."""
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
            str(workers),
        ],
        env=env,
        stdout=(var / "server.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = "http://127.0.0.1:%d" % port
    try:
        wait_until_up(base)
    except RuntimeError:
        stop(server)
        raise
    return server, base


def stop(process: subprocess.Popen) -> None:
    """Stop a server: gracefully if it will within a minute (a busy machine can
    take that long), else at once."""
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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
REFERENCE = re.compile(r"<strong>([^<]+)</strong>")


REQUESTS = [0]  # every request the applicants make, for the average per application
#: The person sent for each reference a confirmation page showed.
SENT: dict[str, Person] = {}


class Applicant:
    journey = "ordinary"

    def __init__(self, base: str, person: Person | tuple[str, int], index: int):
        """`person` is who applies, or the address (postcode, UPRN) of an
        applicant of the earlier figures."""
        if isinstance(person, tuple):
            person = people.one_for_all(person, index)
        forwarded = "127.1.%d.%d" % (index // 250 % 250, index % 250 + 1)
        self.client = httpx.Client(
            base_url=base,
            follow_redirects=False,
            timeout=30,
            headers={"X-Forwarded-For": forwarded},
        )
        self.person = self.as_sent(person)
        self.index = index

    def as_sent(self, person: Person) -> Person:
        return person

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
        shown = REFERENCE.search(self.page(done))
        if shown:  # a journey without a reference fails the benchmark's check
            SENT["".join(ch for ch in shown.group(1) if ch.isalnum())] = self.person

    def name(self) -> dict:
        return {
            "first_name": self.person.first_name,
            "middle_names": self.person.middle_names,
            "last_name": self.person.last_name,
        }

    def born(self) -> dict:
        return {
            "date_of_birth-day": str(self.person.date_of_birth.day),
            "date_of_birth-month": str(self.person.date_of_birth.month),
            "date_of_birth-year": str(self.person.date_of_birth.year),
        }

    def answers(self) -> dict:
        return {
            "where-you-live": {"country": "england"},
            "nationality": {"nationality": "british"},
            "date-of-birth": self.born(),
            "name": self.name(),
            "previous-name": {"changed": "no"},
            "national-insurance-number": {"nino": self.person.nino},
            "address": {"postcode": self.person.postcode},
            "address-select": {"uprn": str(self.person.uprn)},
            "moved": {"moved": "no"},
            "other-address": {"other_address": "no"},
            "open-register": {"open_register": "yes"},
            "postal-vote": {"postal_vote": "no-in-person"},
            "contact": {"email": "", "phone": ""},
        }


class OverseasApplicant(Applicant):
    journey = "overseas"

    def as_sent(self, person: Person) -> Person:
        """Born in 1990, so a child when they left in 2001 (a parent is asked for)."""
        return dataclasses.replace(person, date_of_birth=date(1990, 9, 2))

    def start_path(self) -> str:
        return "/register/start/overseas/"

    def answers(self) -> dict:
        return {
            "british-citizen": {"citizen": "british"},
            "date-of-birth": self.born(),
            "last-registered": {"registered": "never"},
            "date-left": {"year_left": "2001"},
            "address": {"postcode": self.person.postcode},
            "address-select": {"uprn": str(self.person.uprn)},
            "parent-or-guardian": {
                "parent_first_name": "Gwen",
                "parent_last_name": "Lloyd",
                "parent_registered": "yes",
            },
            "passport": {"has_passport": "no"},
            "citizenship": {"how_citizen": "descent", "birthplace": "Toronto"},
            "name": self.name(),
            "previous-name": {"changed": "no"},
            "national-insurance-number": {"nino": self.person.nino},
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


def prepare(env: dict, applications: int) -> None:
    """A fresh demo database in env's IER_VAR_DIR: migrated, seeded with enough
    postcodes for `applications` different ones, with assets."""
    seed = [
        "seed",
        "--postcodes-per-authority",
        str(people.postcodes_per_council(applications)),
    ]
    for command in (["migrate", "--noinput"], seed, ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "-m", "ier.cli", *command],
            env=env,
            check=True,
            capture_output=True,
        )


FAILED: list[str] = []  # applicants whose journey went wrong, and how


def run_clients(count: int, clients: int, work) -> float:
    def each(first: int) -> None:
        for index in range(first, count, clients):
            try:
                work(index)
            except (AssertionError, AttributeError, httpx.HTTPError) as error:
                FAILED.append("%s: %r" % (type(error).__name__, error)[:300])

    started = time.perf_counter()
    threads = [threading.Thread(target=each, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def healthz(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200, response.status_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bare-requests", type=int, default=3000)
    parser.add_argument(
        "--journey", choices=["ordinary", "overseas"], default="ordinary"
    )
    parser.add_argument(
        "--same-person",
        action="store_true",
        help="one postcode, address and NINO for every application, as before",
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
    env.pop("DATABASE_URL", None)
    warm = 1 + args.workers * 4
    prepare(env, warm + args.applications)
    applicants = people.applicants(
        people.english_addresses_sqlite(var / "ier.sqlite3"),
        warm + args.applications,
        same_person=args.same_person,
    )
    server, base = serve(env, var, args.workers)
    kind = OverseasApplicant if args.journey == "overseas" else Applicant
    try:
        kind(base, applicants[0], 0).apply()  # warm every worker's templates
        run_clients(
            warm - 1,
            args.workers,
            lambda i: kind(base, applicants[1 + i], 1 + i).apply(),
        )
        pids = process_tree(server.pid)

        bare = httpx.Client(base_url=base)
        half = args.bare_requests // 2
        load_before = os.getloadavg()
        before = cpu_seconds(pids)
        bare_wall = run_clients(half, 1, lambda i: healthz(bare))
        bare_first = (cpu_seconds(pids) - before) / half

        before = cpu_seconds(pids)
        REQUESTS[0] = 0
        wall = run_clients(
            args.applications,
            args.clients,
            lambda i: kind(base, applicants[warm + i], warm + i).apply(),
        )
        app_cpu = (cpu_seconds(pids) - before) / args.applications
        requests_per_application = REQUESTS[0] / args.applications

        before = cpu_seconds(pids)
        bare_wall += run_clients(half, 1, lambda i: healthz(bare))
        bare_second = (cpu_seconds(pids) - before) / half
        bare_cpu = (bare_first + bare_second) / 2
        load_after = os.getloadavg()
    finally:
        stop(server)

    sys.stdout.write(
        "%s, %s journey; load average %.2f %.2f %.2f before, %.2f %.2f %.2f after\n"
        "bare Django response (/healthz): %.2f ms server CPU per request"
        " (%.2f before the applications, %.2f after; %.0f req/s, 1 client)\n"
        "complete application: %.1f ms server CPU (%.1f bare-response equivalents)\n"
        "  %d applications, %d clients, %d gunicorn workers:"
        " %.1f applications/s wall clock\n"
        "  %.0f requests per application: %.2f ms server CPU per request\n"
        % (
            "same person" if args.same_person else "different people",
            args.journey,
            *load_before,
            *load_after,
            bare_cpu * 1000,
            bare_first * 1000,
            bare_second * 1000,
            2 * half / bare_wall,
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
    return report_check(env, var, warm + args.applications, args.same_person)


def report_check(env: dict, var: Path, sent: int, same_person: bool) -> int:
    """Check every application against what was sent; the exit status."""
    problems = []
    if FAILED:
        problems.append("%d journeys failed, first: %s" % (len(FAILED), FAILED[0]))
    if len(SENT) != sent:
        problems.append("%d of %d journeys reached their reference" % (len(SENT), sent))
    problems += people.check_in_subprocess(env, SENT, same_person, var)
    sys.stdout.write(
        "check: %d applications stored once each, as sent, %s\n"
        % (len(SENT), "no two alike" if not same_person else "one person")
        if not problems
        else "CHECK FAILED:\n" + "".join("  %s\n" % p for p in problems)
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
