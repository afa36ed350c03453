"""Fails when portal or API code reaches authority-scoped data without
`for_authority(...)`.

    python -m ier.core.checks.scoping src/ier

Reads the source (no Django needed) of the apps that serve officers and EMSs, and
reports every `<ScopedModel>.objects.<method>` whose method is not `for_authority`,
and every `_default_manager` or `.raw(` on a scoped model. A line that must reach a
scoped model by another key (an applicant's upload link, say) says so with a
`# scoping: <reason>` comment, which reviewers can see and search for."""

import ast
import sys
from pathlib import Path

#: Apps whose code serves officers (portal) and EMSs (API).
CHECKED_APPS = ("ero", "api")
SCOPED_MODELS = {
    "Application",
    "ApplicationEvent",
    "RegisterEntry",
    "Verification",
    "DuplicateCheck",
    "Officer",
    "Note",
    "EvidenceRequest",
    "EvidenceFile",
    "AuditEntry",
    "ApiToken",
    "MovedOutNotice",
}
# Creating a row names its authority explicitly; reading is where data leaks.
ALLOWED_METHODS = {"for_authority", "create", "bulk_create"}
MARKER = "# scoping:"
SKIPPED_PARTS = {"migrations", "__pycache__"}


def _chain(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _offence(node: ast.Attribute) -> str | None:
    """`Model.objects.method` (method not allowed) or `Model._default_manager`."""
    inner = node.value
    if (
        isinstance(inner, ast.Attribute)
        and inner.attr == "objects"
        and isinstance(inner.value, ast.Name)
        and inner.value.id in SCOPED_MODELS
        and node.attr not in ALLOWED_METHODS
    ):
        return _chain(node)
    if (
        node.attr in ("_default_manager", "_base_manager")
        and isinstance(node.value, ast.Name)
        and node.value.id in SCOPED_MODELS
    ):
        return _chain(node)
    return None


def _bare_manager(node: ast.Attribute, parents: dict) -> str | None:
    """`Model.objects` passed around whole (e.g. assigned), which would let a later
    line query it unscoped."""
    if not (
        node.attr == "objects"
        and isinstance(node.value, ast.Name)
        and node.value.id in SCOPED_MODELS
    ):
        return None
    parent = parents.get(node)
    if isinstance(parent, ast.Attribute):
        return None  # judged by _offence on the parent
    return _chain(node)


def problems_in(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=str(path))
    parents = {
        child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        offence = _offence(node) or _bare_manager(node, parents)
        if offence and MARKER not in lines[node.lineno - 1]:
            found.append((node.lineno, offence))
    return sorted(set(found))


def files_to_check(root: Path) -> list[Path]:
    files = []
    for app in CHECKED_APPS:
        for path in sorted((root / app).rglob("*.py")):
            if not SKIPPED_PARTS.intersection(path.parts) and path.name != "models.py":
                files.append(path)
    return files


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "src/ier")
    files = files_to_check(root)
    if not files:
        sys.stderr.write("scoping: no portal or API code under %s\n" % root)
        return 2
    problems = [
        (path, line, text) for path in files for line, text in problems_in(path)
    ]
    for path, line, text in problems:
        sys.stderr.write("%s:%d: %s bypasses for_authority()\n" % (path, line, text))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
