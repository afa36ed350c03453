"""`ier` run on a machine with no settings yet, as an operator first meets it: help
works, and a missing setting is one line saying which, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

IER = str(Path(sys.executable).with_name("ier"))


def run_ier(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ["PATH"], "HOME": str(cwd), "IER_VAR_DIR": str(cwd)}
    return subprocess.run(
        [IER, *args], env=clean, cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("command", "option"),
    [("serve", "--bind"), ("import-authorities", "--help"), ("purge", "--dry-run")],
)
def test_a_commands_help_needs_no_secrets(tmp_path, command, option):
    shown = run_ier(command, "--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "usage: ier %s" % command.replace("-", "_") in shown.stdout
    assert option in shown.stdout
    assert "Traceback" not in shown.stderr


def test_a_missing_setting_is_one_clear_line(tmp_path):
    refused = run_ier("migrate", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "ier: The environment variable IER_SECRET_KEY must be set outside demo mode."
    ]
