"""Reports of applied imports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_

from domain.imports import Import, ImportedItem, Outcome
from repositories import tables as t
from repositories.base import TableRepository


class ImportRepository(TableRepository[Import]):
    table, entity, entity_type = t.imports, Import, "import"
    organisation_column = "organisation_id"

    def _in_organisation(self, organisation_id: Any) -> Any:
        """A restricted key also sees the reports of workspace-wide kinds (competences)."""
        column = self.table.c.organisation_id
        return or_(column == organisation_id, column.is_(None))

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
