"""Fails when a migration would break the code still running beside it.

    python -m ier.core.checks.migrations

A release migrates the database while web nodes of the previous release still serve
(docs/deployment.md: expand, then contract). So a migration may only *expand* the
schema the previous code uses: add tables, nullable columns or columns with a
default, indexes. Removing or renaming a column or table, adding a column that is
NOT NULL without a default, or making an existing column NOT NULL would make the
previous release's queries or INSERTs fail; such a *contract* step goes in a later
release than the code that stopped using the column, and is listed in CONTRACTS
below with the release it follows, where reviewers see it.

Reads the migrations as Django loads them, with no database."""

import sys
from collections.abc import Iterator

from django.db import migrations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.db.models.fields import NOT_PROVIDED, Field


def own_apps() -> set[str]:
    """The service's own apps (every app of the `ier` package, so a new one is
    checked from its first migration)."""
    from django.apps import apps

    return {c.label for c in apps.get_app_configs() if c.name.startswith("ier.")}


#: Contract steps accepted by review: (app, migration) -> why the code beside it no
#: longer needs what it removes. The first ones predate the first release.
CONTRACTS = {
    ("geography", "0002_offices_import_runs_sources"): "before the first release",
    ("geography", "0004_uprn_key_unchecked_foreign_keys"): "before the first release",
}

RENAMES = (
    migrations.RenameField,
    migrations.RenameModel,
    migrations.AlterModelTable,
)
REMOVALS = (migrations.RemoveField, migrations.DeleteModel)


def _required_without_default(field: Field) -> bool:
    return (
        not field.null and not field.has_default() and field.db_default is NOT_PROVIDED
    )


def problems(migration: migrations.Migration, state: ProjectState) -> Iterator[str]:
    """What in `migration` breaks the previous code, given the state before it."""
    created = {
        op.name_lower
        for op in migration.operations
        if isinstance(op, migrations.CreateModel)
    }
    app = migration.app_label
    state = state.clone()
    for operation in migration.operations:
        name = type(operation).__name__
        if isinstance(operation, RENAMES):
            yield "%s: the previous code still uses the old name" % name
        elif isinstance(operation, REMOVALS):
            yield "%s: the previous code still reads what it removes" % name
        elif isinstance(operation, migrations.AddField):
            if operation.model_name_lower not in created and _required_without_default(
                operation.field
            ):
                yield (
                    "AddField %s.%s: NOT NULL without a default, so the previous "
                    "code's INSERTs fail (give it a default or db_default, or "
                    "make it nullable)" % (operation.model_name, operation.name)
                )
        elif isinstance(operation, migrations.AlterField):
            model = state.models.get((app, operation.model_name_lower))
            before = model.fields.get(operation.name) if model else None
            if (
                before is not None
                and before.null
                and _required_without_default(operation.field)
            ):
                yield (
                    "AlterField %s.%s: made NOT NULL without a default while the "
                    "previous code may still write NULL"
                    % (operation.model_name, operation.name)
                )
        operation.state_forwards(app, state)


def check(loader: MigrationLoader | None = None) -> list[str]:
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    found = []
    own = own_apps()
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app not in own or migration.initial or (app, name) in CONTRACTS:
            continue
        state = loader.project_state((app, name), at_end=False)
        found += ["%s.%s: %s" % (app, name, p) for p in problems(migration, state)]
    return found


def main() -> int:
    import django

    django.setup()
    found = check()
    for problem in found:
        sys.stdout.write(problem + "\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
