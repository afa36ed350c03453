"""Reading deploy/: systemd units and the env file, as systemd reads them, so that the
stack test starts exactly the commands the units would start."""

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT / "deploy"
UNITS = DEPLOY / "systemd"
VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")


def read_env_file(text: str) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and comments (# or ;) skipped."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip()
    return values


def fill_env_file(text: str, values: dict[str, str]) -> str:
    """The template with the given settings' lines filled in; every one must be in
    the template already, so the template names every setting a deployment sets."""
    missing = set(values)
    lines = []
    for line in text.splitlines():
        key = line.partition("=")[0]
        if key in values and not line.startswith("#"):
            line = "%s=%s" % (key, values[key])
            missing.discard(key)
        lines.append(line)
    assert not missing, "not in deploy/ier.env: %s" % sorted(missing)
    return "\n".join(lines) + "\n"


@dataclass
class Unit:
    name: str
    sections: dict[str, list[tuple[str, str]]]

    @classmethod
    def load(cls, name: str) -> "Unit":
        sections: dict[str, list[tuple[str, str]]] = {}
        current: list[tuple[str, str]] = []
        for line in (UNITS / name).read_text().splitlines():
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                current = sections.setdefault(line.strip("[]"), [])
                continue
            key, _, value = line.partition("=")
            current.append((key.strip(), value.strip()))
        return cls(name, sections)

    def values(self, key: str, section: str = "Service") -> list[str]:
        return [v for k, v in self.sections.get(section, []) if k == key]

    def value(self, key: str, section: str = "Service") -> str:
        (found,) = self.values(key, section)
        return found

    def environment(
        self, instance: str, env_files: dict[str, str], paths: dict[str, str]
    ) -> dict[str, str]:
        """Environment= first, then EnvironmentFile= over it (systemd's order);
        `env_files` maps each file the unit names to where it is here."""
        env: dict[str, str] = {}
        for assignments in self.values("Environment"):
            for assignment in shlex.split(assignments):
                key, _, value = assignment.partition("=")
                env[key] = relocate(specifiers(value, instance), paths)
        for name in self.values("EnvironmentFile"):
            env.update(read_env_file(Path(env_files[name]).read_text()))
        return env

    def commands(
        self, instance: str, env: dict[str, str], paths: dict[str, str]
    ) -> list[list[str]]:
        """Each ExecStart line as an argument list: specifiers, then ${VAR} and
        $VAR from the environment, then paths moved to where they are here."""
        found = []
        for line in self.values("ExecStart"):
            line = specifiers(line, instance)
            line = VARIABLE.sub(lambda m: env[m.group(1) or m.group(2)], line)
            found.append([relocate(word, paths) for word in shlex.split(line)])
        return found


def specifiers(text: str, instance: str) -> str:
    return text.replace("%i", instance).replace("%%", "%")


def relocate(word: str, paths: dict[str, str]) -> str:
    for prefix, here in paths.items():
        if word == prefix or word.startswith(prefix + "/"):
            return here + word[len(prefix) :]
    return word
