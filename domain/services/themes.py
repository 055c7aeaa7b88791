"""Learning themes: the workspace's catalogue, their use in projects, and progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page, expect_version
from domain.errors import Conflict, NotFound, RuleViolation, Violation
from domain.ports import UnitOfWork
from domain.services import project_records as records
from domain.texts import _
from domain.themes import Progress, ProjectTheme, Step, Theme, ThemeSummary, progress_of, summarise


def list_themes(uow: UnitOfWork, query: ListQuery) -> Page[Theme]:
    with uow:
        return uow.themes.list(query)


def get_theme(uow: UnitOfWork, theme_id: UUID) -> Theme:
    with uow:
        return uow.themes.get(theme_id)


def create_theme(uow: UnitOfWork, values: dict[str, Any]) -> Theme:
    with uow:
        _ensure_name_free(uow, values["name"])
        values["steps"] = [Step(s["title"]) for s in values.get("steps", [])]
        theme = Theme(**values)
        uow.themes.add(theme)
        uow.commit()
    return theme


def update_theme(
    uow: UnitOfWork, theme_id: UUID, changes: dict[str, Any], expected_version: int | None
) -> Theme:
    """Steps sent with their id keep it (and who did them), in the new order; steps
    without an id are new; steps left out are removed."""
    with uow:
        theme = uow.themes.get(theme_id)
        expect_version(theme, expected_version, "theme")
        if "name" in changes and changes["name"] != theme.name:
            _ensure_name_free(uow, changes["name"])
        if "steps" in changes:
            changes["steps"] = _steps(theme, changes["steps"])
        uow.themes.update(theme, theme.change(**changes))
        uow.commit()
    return theme


def delete_theme(uow: UnitOfWork, theme_id: UUID, expected_version: int | None) -> None:
    with uow:
        theme = uow.themes.get(theme_id)
        expect_version(theme, expected_version, "theme")
        if uow.project_themes.count(theme_id=theme_id):
            raise Conflict(_("Projects work on this theme; remove it from them first."), "in_use")
        uow.themes.remove(theme)
        uow.commit()


def _ensure_name_free(uow: UnitOfWork, name: str) -> None:
    if uow.themes.find_by(name=name):
        raise RuleViolation.on(
            "name", _("The workspace already has a theme with this name."), "duplicate"
        )


def _steps(theme: Theme, wanted: list[dict[str, Any]]) -> list[Step]:
    known = {s.id for s in theme.steps}
    violations, seen = [], set()
    for index, item in enumerate(wanted):
        step_id = item.get("id")
        if step_id is not None and (step_id not in known or step_id in seen):
            violations.append(
                Violation(
                    f"steps.{index}.id",
                    _("Not a step of this theme (or listed twice)."),
                    "unknown_step",
                )
            )
        seen.add(step_id)
    if violations:
        raise RuleViolation(violations)
    return [
        Step(item["title"], item["id"]) if item.get("id") else Step(item["title"])
        for item in wanted
    ]


# --- themes in a project -----------------------------------------------------------


@dataclass(frozen=True)
class ThemeInProject:
    assignment: ProjectTheme
    theme: Theme
    summary: ThemeSummary
    progress: list[Progress]


def list_project_themes(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[ProjectTheme]:
    return records.list_in_project(uow, "project_themes", project_id, query)


def assign_theme(uow: UnitOfWork, project_id: UUID, theme_id: UUID) -> ProjectTheme:
    with uow:
        records.open_project(uow, project_id)
        if uow.themes.find(theme_id) is None:
            raise RuleViolation.on("theme_id", _("No theme with this id."), "unknown_theme")
        if uow.project_themes.find_by(project_id=project_id, theme_id=theme_id):
            raise RuleViolation.on(
                "theme_id", _("The project already works on this theme."), "duplicate"
            )
        return records.add_to_project(
            uow, "project_themes", ProjectTheme(project_id=project_id, theme_id=theme_id)
        )


def unassign_theme(
    uow: UnitOfWork, project_id: UUID, theme_id: UUID, expected_version: int | None
) -> None:
    with uow:
        records.open_project(uow, project_id)
        assignment = _assignment(uow, project_id, theme_id)
        expect_version(assignment, expected_version, "project theme")
        # Its progress goes too: taken up again later, the theme starts from nothing.
        uow.progress.clear(project_id, theme_id)
        uow.project_themes.remove(assignment)
        uow.commit()


def theme_in_project(uow: UnitOfWork, project_id: UUID, theme_id: UUID) -> ThemeInProject:
    """Everyone's progress through the theme, and the project's summary of it."""
    with uow:
        uow.projects.get(project_id)
        assignment = _assignment(uow, project_id, theme_id)
        theme = uow.themes.get(theme_id)
        done = uow.progress.done(project_id, theme_id)
        progress = [
            progress_of(theme, p.id, done.get(p.id, ()))
            for p in uow.participants.all(project_id=project_id)
        ]
        return ThemeInProject(assignment, theme, summarise(progress), progress)


def participant_progress(
    uow: UnitOfWork, project_id: UUID, theme_id: UUID, participant_id: UUID
) -> Progress:
    with uow:
        uow.projects.get(project_id)
        _assignment(uow, project_id, theme_id)
        uow.participants.get(participant_id, project_id=project_id)
        theme = uow.themes.get(theme_id)
        return progress_of(
            theme, participant_id, uow.progress.done(project_id, theme_id).get(participant_id, ())
        )


def set_progress(
    uow: UnitOfWork, project_id: UUID, theme_id: UUID, participant_id: UUID, steps_done: list[UUID]
) -> Progress:
    """Replace the steps a participant has done (a PUT of the whole set)."""
    with uow:
        records.open_project(uow, project_id)
        _assignment(uow, project_id, theme_id)
        uow.participants.get(participant_id, project_id=project_id)
        theme = uow.themes.get(theme_id)
        known = {s.id for s in theme.steps}
        strangers = [i for i, s in enumerate(steps_done) if s not in known]
        if strangers:
            raise RuleViolation(
                [
                    Violation(f"steps_done.{i}", _("Not a step of this theme."), "unknown_step")
                    for i in strangers
                ]
            )
        uow.progress.set_done(project_id, theme_id, participant_id, set(steps_done))
        uow.audit.record_change(
            "set_progress", "participant", participant_id, ["steps_done"], project_id=project_id
        )
        uow.commit()
        return progress_of(theme, participant_id, steps_done)


def _assignment(uow: UnitOfWork, project_id: UUID, theme_id: UUID) -> ProjectTheme:
    assignment = uow.project_themes.find_by(project_id=project_id, theme_id=theme_id)
    if assignment is None:
        raise NotFound("theme", message=_("No theme {key} in this project here.", key=theme_id))
    return assignment
