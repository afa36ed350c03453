"""Fails when an app imports an app on a higher floor, unless the import is one of
the few named in `UPWARD` (docs/architecture.md says why each is there).

    python -m ier.core.checks.floors src/ier

Reads the source (no Django needed): every `import ier.<app>...` and
`from ier.<app>... import ...`, at module level or inside a function, in every
module of every app. An app may import apps on its own floor or below."""

import ast
import sys
from pathlib import Path

#: Ground first. An app stands above everything it uses.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("geography",),
    ("registration",),
    ("identity", "verification", "elections"),
    ("citizen", "api"),
    ("ero",),
    ("performance",),
    ("ops", "config", "confirmation"),
)
FLOOR = {app: level for level, apps in enumerate(FLOORS) for app in apps}

#: The imports allowed to run back up: (importing module, imported module).
UPWARD = {
    ("ier.core.server", "ier.config.wsgi"),
    ("ier.registration.document", "ier.verification"),
    ("ier.api.audit", "ier.ero.audit"),
    ("ier.api.audit", "ier.ero.models"),
}
SKIPPED_PARTS = {"migrations", "__pycache__"}


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) for every absolute import of a module of the project."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.split(".")[0] == "ier"]


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def problems_in(root: Path) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        if SKIPPED_PARTS & set(path.parts):
            continue
        importer = _module_name(root, path)
        source_app = _app(importer)
        if source_app not in FLOOR:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, imported in imported_modules(tree):
            target_app = _app(imported)
            if target_app not in FLOOR or FLOOR[target_app] <= FLOOR[source_app]:
                continue
            if (importer, imported) in UPWARD:
                continue
            problems.append(
                "%s:%d: %s (floor %d) imports %s (floor %d)"
                % (
                    path,
                    line,
                    source_app,
                    FLOOR[source_app] + 1,
                    imported,
                    FLOOR[target_app] + 1,
                )
            )
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "src/ier")
    problems = problems_in(root)
    for problem in problems:
        sys.stderr.write(problem + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
