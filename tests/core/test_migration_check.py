"""The expand/contract rule for migrations (ier.core.checks.migrations, make lint)."""

import pytest
from django.db import migrations, models
from django.db.migrations.state import ModelState, ProjectState

from ier.core.checks import migrations as check


def state() -> ProjectState:
    project = ProjectState()
    project.add_model(
        ModelState(
            "registration",
            "thing",
            [
                ("id", models.BigAutoField(primary_key=True)),
                ("note", models.CharField(max_length=5, null=True)),
                ("code", models.CharField(max_length=5)),
            ],
        )
    )
    return project


def problems(*operations) -> list[str]:
    migration = migrations.Migration("0099_change", "registration")
    migration.operations = list(operations)
    return list(check.problems(migration, state()))


@pytest.mark.parametrize(
    "operation",
    [
        migrations.RemoveField("thing", "note"),
        migrations.DeleteModel("thing"),
        migrations.RenameField("thing", "note", "remark"),
        migrations.RenameModel("thing", "item"),
        migrations.AlterModelTable("thing", "registration_item"),
        migrations.AddField("thing", "size", models.IntegerField()),
        migrations.AlterField("thing", "note", models.CharField(max_length=5)),
    ],
    ids=lambda op: type(op).__name__,
)
def test_what_breaks_the_previous_release_is_refused(operation):
    (problem,) = problems(operation)
    assert type(operation).__name__ in problem


@pytest.mark.parametrize(
    "operation",
    [
        migrations.AddField("thing", "size", models.IntegerField(null=True)),
        migrations.AddField("thing", "size", models.IntegerField(default=0)),
        migrations.AddField("thing", "size", models.IntegerField(db_default=0)),
        migrations.AlterField("thing", "code", models.CharField(max_length=9)),
        migrations.AlterField(
            "thing", "note", models.CharField(max_length=9, null=True)
        ),
        migrations.AlterField(
            "thing", "note", models.CharField(max_length=5, default="")
        ),
        migrations.AddIndex(
            "thing", models.Index(fields=["code"], name="registration_thing_code")
        ),
        migrations.CreateModel(
            "other", [("id", models.BigAutoField(primary_key=True))]
        ),
    ],
    ids=lambda op: type(op).__name__,
)
def test_expanding_is_allowed(operation):
    assert problems(operation) == []


def test_a_column_of_a_table_made_in_the_same_migration_may_be_required():
    assert (
        problems(
            migrations.CreateModel(
                "other", [("id", models.BigAutoField(primary_key=True))]
            ),
            migrations.AddField("other", "size", models.IntegerField()),
        )
        == []
    )


def test_the_state_moves_on_within_a_migration():
    """A column added nullable, then made NOT NULL in the same migration, is a
    column the previous code never wrote: still refused, as it is NOT NULL now."""
    found = problems(
        migrations.AddField("thing", "size", models.IntegerField(null=True)),
        migrations.AlterField("thing", "size", models.IntegerField()),
    )
    assert len(found) == 1 and "AlterField thing.size" in found[0]


def test_the_project_s_migrations_pass_and_contracts_are_listed(monkeypatch):
    assert check.check() == []
    listed = {"%s.%s" % key for key in check.CONTRACTS}
    monkeypatch.setattr(check, "CONTRACTS", {})
    assert {problem.split(":")[0] for problem in check.check()} == listed
