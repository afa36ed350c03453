"""Benchmark `ier confirm`: time, peak memory and green precision/recall by size.

    .venv/bin/python benchmarks/confirm.py --sizes 100000 300000 1000000

For each size it generates (once, cached under --data-dir) a synthetic register
and reference set with `ier seed-confirmation`, with and without dates of birth
(same seed, so the same people: the set without dates is the one with them, its
dates left empty), runs `ier confirm` on each as a child process,
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

from ier.confirmation import synthetic
from ier.confirmation.inputs import FIELDS

ROOT = Path(__file__).resolve().parent.parent
IER = ROOT / ".venv" / "bin" / "ier"
GREEN_PRECISION = 0.995
GREEN_RECALL = {True: 0.98, False: 0.95}  # with and without dates of birth


def generate(size: int, folder: Path, seed: int, with_dates: bool) -> None:
    if (folder / "truth.csv").exists():
        return
    if not with_dates:
        # The same seed draws the same set either way; only the dates differ.
        with_them = folder.with_name("%d-dob" % size)
        generate(size, with_them, seed, True)
        synthetic.drop_dates_of_birth(with_them, folder)
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
    subprocess.run(command, check=True)


def replicate(source: Path, copies: int, folder: Path) -> None:
    """Write `copies` copies of the set in `source` to `folder` as one set: a
    bigger country made of the same kind of people, quickly (the generator is
    too slow, and too hungry for memory, beyond a million).

    Copy k (from 0) keeps its postcode areas, so partitions grow as they would,
    but gets its own districts (k x D added to the district's number, D the
    highest district number of the set, so that every copy's districts are its
    own and keep the one or two digits of a British postcode), towns
    ("town k") and dates of birth (k x 3 years earlier), and ids of its own; the
    names repeat in every copy, as namesakes do in a bigger country, so the
    caps on crowded keys come into play as they would.
    """
    if (folder / "truth.csv").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    copy_numbers = f"range({copies:d}) AS c(k)"
    compact = "regexp_replace(upper(coalesce(postcode, '')), '[^A-Z0-9]', '', 'g')"
    parts = "'^([A-Z]{1,2})([0-9]{1,2})([0-9][A-Z]{2})$'"
    (highest,) = con.execute(
        f"SELECT coalesce(max(try_cast(regexp_extract({compact}, {parts}, 2) "
        "AS INTEGER)), 1) FROM read_csv([?, ?], all_varchar = true, "
        "union_by_name = true)",
        [str(source / "register.csv"), str(source / "reference.csv")],
    ).fetchall()[0]
    if copies * highest > 99:
        # A three-digit district is no British postcode: the copy would lose its
        # postcode area, and every such elector would fall in one partition.
        raise SystemExit(
            "%d copies of districts up to %d do not fit in two digits"
            % (copies, highest)
        )
    postcode = (
        f"CASE WHEN k = 0 OR NOT regexp_matches({compact}, {parts}) THEN postcode "
        f"ELSE regexp_extract({compact}, {parts}, 1) || (regexp_extract({compact}, "
        f"{parts}, 2)::INTEGER + {highest:d} * k)::VARCHAR || ' ' || "
        f"regexp_extract({compact}, {parts}, 3) END"
    )
    changed = {
        "town": "CASE WHEN k = 0 OR coalesce(town, '') = '' THEN town "
        "ELSE town || ' ' || k::VARCHAR END",
        "postcode": postcode,
        "date_of_birth": "CASE WHEN k = 0 THEN date_of_birth ELSE coalesce(strftime("
        "try_cast(date_of_birth AS DATE) - to_years(3 * k), '%Y-%m-%d'), "
        "date_of_birth) END",
    }
    for name, id_column in (("register", "elector_id"), ("reference", "person_id")):
        path = folder / f"{name}.csv"
        columns = [id_column, *FIELDS]
        select = ", ".join(
            f"{id_column} || CASE WHEN k = 0 THEN '' ELSE '-' || k::VARCHAR END "
            f"AS {id_column}"
            if column == id_column
            else f"{changed[column]} AS {column}"
            if column in changed
            else column
            for column in columns
        )
        con.execute(
            f"COPY (SELECT {select} FROM read_csv(?, all_varchar = true), "
            f"{copy_numbers}) TO '{path}' (HEADER, FORMAT csv)",
            [str(source / f"{name}.csv")],
        )
    suffix = "CASE WHEN k = 0 THEN '' ELSE '-' || k::VARCHAR END"
    con.execute(
        f"COPY (SELECT elector_id || {suffix} AS elector_id, CASE WHEN coalesce("
        f"person_id, '') = '' THEN person_id ELSE person_id || {suffix} END AS "
        f"person_id, differences FROM read_csv(?, all_varchar = true), "
        f"{copy_numbers}) TO '{folder / 'truth.csv'}' (HEADER, FORMAT csv)",
        [str(source / "truth.csv")],
    )


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


def confirm_options(options) -> list[str]:
    """The options of this command passed on to `ier confirm`."""
    extra = ["--engine", options.engine]
    if options.green_threshold:
        extra += ["--green-threshold", options.green_threshold]
    if options.partition_size:
        extra += ["--partition-size", options.partition_size]
    if options.keep_work_dir:
        extra += ["--keep-work-dir"]
    return extra


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench-confirm")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dates", choices=("with", "without", "both"), default="both")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--green-threshold", help="passed on to ier confirm")
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="run on this many copies of each size's set, as one set (see replicate)",
    )
    parser.add_argument("--partition-size", help="passed on to ier confirm")
    parser.add_argument("--keep-work-dir", action="store_true")
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
            if options.copies > 1:
                source, folder = (
                    folder,
                    folder.with_name("%s-x%d" % (folder.name, options.copies)),
                )
                replicate(source, options.copies, folder)
            out = folder / "results.csv"
            extra = confirm_options(options)
            load_before = os.getloadavg()[0]
            seconds, cpu, peak, stdout = run_confirm(folder, out, extra)
            load_after = os.getloadavg()[0]
            figures = accuracy(out, folder / "truth.csv")
            run = "%d electors, %s dates of birth" % (
                size * options.copies,
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
                    f"{size * options.copies:,}",
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
                        "size": size * options.copies,
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
