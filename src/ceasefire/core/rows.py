"""Model instances from rows read with plain SQL, for the few hot paths (a phone's every
request) where compiling an ORM query costs more than running it: about 0.4 ms for a join with
a filter across a relation, against 0.02 ms for the SQL itself.

The instances are the ORM's own (`Model.from_db`), with each column's value converted as the
ORM converts it, so they behave exactly like those a queryset returns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Field, Model

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


_built: dict[tuple[type[Model], str], Columns[Any]] = {}


def columns(model: type[M], alias: str = "t") -> Columns[M]:
    """The model's columns, built once per process."""
    found = _built.get((model, alias))
    if found is None:
        found = _built[model, alias] = Columns(model, alias)
    return found
