"""The application's own CPU per complete application, without an HTTP server.

The same applicants as `benchmarks/journey.py` (every GET and POST a person's
browser makes), but each request is a call of Django's WSGI handler in this process,
with the full middleware, so the figure is the service's own code and no HTTP
server's. On a shared machine this is steadier than the server-side figure; with
`--pages` it also says which pages cost what.

    python benchmarks/journey_inprocess.py [--applications 30] [--journey ordinary]
                                           [--pages] [--var DIR] [--same-person]
                                           [--profile FILE] [--callgrind]

Without `--var` a fresh demo database is made (migrated and seeded) in a temporary
directory; `--var` reuses one, so two builds can be compared on the same data (each
run's people follow those already stored, so no one applies twice). Every
application is a different person at a different address, as in
`benchmarks/journey.py`; `--same-person` sends the earlier applicants. The stored
applications are checked against what was sent; the exit status is non-zero if any
is wrong, missing or doubled.

Builds are best compared on a shared machine in instructions: run under callgrind
with instrumentation off at the start and `--callgrind`, which switches it on for
the measured applications only (the warm-up and the check are not counted), each
build from its own checkout on a copy of one demo directory:

    PYTHONHASHSEED=0 valgrind --tool=callgrind --instr-atstart=no \
        --callgrind-out-file=OUT python benchmarks/journey_inprocess.py \
        --applications 3 --var COPY --callgrind
    callgrind_annotate OUT | head   # "PROGRAM TOTALS": divide by --applications
"""

import argparse
import collections
import cProfile
import io
import os
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import journey
import people

SPENT: dict[str, float] = collections.defaultdict(float)
CALLS: collections.Counter[str] = collections.Counter()


class Response:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status_code = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.text = body.decode()


