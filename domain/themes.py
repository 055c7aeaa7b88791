"""Learning themes (seed 001): a theme of ordered steps, and each participant's progress
through it ("0 of 4 steps done, 0%")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from domain.base import Entity
from domain.texts import Text, _n


@dataclass(frozen=True)
class Step:
    title: str
    id: UUID = field(default_factory=uuid4)


@dataclass(kw_only=True, eq=False)
class Theme(Entity):
    """A theme of the workspace's catalogue, e.g. "Cultuur van vertrouwen"."""

    name: str
    description: str = ""
    steps: list[Step] = field(default_factory=list)


@dataclass(kw_only=True, eq=False)
class ProjectTheme(Entity):
    """A theme assigned to a project; its participants work through its steps."""

    project_id: UUID
    theme_id: UUID


@dataclass(frozen=True)
class Progress:
    participant_id: UUID
    steps_done: list[UUID]
    steps_total: int

    @property
    def percent(self) -> int:
        """Rounded half up, as people read it (1 of 8 is 13%, not Python's 12%)."""
        if not self.steps_total:
            return 0
        return (200 * len(self.steps_done) + self.steps_total) // (2 * self.steps_total)

    @property
    def finished(self) -> bool:
        return self.steps_total > 0 and len(self.steps_done) == self.steps_total

    @property
    def text(self) -> Text:
        """As seed 001 shows it: "0 of 4 steps done, 0%"."""
        return _n(
            "{done} of {count} step done, {percent}%",
            "{done} of {count} steps done, {percent}%",
            self.steps_total,
            done=len(self.steps_done),
            percent=self.percent,
        )

    def __str__(self) -> str:
        return str(self.text)


@dataclass(frozen=True)
class ThemeSummary:
    participants: int
    average_percent: float
    finished: int


def progress_of(theme: Theme, participant_id: UUID, done: Iterable[UUID]) -> Progress:
    """Steps done in the theme's order; steps since removed from the theme no longer count."""
    done = set(done)
    return Progress(participant_id, [s.id for s in theme.steps if s.id in done], len(theme.steps))


def summarise(progress: list[Progress]) -> ThemeSummary:
    if not progress:
        return ThemeSummary(0, 0.0, 0)
    # The average to one decimal, rounded half up like the percentages themselves.
    total, n = sum(p.percent for p in progress), len(progress)
    tenths = (20 * total + n) // (2 * n)
    return ThemeSummary(n, tenths / 10, sum(p.finished for p in progress))
