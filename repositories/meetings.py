"""Repositories of meetings, commitments, action reports, themes and progress."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, String, and_, cast, delete, exists, insert, or_, select, update

from domain.actions import ActionStatus
from domain.base import ListQuery, utcnow
from domain.meetings import ActionReport, Attendee, Commitment, Meeting
from domain.themes import ProjectTheme, Step, Theme
from repositories import tables as t
from repositories.base import TableRepository


class MeetingRepository(TableRepository[Meeting]):
    """Meetings with their attendees (kept in their own table, in order)."""

    table, entity, entity_type = t.meetings, Meeting, "meeting"

    def _order(self) -> list[Any]:
        return [t.meetings.c.date, t.meetings.c.created_at, t.meetings.c.id]

    def _complete(self, meetings: list[Meeting]) -> None:
        rows = self.connection.execute(
            select(t.meeting_attendees)
            .where(t.meeting_attendees.c.meeting_id.in_([m.id for m in meetings]))
            .order_by(t.meeting_attendees.c.meeting_id, t.meeting_attendees.c.position)
        )
        attendees: dict[UUID, list[Attendee]] = defaultdict(list)
        for row in rows:
            attendees[row.meeting_id].append(Attendee(row.participant_id, row.layer))
        for meeting in meetings:
            meeting.attendees = attendees[meeting.id]

    def _write_children(self, meetings: list[Meeting], changed: Collection[str] | None) -> None:
        if changed is not None and "attendees" not in changed:
            return
        table = t.meeting_attendees
        if changed is not None:
            self.connection.execute(
                delete(table).where(table.c.meeting_id.in_([m.id for m in meetings]))
            )
        rows = [
            {
                "meeting_id": m.id,
                "participant_id": a.participant_id,
                "layer": a.layer,
                "position": i,
            }
            for m in meetings
            for i, a in enumerate(m.attendees)
        ]
        if rows:
            self._execute(insert(table), rows)


class CommitmentRepository(TableRepository[Commitment]):
    """Actions, a meeting's commitments among them; lists can ask for an owner's or the
    overdue ones."""

    table, entity, entity_type = t.commitments, Commitment, "commitment"

    def _narrow(self, stmt: Select, query: ListQuery) -> Select:
        filters = dict(query.filters)
        owner_id: UUID | None = filters.pop("owner_id", None)
        due_before: date | None = filters.pop("due_before", None)
        stmt = super()._narrow(
            stmt, ListQuery(filters, query.updated_since, query.search, query.page)
        )
        actions = t.commitments.c
        if owner_id is not None:
            # Named among its owners (ids are hex and dashes: nothing LIKE would read as a
            # wildcard), or owned by all who attended its meeting, and they did.
            attended = exists(
                select(t.meeting_attendees.c.meeting_id).where(
                    t.meeting_attendees.c.meeting_id == actions.meeting_id,
                    t.meeting_attendees.c.participant_id == owner_id,
                )
            )
            named = cast(actions.owner_ids, String).like(f'%"{owner_id}"%')
            unnamed = cast(actions.owner_ids, String) == "[]"
            stmt = stmt.where(or_(named, and_(unnamed, attended)))
        if due_before is not None:
            stmt = stmt.where(actions.status == ActionStatus.OPEN, actions.due_date < due_before)
        return stmt

    def _to_entity(self, row: Any) -> Commitment:
        values = dict(row._mapping)
        values["owner_ids"] = [UUID(str(o)) for o in values["owner_ids"]]
        return Commitment(**values)

    def _values(self, entity: Commitment, names: Collection[str]) -> dict[str, Any]:
        values = super()._values(entity, names)
        if "owner_ids" in values:
            values["owner_ids"] = [str(o) for o in values["owner_ids"]]
        return values


class ActionReportRepository(TableRepository[ActionReport]):
    table, entity, entity_type = t.action_reports, ActionReport, "action_report"


class ThemeRepository(TableRepository[Theme]):
    """Themes with their ordered steps; a step keeps its id (and who did it) when the
    steps are reordered or renamed."""

    table, entity, entity_type = t.themes, Theme, "theme"

    def _complete(self, themes: list[Theme]) -> None:
        rows = self.connection.execute(
            select(t.theme_steps)
            .where(t.theme_steps.c.theme_id.in_([th.id for th in themes]))
            .order_by(t.theme_steps.c.theme_id, t.theme_steps.c.position)
        )
        steps: dict[UUID, list[Step]] = defaultdict(list)
        for row in rows:
            steps[row.theme_id].append(Step(row.title, row.id))
        for theme in themes:
            theme.steps = steps[theme.id]

    def _write_children(self, themes: list[Theme], changed: Collection[str] | None) -> None:
        if changed is not None and "steps" not in changed:
            return
        table = t.theme_steps
        for theme in themes:
            kept = {s.id for s in theme.steps}
            existing: set[UUID] = set()
            if changed is not None:
                existing = set(
                    self.connection.scalars(select(table.c.id).where(table.c.theme_id == theme.id))
                )
                gone = existing - kept
                if gone:
                    self.connection.execute(delete(table).where(table.c.id.in_(gone)))
            rows = [
                {"id": s.id, "theme_id": theme.id, "position": i, "title": s.title}
                for i, s in enumerate(theme.steps)
            ]
            new = [r for r in rows if r["id"] not in existing]
            moved = [r for r in rows if r["id"] in existing]
            if new:
                self._execute(insert(table), new)
            for row in moved:
                self.connection.execute(
                    update(table)
                    .where(table.c.id == row["id"])
                    .values(position=row["position"], title=row["title"])
                )


class ProjectThemeRepository(TableRepository[ProjectTheme]):
    table, entity, entity_type = t.project_themes, ProjectTheme, "project_theme"


class ProgressRepository:
    """Which participant did which step of a theme in a project."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def done(self, project_id: UUID, theme_id: UUID) -> dict[UUID, set[UUID]]:
        table = t.steps_done
        rows = self.uow.connection.execute(
            select(table.c.participant_id, table.c.step_id).where(
                table.c.workspace_id == self.uow.scope.workspace_id,
                table.c.project_id == project_id,
                table.c.theme_id == theme_id,
            )
        )
        done: dict[UUID, set[UUID]] = defaultdict(set)
        for participant_id, step_id in rows:
            done[participant_id].add(step_id)
        return done

    def clear(self, project_id: UUID, theme_id: UUID) -> None:
        table = t.steps_done
        self.uow.connection.execute(
            delete(table).where(table.c.project_id == project_id, table.c.theme_id == theme_id)
        )

    def set_done(
        self, project_id: UUID, theme_id: UUID, participant_id: UUID, steps: Iterable[UUID]
    ) -> None:
        table = t.steps_done
        self.uow.connection.execute(
            delete(table).where(
                table.c.project_id == project_id,
                table.c.theme_id == theme_id,
                table.c.participant_id == participant_id,
            )
        )
        now = utcnow()
        rows = [
            {
                "workspace_id": self.uow.scope.workspace_id,
                "project_id": project_id,
                "theme_id": theme_id,
                "participant_id": participant_id,
                "step_id": step,
                "done_at": now,
            }
            for step in steps
        ]
        if rows:
            self.uow.connection.execute(insert(table), rows)