class InProcessClient:
    """Just enough of httpx.Client for the applicants: cookies, GET and form POST.

    Not httpx's own WSGI transport: its CPU per request, which this process would
    count as the application's, is larger than the middleware being measured."""

    base_url = "http://127.0.0.1"

    def __init__(self, application, forwarded: str):
        self.application = application
        self.forwarded = forwarded
        self.cookies: dict[str, str] = {}

    def call(self, method: str, path: str, body: bytes = b"") -> Response:
        started = time.process_time()
        environ = wsgi_environ(method, path, self.forwarded, body)
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(
                "%s=%s" % c for c in self.cookies.items()
            )
        seen: dict = {}

        def start_response(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers

        chunks = self.application(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        for name, value in seen["headers"]:
            if name.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
        page = method + " " + path
        SPENT[page] += time.process_time() - started
        CALLS[page] += 1
        return Response(seen["status"], seen["headers"], content)

    def get(self, path: str) -> Response:
        return self.call("GET", path)

    def post(self, path: str, data: dict, headers: dict | None = None) -> Response:
        return self.call("POST", path, urlencode(data).encode())


def wsgi_environ(method: str, path: str, forwarded: str, body: bytes = b"") -> dict:
    """A request as gunicorn hands it to Django, from one client behind the proxy."""
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": forwarded,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else "",
    }


def demo_django(var: Path | None, people_wanted: int) -> Path:
    """Set up Django in this process on a demo data directory (made if missing)."""
    os.environ.update(
        IER_MODE="demo",
        DJANGO_SETTINGS_MODULE="ier.config.settings.demo",
        IER_TRUSTED_PROXY_COUNT="1",
    )
    var = var or Path(tempfile.mkdtemp(prefix="ier-bench-"))
    os.environ["IER_VAR_DIR"] = str(var)
    if not (var / "ier.sqlite3").exists():
        journey.prepare(dict(os.environ), people_wanted)

    import django

    django.setup()
    return var


def callgrind(switch: str) -> None:
    """Switch callgrind's instrumentation of this process on or off, and wait.

    Sleeping, not spinning, while callgrind_control waits: the sleeps are system
    calls, at which valgrind reads the command, and cost next to no instructions."""
    control = subprocess.Popen(
        ["callgrind_control", "-i", switch, str(os.getpid())],
        stdout=subprocess.DEVNULL,
    )
    while control.poll() is None:
        time.sleep(0.002)


def measure(applicants: list, profile, count_instructions: bool) -> float:
    """CPU seconds the applicants' journeys took, each under `profile` if given."""
    if count_instructions:
        callgrind("on")
    started = time.process_time()
    for one in applicants:
        if profile:
            profile.runcall(one.apply)
        else:
            one.apply()
    spent = time.process_time() - started
    if count_instructions:
        callgrind("off")
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=30)
    parser.add_argument(
        "--journey", choices=["ordinary", "overseas"], default="ordinary"
    )
    parser.add_argument("--pages", action="store_true", help="cost of each page")
    parser.add_argument("--var", type=Path, help="an existing demo data directory")
    parser.add_argument(
        "--profile",
        type=Path,
        help="write a cProfile of the measured applications (CPU time) here",
    )
    parser.add_argument(
        "--same-person",
        action="store_true",
        help="one postcode, address and NINO for every application, as before",
    )
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="under valgrind --tool=callgrind --instr-atstart=no: count only the"
        " measured applications",
    )
    args = parser.parse_args()

    warm = 5
    demo_django(args.var, 20 * (warm + args.applications))
    from django.core.handlers.wsgi import WSGIHandler

    application = WSGIHandler()
    person = (
        journey.OverseasApplicant if args.journey == "overseas" else journey.Applicant
    )
    from ier.registration.models import Application

    already = Application.objects.count()
    applicants = people.applicants(
        people.english_addresses(),
        warm + args.applications,
        first=already,
        same_person=args.same_person,
    )
    run = int(time.time()) % 200

    def applicant(index: int):
        one = person.__new__(person)
        one.client = InProcessClient(
            application,
            "127.%d.%d.%d" % (run + 20, index // 250 % 250, index % 250 + 1),
        )
        one.person = one.as_sent(applicants[index])
        one.index = already + index
        return one

    for index in range(warm):  # warm caches and templates
        applicant(index).apply()
    SPENT.clear()
    CALLS.clear()
    journey.REQUESTS[0] = 0
    load_before = os.getloadavg()
    profile = cProfile.Profile(time.process_time) if args.profile else None
    measured = [applicant(warm + index) for index in range(args.applications)]
    cpu = measure(measured, profile, args.callgrind) / args.applications
    if profile:
        profile.dump_stats(args.profile)
    load_after = os.getloadavg()
    sys.stdout.write(
        "%s journey, %s: %.1f ms CPU per application in process (%.0f requests"
        " each); load average %.2f %.2f %.2f before, %.2f %.2f %.2f after\n"
        % (
            args.journey,
            "same person" if args.same_person else "different people",
            cpu * 1000,
            journey.REQUESTS[0] / args.applications,
            *load_before,
            *load_after,
        )
    )
    if args.pages:
        for page, spent in sorted(SPENT.items(), key=lambda item: -item[1]):
            sys.stdout.write(
                "  %6.2f ms per application  %5.2f ms a request  %s\n"
                % (
                    spent / args.applications * 1000,
                    spent / CALLS[page] * 1000,
                    page,
                )
            )

    return check(already, warm + args.applications, args.same_person)


def check(already: int, sent: int, same_person: bool) -> int:
    """Every application of this run stored once, as sent; the exit status."""
    from ier.registration.models import Application

    problems = []
    if len(journey.SENT) != sent:
        problems.append(
            "%d of %d journeys reached their reference" % (len(journey.SENT), sent)
        )
    earlier = set(
        Application.objects.order_by("pk")[:already].values_list("reference", flat=True)
    )
    problems += people.check_stored(journey.SENT, same_person, earlier)
    sys.stdout.write(
        "check: %d applications stored once each, as sent\n" % len(journey.SENT)
        if not problems
        else "CHECK FAILED:\n" + "".join("  %s\n" % p for p in problems)
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
