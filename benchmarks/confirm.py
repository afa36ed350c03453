"""Benchmark `ier confirm`: time, peak memory and green precision/recall by size.

    .venv/bin/python benchmarks/confirm.py --sizes 100000 300000 1000000

For each size it generates (once, cached under --data-dir) a synthetic register
and reference set with `ier seed-confirmation`, with and without dates of birth
(same seed, so the same people), runs `ier confirm` on each as a child process,
and prints one Markdown table row per run for docs/performance.md. Time is the
wall clock of the whole command (reading CSV to writing results); peak memory is
the child's maximum resident set size. The one-minute load average before and
after each run says how much the machine was shared meanwhile.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
IER = ROOT / ".venv" / "bin" / "ier"
GREEN_PRECISION = 0.995
GREEN_RECALL = {True: 0.98, False: 0.95}  # with and without dates of birth


def generate(size: int, folder: Path, seed: int, with_dates: bool) -> None:
    if (folder / "truth.csv").exists():
        return
    command = [
        str(IER),
        "seed-confirmation",
        "--size",
        str(size),
        "--out",
        str(folder),
        "--seed",
        str(seed),
    ]
    if not with_dates:
        command.append("--without-dates-of-birth")
    subprocess.run(command, check=True)


def run_confirm(
    folder: Path, out: Path, extra: list[str]
) -> tuple[float, float, int, str]:
    """Run `ier confirm`; return (wall seconds, CPU seconds, peak RSS in bytes,
    stdout). CPU seconds (user + system) show how much of the wall time was spent
    waiting for a core on a shared machine."""
    command = [
        str(IER),
        "confirm",
        "--register",
        str(folder / "register.csv"),
        "--reference",
        str(folder / "reference.csv"),
        "--out",
        str(out),
        "--no-progress",
        *extra,
    ]
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("ier confirm failed: %s" % " ".join(command))
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss * 1024, stdout


def rated_once(results: Path, register: Path) -> bool:
    """Whether every elector of the register has exactly one result, and nobody
    else has one."""
    (wrong,) = (
        duckdb.connect()
        .execute(
            """
        WITH rated AS (
            SELECT elector_id, count(*) AS n
            FROM read_csv(?, all_varchar = true) GROUP BY elector_id
        )
        SELECT count(*) FROM rated
        FULL JOIN (SELECT DISTINCT elector_id FROM read_csv(?, all_varchar = true))
            AS register USING (elector_id)
        WHERE rated.n IS DISTINCT FROM 1 OR register.elector_id IS NULL
        """,
            [str(results), str(register)],
        )
        .fetchone()
    )
    return wrong == 0


def accuracy(results: Path, truth: Path) -> dict[str, float]:
    """Green precision and recall, and the shares of electors rated amber and
    red, from the results and truth files."""
    row = (
        duckdb.connect()
        .execute(
            """
        SELECT
            count(*) FILTER (WHERE rag = 'green') AS greens,
            count(*) FILTER (WHERE rag = 'green' AND r.person_id = t.person_id)
                AS right_greens,
            count(*) FILTER (WHERE coalesce(t.person_id, '') <> '') AS matchable,
            count(*) FILTER (WHERE rag = 'amber') AS ambers,
            count(*) FILTER (WHERE rag = 'red') AS reds,
            count(*) AS electors
        FROM read_csv(?, all_varchar = true) AS r
        JOIN read_csv(?, all_varchar = true) AS t USING (elector_id)
        """,
            [str(results), str(truth)],
        )
        .fetchall()[0]
    )
    greens, right, matchable, ambers, reds, electors = row
    return {
        "green_precision": right / greens if greens else 1.0,
        "green_recall": right / matchable,
        "amber_share": ambers / electors,
        "red_share": reds / electors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench-confirm")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dates", choices=("with", "without", "both"), default="both")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--green-threshold", help="passed on to ier confirm")
    options = parser.parse_args()
    variants = {"with": [True], "without": [False], "both": [True, False]}[
        options.dates
    ]
    sys.stdout.write(
        "machine: %s, %d cores, Python %s\n\n| electors | dates of birth | seconds |"
        " CPU seconds | peak memory (GiB) | green precision | green recall |"
        " amber share | load before / after |\n"
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
        % (platform.machine(), os.cpu_count(), platform.python_version())
    )
    problems = []
    for size in options.sizes:
        for with_dates in variants:
            folder = options.data_dir / (
                "%d-%s" % (size, "dob" if with_dates else "nodob")
            )
            generate(size, folder, options.seed, with_dates)
            out = folder / "results.csv"
            extra = ["--engine", options.engine]
            if options.green_threshold:
                extra += ["--green-threshold", options.green_threshold]
            load_before = os.getloadavg()[0]
            seconds, cpu, peak, stdout = run_confirm(folder, out, extra)
            load_after = os.getloadavg()[0]
            figures = accuracy(out, folder / "truth.csv")
            run = "%d electors, %s dates of birth" % (
                size,
                "with" if with_dates else "without",
            )
            if not rated_once(out, folder / "register.csv"):
                problems.append("%s: not every elector rated exactly once" % run)
            if figures["green_precision"] < GREEN_PRECISION:
                problems.append("%s: green precision below %s" % (run, GREEN_PRECISION))
            if figures["green_recall"] < GREEN_RECALL[with_dates]:
                problems.append(
                    "%s: green recall below %s" % (run, GREEN_RECALL[with_dates])
                )
            sys.stdout.write(
                "| %s | %s | %.1f | %.1f | %.2f | %.4f | %.4f | %.3f | %.1f / %.1f |\n"
                % (
                    f"{size:,}",
                    "yes" if with_dates else "no",
                    seconds,
                    cpu,
                    peak / 2**30,
                    figures["green_precision"],
                    figures["green_recall"],
                    figures["amber_share"],
                    load_before,
                    load_after,
                )
            )
            sys.stdout.flush()
            sys.stderr.write(
                json.dumps(
                    {
                        "size": size,
                        "dates": with_dates,
                        "seconds": seconds,
                        "cpu_seconds": cpu,
                        "summary": stdout,
                        "peak_bytes": peak,
                        "load_before": load_before,
                        "load_after": load_after,
                        **figures,
                    }
                )
                + "\n"
            )
    if problems:
        sys.stdout.write("CHECK FAILED:\n" + "".join("  %s\n" % p for p in problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
