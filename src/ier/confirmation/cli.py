"""`ier confirm` and `ier seed-confirmation`: argument parsing and exit codes.

Exit codes: 0 done; 2 bad arguments or an input file that breaks the contract
(the message says what and where; no output is written).
"""

import argparse
import logging
import sys
from pathlib import Path

from ier.confirmation import assign, evaluation, inputs

logger = logging.getLogger("ier.confirmation")


def _confirm_parser() -> argparse.ArgumentParser:
    defaults = assign.Thresholds()
    parser = argparse.ArgumentParser(
        prog="ier confirm",
        description="Bulk confirmation: match every elector of a register against a "
        "reference set of identity records.",
    )
    parser.add_argument("--register", type=Path, required=True, help="register CSV")
    parser.add_argument("--reference", type=Path, required=True, help="reference CSV")
    parser.add_argument("--out", type=Path, required=True, help="results CSV to write")
    parser.add_argument("--report", type=Path, help="HTML report to write")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument(
        "--work-dir",
        type=Path,
        help="where to keep work between steps (default: OUT.work)",
    )
    parser.add_argument(
        "--keep-work-dir",
        action="store_true",
        help="keep the work directory after a successful run",
    )
    parser.add_argument(
        "--partition-size",
        type=int,
        default=1_000_000,
        help="electors per partition (postcode areas are kept whole)",
    )
    parser.add_argument("--green-threshold", type=float, default=defaults.green)
    parser.add_argument("--amber-threshold", type=float, default=defaults.amber)
    parser.add_argument(
        "--margin",
        type=float,
        default=defaults.margin,
        help="bits of match weight a green must lead the next candidate by",
    )
    parser.add_argument("--threads", type=int, help="default: all cores")
    parser.add_argument(
        "--memory-limit",
        default="3GB",
        help="DuckDB memory limit (beyond it, work spills to the work directory)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--evaluate",
        type=Path,
        metavar="TRUTH",
        help="truth CSV (elector_id, person_id): print green precision and "
        "recall and the blocking recall of each rule",
    )
    return parser


def _configure_logging() -> None:
    logging.basicConfig(
        level=logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logger.setLevel(logging.INFO)


def _summary_text(summary) -> str:
    total = summary.electors or 1
    lines = [
        "Confirmed %s electors against %s people in %.1f s (%d partitions, %d resumed)."
        % (
            f"{summary.electors:,}",
            f"{summary.people:,}",
            summary.seconds,
            summary.partitions,
            summary.partitions_resumed,
        ),
    ]
    steps = ", ".join(
        "%s %.1f s (CPU %.1f s)"
        % (name, seconds, summary.step_cpu_seconds.get(name, 0.0))
        for name, seconds in summary.step_seconds.items()
    )
    lines.append(f"  steps: {steps}")
    for rag in ("green", "amber", "red"):
        count = summary.counts.get(rag, 0)
        lines.append("  %-5s %12s  %5.1f%%" % (rag, f"{count:,}", 100 * count / total))
    lines.append(
        "  exact matches: %s electors agree exactly with one person"
        % f"{summary.matched_exactly:,}"
    )
    if summary.candidates:
        lines.append(
            "  candidate pairs: at most %s from the exact matches and %d blocking rules"
            % (
                f"{sum(rule.candidate_pairs for rule in summary.candidates):,}",
                len(summary.candidates) - 1,
            )
        )
    text = "\n".join(lines) + "\n"
    if summary.evaluated:
        text += evaluation.text(summary.evaluated)
    return text


def confirm_main(args: list[str]) -> int:
    """Run `ier confirm ARGS`; return the exit code."""
    from ier.confirmation import pipeline

    options = _confirm_parser().parse_args(args)
    _configure_logging()
    request = pipeline.ConfirmRequest(
        register=options.register,
        reference=options.reference,
        out=options.out,
        report=options.report,
        engine=options.engine,
        work_dir=options.work_dir,
        partition_size=options.partition_size,
        thresholds=assign.Thresholds(
            options.green_threshold, options.amber_threshold, options.margin
        ),
        threads=options.threads,
        memory_limit=options.memory_limit,
        progress=not options.no_progress,
        keep_work_dir=options.keep_work_dir,
        truth=options.evaluate,
    )
    try:
        summary = pipeline.confirm(request)
    except inputs.InputFileError as error:
        sys.stderr.write(f"ier confirm: {error}\n")
        return 2
    sys.stdout.write(_summary_text(summary))
    return 0


def _seed_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ier seed-confirmation",
        description="Write a synthetic register, reference set and truth file.",
    )
    parser.add_argument(
        "--size", type=int, required=True, help="electors on the register"
    )
    parser.add_argument("--out", type=Path, required=True, help="directory to write to")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same files")
    parser.add_argument(
        "--without-dates-of-birth",
        action="store_true",
        help="leave date_of_birth empty on both sides",
    )
    return parser


def seed_main(args: list[str]) -> int:
    """Run `ier seed-confirmation ARGS`; return the exit code."""
    from ier.confirmation import synthetic

    options = _seed_parser().parse_args(args)
    if options.size < 1:
        sys.stderr.write("ier seed-confirmation: --size must be at least 1\n")
        return 2
    counts = synthetic.generate(
        options.size, options.out, options.seed, not options.without_dates_of_birth
    )
    sys.stdout.write(
        "Wrote {} electors, {} people ({} electors have a record) to {}\n".format(
            "{:,}".format(counts["register"]),
            "{:,}".format(counts["reference"]),
            "{:,}".format(counts["true_matches"]),
            options.out,
        )
    )
    return 0
