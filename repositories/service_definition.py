"""Repositories of the competence catalogue and of service definition."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from typing import Any
from uuid import UUID

from sqlalchemy import Select, delete, exists, func, insert, or_, select

from domain.competences import Competence
from domain.indicators import Measurement
from domain.service_definition import (
    Contribution,
    FeedbackStatus,
    ManagementFeedback,
    RequiredCompetence,
    Service,
)
from repositories import tables as t
from repositories.base import TableRepository


class CompetenceRepository(TableRepository[Competence]):
    table, entity, entity_type = t.competences, Competence, "competence"

    def _search(self, stmt: Select, term: str) -> Select:
        term = term.lower()
        return stmt.where(
            or_(
                func.lower(t.competences.c.code).contains(term, autoescape=True),
                func.lower(t.competences.c.name).contains(term, autoescape=True),
            )
        )

    def is_used(self, competence_id: UUID) -> bool:
        """Whether anything refers to the competence, so it must be archived, not deleted."""
        references = [
            select(table.c.competence_id).where(table.c.competence_id == competence_id)
            for table in (
                t.service_competences,
                t.levels,
                t.level_history,
                t.wishes,
                t.agreements,
            )
        ]
        references.append(
            select(t.competences.c.id).where(t.competences.c.parent_id == competence_id)
        )
        return bool(self.connection.scalar(select(or_(*(exists(q) for q in references)))))


class ServiceRepository(TableRepository[Service]):
    """Services with the competences they require (kept in their own table, in order)."""

    table, entity, entity_type = t.services, Service, "service"

    def _complete(self, services: list[Service]) -> None:
        needs = t.service_competences
        rows = self.connection.execute(
            select(needs.c.service_id, needs.c.competence_id, needs.c.level)
            .where(needs.c.service_id.in_([s.id for s in services]))
            .order_by(needs.c.service_id, needs.c.position)
        )
        required: dict[UUID, list[RequiredCompetence]] = defaultdict(list)
        for row in rows:
            required[row.service_id].append(RequiredCompetence(row.competence_id, row.level))
        for service in services:
            service.required_competences = required[service.id]

    def _write_children(self, services: list[Service], changed: Collection[str] | None) -> None:
        if changed is not None and "required_competences" not in changed:
            return
        needs = t.service_competences
        if changed is not None:
            self.connection.execute(
                delete(needs).where(needs.c.service_id.in_([s.id for s in services]))
            )
        rows = [
            {"service_id": s.id, "competence_id": r.competence_id, "position": i, "level": r.level}
            for s in services
            for i, r in enumerate(s.required_competences)
        ]
        if rows:
            self._execute(insert(needs), rows)


class ContributionRepository(TableRepository[Contribution]):
    """Contributions come with the contributor's name (``None`` once erased)."""

    table, entity, entity_type = t.contributions, Contribution, "contribution"

    def _columns(self) -> Select:
        return (
            select(*(t.contributions.c[f] for f in self.fields), t.people.c.name)
            .join(t.participants, t.participants.c.id == t.contributions.c.participant_id)
            .join(t.people, t.people.c.id == t.participants.c.person_id)
        )


class MeasurementRepository(TableRepository[Measurement]):
    table, entity, entity_type = t.indicator_measurements, Measurement, "measurement"

    def _order(self) -> list[Any]:
        m = t.indicator_measurements.c
        return [m.date, m.created_at, m.id]


class FeedbackRepository(TableRepository[ManagementFeedback]):
    table, entity, entity_type = t.management_feedback, ManagementFeedback, "feedback"

    def counts_by_service(self, project_id: Any) -> dict[UUID, Counter[FeedbackStatus]]:
        feedback = t.management_feedback
        rows = self.connection.execute(
            self._scoped(
                select(feedback.c.service_id, feedback.c.status, func.count()).select_from(feedback)
            )
            .where(feedback.c.project_id == project_id)
            .group_by(feedback.c.service_id, feedback.c.status)
        )
        counts: dict[UUID, Counter[FeedbackStatus]] = defaultdict(Counter)
        for service_id, status, n in rows:
            counts[service_id][FeedbackStatus(status)] = n
        return counts
