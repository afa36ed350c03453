"""The dependency audit in CI: a known vulnerability fails the build; an advisory
service that cannot answer is reported loudly and fails only without
--allow-unaudited."""

import json
import sys
import textwrap

import pytest

from ier.core.checks import audit

SKIPPED = {
    "name": "django",
    "skip_reason": "Dependency not found on PyPI and could not be audited: "
    "django (5.2.8)",
}
CLEAN = {"name": "httpx", "version": "0.28.1", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.0",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"], "aliases": []}],
}


def report(*dependencies) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails_even_when_unaudited_is_allowed():
    verdict = audit.read_report(report(CLEAN, VULNERABLE, SKIPPED), "")
    status, lines = audit.judge(verdict, allow_unaudited=True)
    assert status == 1
    assert "  django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in lines


def test_a_clean_audit_passes_and_says_how_many_were_audited():
    status, lines = audit.judge(audit.read_report(report(CLEAN), ""), False)
    assert (status, lines) == (
        0,
        ["pip-audit: no known vulnerabilities in 1 pinned dependencies"],
    )


@pytest.mark.parametrize(("allowed", "expected"), [(True, 0), (False, 1)])
def test_dependencies_the_service_could_not_answer_for_are_not_a_pass(
    allowed, expected
):
    status, lines = audit.judge(audit.read_report(report(CLEAN, SKIPPED), ""), allowed)
    assert status == expected
    assert any("1 of 2 pinned dependencies were NOT audited" in line for line in lines)
    assert any("make audit" in line for line in lines)


@pytest.mark.parametrize(("allowed", "expected"), [(True, 0), (False, 1)])
def test_an_unreachable_service_is_reported_and_fails_only_when_not_allowed(
    allowed, expected
):
    log = "ERROR: Could not connect to PyPI's vulnerability feed\nTip: ..."
    status, lines = audit.judge(audit.read_report("", log), allowed)
    assert status == expected
    assert any("could not be reached" in line for line in lines)
    assert any("NOT audited" in line for line in lines)


def test_any_other_pip_audit_failure_fails_even_when_unaudited_is_allowed():
    log = "ERROR: requirements/lock.txt: hash mismatch for django"
    status, lines = audit.judge(audit.read_report("", log), allow_unaudited=True)
    assert status == 1
    assert lines == ["pip-audit failed:", log]


def fake_pip_audit(tmp_path, body: str, exit_status: int):
    """An executable standing in for pip-audit: writes `body` to --output."""
    script = tmp_path / "pip-audit"
    script.write_text(
        textwrap.dedent(
            """\
            #!%s
            import sys
            output = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--output=")]
            if %r:
                open(output[0], "w").write(%r)
            else:
                sys.stderr.write("Could not connect to PyPI's vulnerability feed\\n")
            sys.exit(%d)
            """
        )
        % (sys.executable, bool(body), body, exit_status)
    )
    script.chmod(0o755)
    return str(script)


def run_main(tmp_path, body, exit_status, *flags):
    lock = tmp_path / "lock.txt"
    lock.write_text("")
    program = fake_pip_audit(tmp_path, body, exit_status)
    return audit.main([str(lock), "--pip-audit", program, *flags])


def test_main_fails_ci_on_a_vulnerability(tmp_path, capsys):
    assert run_main(tmp_path, report(VULNERABLE), 1, "--allow-unaudited") == 1
    assert "PYSEC-2025-1" in capsys.readouterr().err


def test_main_passes_ci_loudly_when_the_service_is_unreachable(tmp_path, capsys):
    assert run_main(tmp_path, "", 1, "--allow-unaudited") == 0
    assert "NOT audited" in capsys.readouterr().err


def test_main_without_the_allowance_fails_when_nothing_was_audited(tmp_path):
    assert run_main(tmp_path, report(SKIPPED), 0) == 1
