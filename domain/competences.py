"""The workspace's competence catalogue and the 0–4 level scale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.base import Entity
from domain.texts import _

LEVELS: dict[int, str] = {
    0: _("none"),
    1: _("aware"),
    2: _("working"),
    3: _("proficient (can do it alone)"),
    4: _("expert (can coach)"),
}
MIN_LEVEL, MAX_LEVEL = 0, 4
DEFAULT_REQUIRED_LEVEL = 3


@dataclass(kw_only=True, eq=False)
class Competence(Entity):
    """What people can do (competentie); ``code`` is its natural key in the workspace.

    Competences can be grouped under a parent ("Communication" › "Giving feedback"). One
    in use is archived, never deleted, so the history that mentions it stays readable.
    """

    code: str
    name: str
    description: str = ""
    parent_id: UUID | None = None
    archived_at: datetime | None = None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None
