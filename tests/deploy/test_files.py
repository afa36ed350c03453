"""What deploy/ refers to exists, and the tools that can judge its files accept them:
systemd-analyze for the units, and the service's own settings for the env file. The
container recipe and compose file cannot be built here (no container engine), so
every path and command they name is checked instead."""

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.deploy.units import DEPLOY, PROJECT, UNITS, Unit, read_env_file

pytestmark = pytest.mark.stack

SERVICES = sorted(p.name for p in UNITS.glob("*.service"))
PATHS = {"/opt/ier": str(PROJECT)}
SETTINGS = PROJECT / "src" / "ier" / "config" / "settings"


def ier_commands() -> set[str]:
    """Every `ier` subcommand: the standalone ones and the Django commands."""
    names = {"ems-pull", "confirm", "seed-confirmation"}
    for folder in (PROJECT / "src" / "ier").glob("*/management/commands"):
        names |= {p.stem.replace("_", "-") for p in folder.glob("[a-z]*.py")}
    django = ("migrate", "collectstatic", "shell", "check", "createsuperuser")
    return names | set(django)


@pytest.mark.parametrize("name", SERVICES)
def test_every_unit_runs_a_command_that_exists(name):
    unit = Unit.load(name)
    env = {"IER_WEB_ADDRESS": "127.0.0.1"}
    commands = unit.commands("8000", env, PATHS)
    assert commands, "no ExecStart"
    for argv in commands:
        assert Path(argv[0]).is_file(), argv[0]
        if argv[0].endswith("/ier"):
            assert argv[1] in ier_commands(), argv
        for word in argv[1:]:
            if word.startswith(str(PROJECT)):
                assert Path(word).exists(), word
    assert unit.value("EnvironmentFile") == "/etc/ier/ier.env"
    assert unit.value("WorkingDirectory") == "/opt/ier"


def test_systemd_accepts_the_units(tmp_path):
    """systemd-analyze verify, on copies whose /opt/ier is this checkout (it checks
    that each command is there) and whose env file is the template."""
    names = []
    for unit in UNITS.iterdir():
        text = unit.read_text().replace("/opt/ier", str(PROJECT))
        text = text.replace("/etc/ier/ier.env", str(DEPLOY / "ier.env"))
        name = unit.name.replace("@.service", "@8000.service")
        (tmp_path / name).write_text(text)
        names.append("./" + name)
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(names)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_env_file_sets_what_production_requires_and_only_real_settings():
    template = read_env_file((DEPLOY / "ier.env").read_text())
    production = (SETTINGS / "production.py").read_text()
    required = set(re.findall(r'required_env\("(\w+)"\)', production))
    assert required <= set(template), required - set(template)
    source = "\n".join(p.read_text() for p in (PROJECT / "src").rglob("*.py"))
    unread = [name for name in template if '"%s"' % name not in source]
    assert unread == [], "settings the service never reads"
    assert template["IER_MODE"] == "production"
    assert template["IER_DB_PREPARED_STATEMENTS"] == "off"


def test_the_container_recipe_copies_and_runs_what_exists():
    recipe = (DEPLOY / "Containerfile").read_text()
    for line in recipe.splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            *sources, _target = shlex.split(line)[1:]
            for source in sources:
                assert (PROJECT / source).exists(), source
    for config in re.findall(r"/opt/ier/([\w./-]+\.(?:py|conf|ini))", recipe):
        assert (PROJECT / config).exists(), config


def test_the_compose_file_runs_each_unit_command():
    """Each service of the compose file runs the same `ier`/gunicorn command as its
    systemd unit, so the two ways to run it cannot drift apart."""
    import yaml

    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    for unit_name, service in [
        ("ier-web@.service", "web"),
        ("ier-worker.service", "worker"),
        ("ier-identity.service", "identity"),
        ("ier-health.service", "health"),
    ]:
        (argv,) = Unit.load(unit_name).commands(
            "8000", {"IER_WEB_ADDRESS": "0.0.0.0"}, {}
        )
        command = services[service]["command"]
        assert [Path(argv[0]).name, *argv[1:]] == command, service
    release = " ".join(services["release"]["command"])
    for argv in Unit.load("ier-release.service").commands("", {}, {}):
        assert shlex.join(["ier", *argv[1:]]) in release
    assert compose["x-ier"]["env_file"] == ["ier.env"]
    for name, service in services.items():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), (name, source)


IER_IN_DOCS = re.compile(
    r"(?<!-u )(?<!-g )(?:^|(?<=[\s`])|(?<=bin/))ier "
    r"([a-z][a-z-]+)((?: --?[a-z][\w-]*)*)",
    re.MULTILINE,
)


def commands_in(doc: Path) -> set[tuple[str, str]]:
    """(command, option) for every `ier ...` in the document's code."""
    text = doc.read_text()
    code = re.findall(r"```.*?```|`[^`\n]+`", text, re.DOTALL)
    found = set()
    for command, options in IER_IN_DOCS.findall("\n".join(code)):
        found.add((command, ""))
        found |= {(command, option) for option in options.split()}
    return found


@pytest.mark.parametrize("doc", ["runbook.md", "deployment.md"])
def test_every_ier_command_and_option_the_docs_name_exists(doc):
    named = commands_in(PROJECT / "docs" / doc)
    assert named, "no ier command found"
    unknown = sorted(c for c, _ in named if c not in ier_commands())
    assert unknown == []
    helps: dict[str, str] = {}
    for command, option in sorted(named):
        if option and command not in helps:
            helps[command] = subprocess.run(
                [str(PROJECT / ".venv" / "bin" / "ier"), command, "--help"],
                env={**os.environ, "IER_MODE": "test"},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        assert not option or option in helps[command], (command, option)
