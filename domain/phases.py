"""The phases an OD project moves through, in their fixed order."""

from __future__ import annotations

import enum

from domain.texts import Text, _


class Phase(enum.StrEnum):
    INTAKE = "intake"
    SERVICE_DEFINITION = "service_definition"
    COMPETENCE_MAPPING = "competence_mapping"
    DEVELOPMENT = "development"
    EVALUATION = "evaluation"
    CLOSED = "closed"

    @property
    def label(self) -> Text:
        """The phase as a person names it."""
        return _LABELS[self]

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
_LABELS: dict[Phase, Text] = {
    Phase.INTAKE: _("intake"),
    Phase.SERVICE_DEFINITION: _("service definition"),
    Phase.COMPETENCE_MAPPING: _("competence mapping"),
    Phase.DEVELOPMENT: _("development"),
    Phase.EVALUATION: _("evaluation"),
    Phase.CLOSED: _("closed"),
}
