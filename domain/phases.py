"""The phases an OD project moves through, in their fixed order."""

from __future__ import annotations

import enum


class Phase(enum.StrEnum):
    INTAKE = "intake"
    SERVICE_DEFINITION = "service_definition"
    COMPETENCE_MAPPING = "competence_mapping"
    DEVELOPMENT = "development"
    EVALUATION = "evaluation"
    CLOSED = "closed"

    @property
    def position(self) -> int:
        return _ORDER.index(self)

    @property
    def next(self) -> Phase | None:
        return _ORDER[self.position + 1] if self.position + 1 < len(_ORDER) else None

    @property
    def previous(self) -> Phase | None:
        return _ORDER[self.position - 1] if self.position > 0 else None


_ORDER: list[Phase] = list(Phase)
