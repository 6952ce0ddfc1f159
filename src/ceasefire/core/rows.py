"""Rows read and written with plain SQL, for the few hot paths (the key or token of every phone
and API request, a phone's submission) where building an ORM statement costs more than running
it: about 0.4 ms to compile a join with a filter across a relation, and 0.12 to 0.19 ms for a
one-row INSERT or UPDATE, against 0.02 to 0.04 ms for the SQL itself.

The instances are the ORM's own: read ones come from `Model.from_db`, with each column's value
converted as the ORM converts it; written ones get their values prepared by their fields as
`Model.save` prepares them (defaults, `auto_now_add`, each backend's adaptation). A model
that `save()` does more for (its own `save()` method, `pre_save` or `post_save` receivers,
parent tables, values the database fills in) is saved with `save()`, so nothing is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import DatabaseError, connection
from django.db.models import Field, Model, signals

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


class Columns(Generic[M]):
    """A model's concrete columns under a table alias: `sql` to put in a SELECT list, `load`
    to turn the matching slice of a row into an instance."""

    def __init__(self, model: type[M], alias: str) -> None:
        self.model = model
        self.alias = alias
        self.fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.sql = ", ".join(
            f"{alias}.{connection.ops.quote_name(field.column)}" for field in self.fields
        )
        self._names = [field.attname for field in self.fields]
        self._by_name = {field.name: field for field in self.fields}
        self._converters: list[tuple[int, list[Converter], Any]] | None = None
        self._statements: dict[tuple[str, ...], str] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def _converters_for_connection(self) -> list[tuple[int, list[Converter], Any]]:
        # As the SQL compiler gathers them: the backend's, then the field's own.
        if self._converters is None:
            found = []
            for position, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                converters = [
                    *connection.ops.get_db_converters(column),
                    *column.get_db_converters(connection),
                ]
                if converters:
                    found.append((position, converters, column))
            self._converters = found
        return self._converters

    def load(self, row: Sequence[Any]) -> M:
        values = list(row[: len(self.fields)])
        for position, converters, column in self._converters_for_connection():
            for convert in converters:
                values[position] = convert(values[position], column, connection)
        return self.model.from_db(connection.alias, self._names, values)

    def get_by(self, column: str, value: Any) -> M | None:
        """The row whose unique `column` is `value`, or None."""
        field = self._by_name.get(column)
        if field is None or not field.unique:
            raise ValueError(f"{self.model.__name__}.{column} is not a unique column")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {self.sql} FROM {self.table} {self.alias} "  # noqa: S608 - names only
                f"WHERE {self.alias}.{connection.ops.quote_name(field.column)} = %s",
                [field.get_db_prep_value(value, connection)],
            )
            row = cursor.fetchone()
        return None if row is None else self.load(row)

    def _needs_save(self) -> bool:
        meta = self.model._meta
        return (
            self.model.save is not Model.save
            or bool(meta.parents)
            or list(meta.db_returning_fields) != [meta.pk]
            or signals.pre_save.has_listeners(self.model)
            or signals.post_save.has_listeners(self.model)
        )

    def _prepared(self, instance: M, fields: Sequence[Field[Any, Any]], *, add: bool) -> list[Any]:
        return [
            field.get_db_prep_save(field.pre_save(instance, add), connection) for field in fields
        ]

    def insert(self, instance: M) -> M:
        """Write a new `instance` as `instance.save()` would, and give it its primary key."""
        if self._needs_save() or instance.pk is not None:
            instance.save(force_insert=True)
            return instance
        # As save() does: refuse an unsaved related object, take a related object's new key.
        instance._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        meta = self.model._meta
        fields = [field for field in self.fields if field is not meta.auto_field]
        statement = self._statements.get(("insert",))
        if statement is None:
            names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
            statement = self._statements["insert",] = (
                f"INSERT INTO {self.table} ({names}) "  # noqa: S608 - names only
                f"VALUES ({', '.join(['%s'] * len(fields))}) "
                f"RETURNING {connection.ops.quote_name(meta.pk.column)}"
            )
        with connection.cursor() as cursor:
            cursor.execute(statement, self._prepared(instance, fields, add=True))
            (pk,) = cursor.fetchone()
        setattr(instance, meta.pk.attname, pk)
        instance._state.adding = False
        instance._state.db = connection.alias
        return instance

    def update(self, instance: M, names: Sequence[str]) -> None:
        """Write the `names` fields of a saved `instance`, as `save(update_fields=names)`."""
        if self._needs_save():
            instance.save(update_fields=names)
            return
        fields = [self._by_name[name] for name in names]
        key = ("update", *names)
        statement = self._statements.get(key)
        if statement is None:
            assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
            pk_column = connection.ops.quote_name(self.model._meta.pk.column)
            statement = self._statements[key] = (
                f"UPDATE {self.table} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
            )
        with connection.cursor() as cursor:
            cursor.execute(statement, [*self._prepared(instance, fields, add=False), instance.pk])
            if cursor.rowcount != 1:
                # As save(update_fields=...) does when the row is gone.
                raise DatabaseError("Save with update_fields did not affect any rows.")


_built: dict[tuple[type[Model], str], Columns[Any]] = {}


def columns(model: type[M], alias: str = "t") -> Columns[M]:
    """The model's columns, built once per process."""
    found = _built.get((model, alias))
    if found is None:
        found = _built[model, alias] = Columns(model, alias)
    return found
