"""Migration operations the project shares between apps."""

from typing import Any

from django.db import migrations


class DropForeignKeyIndex(migrations.SeparateDatabaseAndState):
    """`db_index=False` on a foreign key whose lookups another index already serves
    (one that begins with its column): only the index is dropped.

    Django's own AlterField would drop and re-add the foreign-key constraint too,
    which on PostgreSQL checks every row of the table again under lock; the
    constraint does not change, so it is left alone."""

    def __init__(self, model_name: str, name: str, field: Any):
        self.model_name, self.name, self.field = model_name, name, field
        super().__init__(
            state_operations=[
                migrations.AlterField(model_name=model_name, name=name, field=field)
            ],
            database_operations=[
                migrations.RunPython(self._drop, self._create, elidable=False)
            ],
        )

    def _field(self, apps: Any) -> tuple[Any, Any]:
        model = apps.get_model(self._app_label, self.model_name)
        return model, model._meta.get_field(self.name)

    def _drop(self, apps: Any, schema_editor: Any) -> None:
        model, field = self._field(apps)
        name = schema_editor._create_index_name(model._meta.db_table, [field.column])
        quoted = schema_editor.quote_name(name)
        schema_editor.execute("DROP INDEX IF EXISTS %s" % quoted)

    def _create(self, apps: Any, schema_editor: Any) -> None:
        model, field = self._field(apps)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._app_label = app_label
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._app_label = app_label
        super().database_backwards(app_label, schema_editor, from_state, to_state)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "name": self.name, "field": self.field},
        )
