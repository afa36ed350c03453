"""The cost of a bare Django response (/healthz) in process, with the full middleware.

The denominator of issue 19's ratio, measured as `benchmarks/journey_inprocess.py`
measures an application: each request a call of Django's WSGI handler in this
process, so the figure is the service's own per-request work and no HTTP server's.
A change to what every request pays lowers this and the application alike.

    python benchmarks/bare_inprocess.py [--requests 2000] [--var DIR] [--callgrind]

Under `valgrind --tool=callgrind --instr-atstart=no`, `--callgrind` counts only the
measured requests (divide the "totals:" line by --requests).
"""

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from journey_inprocess import callgrind, demo_django, wsgi_environ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--path", default="/healthz")
    parser.add_argument("--var", type=Path, help="an existing demo data directory")
    parser.add_argument("--callgrind", action="store_true")
    args = parser.parse_args()
    demo_django(args.var, 100)
    from django.core.handlers.wsgi import WSGIHandler

    application = WSGIHandler()

    def one() -> None:
        chunks = application(
            wsgi_environ("GET", args.path, "127.9.9.9"), lambda status, headers: None
        )
        b"".join(chunks)
        chunks.close()

    for _ in range(50):
        one()
    # A full collection of the warm process's objects costs about as much as a
    # hundred requests; start the count just after one, as the applications'
    # count cannot (compare those without the collector, see
    # docs/performance-history.md).
    gc.collect()
    if args.callgrind:
        callgrind("on")
    started = time.process_time()
    for _ in range(args.requests):
        one()
    spent = time.process_time() - started
    if args.callgrind:
        callgrind("off")
    sys.stdout.write(
        "%s: %.1f microseconds CPU a request in process; load average %.2f\n"
        % (args.path, spent / args.requests * 1e6, os.getloadavg()[0])
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
