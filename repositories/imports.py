"""Reports of applied imports."""

from __future__ import annotations

from typing import Any

from domain.imports import Import, ImportedItem, Outcome
from repositories import tables as t
from repositories.base import TableRepository


class ImportRepository(TableRepository[Import]):
    table, entity, entity_type = t.imports, Import, "import"

    def _values(self, entity: Import, names) -> dict[str, Any]:
        values = super()._values(entity, names)
        if "items" in values:
            values["items"] = [[i.index, i.kind, i.key, i.outcome.value] for i in entity.items]
        return values

    def _to_entity(self, row) -> Import:
        values = dict(row._mapping)
        values["items"] = [
            ImportedItem(index, kind, key, Outcome(outcome))
            for index, kind, key, outcome in values["items"]
        ]
        return Import(**values)
