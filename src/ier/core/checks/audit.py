"""Audits the pinned dependencies with pip-audit, telling "vulnerable" apart from
"could not be audited".

    python -m ier.core.checks.audit [--allow-unaudited] requirements/lock.txt

A known vulnerability in any pinned release always fails. A dependency the advisory
service could not answer for (PyPI's JSON API unreachable or answering "not found",
as on machines that reach only the package index) is not a pass: it is reported
loudly, and fails unless `--allow-unaudited` is given, which CI uses so that an
unreachable advisory service does not block every build. `make audit` (pip-audit
--strict) stays the gate to run before a release, where the service is reachable."""

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: What pip-audit and requests print when the advisory service cannot be reached.
UNREACHABLE_SIGNS = (
    "Could not connect to PyPI's vulnerability feed",
    "your network may be blocking this service",
    "PyPI is not redirecting properly",
    "Max retries exceeded",
    "Failed to establish a new connection",
    "NameResolutionError",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "Connection refused",
    "timed out",
)


@dataclass
class Verdict:
    vulnerable: list[str] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)
    audited: int = 0
    unreachable: str = ""
    failure: str = ""


def read_report(report: str, log: str) -> Verdict:
    """What a pip-audit run found, from its JSON report (empty when it stopped
    before writing one) and what it printed."""
    if not report.strip():
        sign = next((s for s in UNREACHABLE_SIGNS if s in log), "")
        if sign:
            return Verdict(unreachable=sign)
        return Verdict(failure=log.strip() or "pip-audit wrote no report")
    verdict = Verdict()
    for dependency in json.loads(report)["dependencies"]:
        if "skip_reason" in dependency:
            verdict.unaudited.append(dependency["skip_reason"])
            continue
        verdict.audited += 1
        for vulnerability in dependency.get("vulns", []):
            verdict.vulnerable.append(
                "%s %s: %s (fixed in %s)"
                % (
                    dependency["name"],
                    dependency["version"],
                    vulnerability["id"],
                    ", ".join(vulnerability.get("fix_versions", [])) or "no release",
                )
            )
    return verdict


def judge(verdict: Verdict, allow_unaudited: bool) -> tuple[int, list[str]]:
    """The exit status and the lines to print."""
    if verdict.failure:
        return 1, ["pip-audit failed:", verdict.failure]
    if verdict.vulnerable:
        lines = ["pip-audit: known vulnerabilities in pinned dependencies:"]
        return 1, lines + ["  %s" % v for v in verdict.vulnerable]
    warning = []
    if verdict.unreachable:
        warning = [
            "pip-audit: the advisory service could not be reached (%s);"
            % verdict.unreachable,
            "pip-audit: the dependencies were NOT audited.",
        ]
    elif verdict.unaudited:
        warning = [
            "pip-audit: %d of %d pinned dependencies were NOT audited "
            "(PyPI's advisory data did not answer for them); first: %s"
            % (
                len(verdict.unaudited),
                len(verdict.unaudited) + verdict.audited,
                verdict.unaudited[0],
            ),
        ]
    if warning:
        warning.append(
            "pip-audit: run 'make audit' where pypi.org's JSON API is reachable "
            "before a release."
        )
        return (0 if allow_unaudited else 1), ["*" * 78, *warning, "*" * 78]
    return 0, [
        "pip-audit: no known vulnerabilities in %d pinned dependencies"
        % verdict.audited
    ]


def run_pip_audit(pip_audit: str, requirements: Path) -> Verdict:
    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "report.json"
        # Our own virtualenv's pip-audit, with arguments from this code; no shell.
        finished = subprocess.run(  # noqa: S603
            [
                pip_audit,
                "--require-hashes",
                "--disable-pip",
                "--progress-spinner=off",
                "--format=json",
                "--output=%s" % report,
                "--requirement=%s" % requirements,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        text = report.read_text() if report.exists() else ""
    return read_report(text, finished.stdout + finished.stderr)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ier.core.checks.audit")
    parser.add_argument("requirements", type=Path)
    parser.add_argument("--allow-unaudited", action="store_true")
    parser.add_argument(
        "--pip-audit", default=str(Path(sys.executable).with_name("pip-audit"))
    )
    options = parser.parse_args(argv)
    status, lines = judge(
        run_pip_audit(options.pip_audit, options.requirements),
        options.allow_unaudited,
    )
    stream = sys.stdout if status == 0 and len(lines) == 1 else sys.stderr
    stream.write("".join(line + "\n" for line in lines))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
