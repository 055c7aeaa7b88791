"""The repositories of each stored kind: the table, the entity, and what differs."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import Select, delete, func, insert, or_, select, update

from domain.access import ApiKey, User, Workspace
from domain.audit import AuditRecord, Change
from domain.intake import Conclusion, Finding, Grievance, ReadinessRating, ReadinessRound
from domain.organisations import Organisation, Person, Team
from domain.projects import Participant, PhaseTransition, Project
from repositories import tables as t
from repositories.base import LogRepository, TableRepository


class OrganisationRepository(TableRepository[Organisation]):
    table, entity, entity_type = t.organisations, Organisation, "organisation"
    organisation_column = "id"

    def _search(self, stmt: Select, term: str) -> Select:
        return stmt.where(
            func.lower(t.organisations.c.name).contains(term.lower(), autoescape=True)
        )


class ApiKeyRepository(TableRepository[ApiKey]):
    table, entity, entity_type = t.api_keys, ApiKey, "api_key"


class UserRepository(TableRepository[User]):
    table, entity, entity_type = t.users, User, "user"

    def _search(self, stmt: Select, term: str) -> Select:
        lowered = term.lower()
        return stmt.where(
            or_(
                func.lower(t.users.c.email).contains(lowered, autoescape=True),
                func.lower(t.users.c.display_name).contains(lowered, autoescape=True),
            )
        )


class TeamRepository(TableRepository[Team]):
    table, entity, entity_type = t.teams, Team, "team"
    organisation_column = "organisation_id"


class PeopleRepository(TableRepository[Person]):
    table, entity, entity_type = t.people, Person, "person"
    organisation_column = "organisation_id"

    def _search(self, stmt: Select, term: str) -> Select:
        lowered = term.lower()
        return stmt.where(
            or_(
                func.lower(t.people.c.name).contains(lowered, autoescape=True),
                func.lower(t.people.c.email).contains(lowered, autoescape=True),
                t.people.c.external_id == term,  # an HRIS id is matched exactly, case and all
            )
        )

    def is_referenced(self, person_id: Any) -> bool:
        stmt = select(t.participants.c.id).where(t.participants.c.person_id == person_id).limit(1)
        return self.connection.execute(stmt).first() is not None

    def erase(self, person: Person, changed: Collection[str]) -> None:
        self.update(person, changed, action="erase")
        self._forget(person)

    def remove(self, person: Person) -> None:
        super().remove(person)
        self._forget(person)

    def _forget(self, person: Person) -> None:
        """A stored replay of an idempotent request may still carry the person's data."""
        self.connection.execute(
            delete(t.idempotency_records).where(
                t.idempotency_records.c.workspace_id == self.uow.scope.workspace_id,
                t.idempotency_records.c.body.contains(str(person.id), autoescape=True),
            )
        )


class ProjectRepository(TableRepository[Project]):
    table, entity, entity_type = t.projects, Project, "project"
    organisation_column = "organisation_id"

    def _search(self, stmt: Select, term: str) -> Select:
        return stmt.where(func.lower(t.projects.c.name).contains(term.lower(), autoescape=True))


class ParticipantRepository(TableRepository[Participant]):
    """Participants come with their person's current name and external id (``None`` once
    erased), and whether the person is still active."""

    table, entity, entity_type = t.participants, Participant, "participant"

    def _columns(self) -> Select:
        person = (t.people.c.name, t.people.c.external_id, t.people.c.active)
        return select(*(t.participants.c[f] for f in self.fields), *person).join(
            t.people, t.people.c.id == t.participants.c.person_id
        )


class FindingRepository(TableRepository[Finding]):
    table, entity, entity_type = t.findings, Finding, "finding"


class GrievanceRepository(TableRepository[Grievance]):
    table, entity, entity_type = t.grievances, Grievance, "grievance"


class ReadinessRepository(TableRepository[ReadinessRating]):
    table, entity, entity_type = t.readiness_ratings, ReadinessRating, "readiness_rating"


class ReadinessRoundRepository(TableRepository[ReadinessRound]):
    table, entity, entity_type = t.readiness_rounds, ReadinessRound, "readiness_round"

    def _order(self) -> list[Any]:
        return [t.readiness_rounds.c.number]


class ConclusionRepository(TableRepository[Conclusion]):
    table, entity, entity_type = t.intake_conclusions, Conclusion, "conclusion"


class WorkspaceRepository:
    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def add(self, workspace: Workspace) -> None:
        self.uow.connection.execute(
            insert(t.workspaces).values(
                id=workspace.id,
                name=workspace.name,
                created_at=workspace.created_at,
                language=workspace.language,
            )
        )

    def count(self) -> int:
        return self.uow.connection.scalar(select(func.count()).select_from(t.workspaces)) or 0

    def matching(self, id_or_name: str) -> list[Workspace]:
        ws = t.workspaces.c
        try:
            wanted = or_(ws.name == id_or_name, ws.id == UUID(id_or_name))
        except ValueError:
            wanted = ws.name == id_or_name
        rows = self.uow.connection.execute(select(ws.id, ws.name, ws.created_at).where(wanted))
        return [Workspace(id=r.id, name=r.name, created_at=r.created_at) for r in rows]

    def current(self) -> Workspace:
        row = (
            self.uow.connection.execute(
                select(t.workspaces).where(t.workspaces.c.id == self.uow.scope.workspace_id)
            )
            .mappings()
            .one()
        )
        return Workspace(**row)

    def update(self, workspace: Workspace) -> None:
        self.uow.connection.execute(
            update(t.workspaces)
            .where(t.workspaces.c.id == workspace.id)
            .values(name=workspace.name, language=workspace.language)
        )


class TransitionRepository(LogRepository[PhaseTransition]):
    """The phase history of projects."""

    table, entity = t.phase_transitions, PhaseTransition
    columns = ("id", "project_id", "from_phase", "to_phase", "reason", "actor_id", "created_at")


class AuditRepository(LogRepository[AuditRecord]):
    """The audit trail, written in the same transaction as the change it records."""

    table, entity, newest_first = t.audit_records, AuditRecord, True
    columns = (
        "id",
        "actor_id",
        "actor_kind",
        "action",
        "entity_type",
        "entity_id",
        "changed_fields",
        "created_at",
    )

    def add_many(self, entries: Iterable[AuditRecord]) -> None:
        """Each record of the trail is also announced: the commit writes it as an event."""
        entries = list(entries)
        super().add_many(entries)
        self.uow.announce(entries)

    def record(self, record: AuditRecord) -> None:
        self.add_many([record])

    def record_many(self, records: Iterable[AuditRecord]) -> None:
        self.add_many(records)

    def record_change(
        self,
        action: str,
        entity_type: str,
        entity_id: Any,
        fields: list[str],
        *,
        project_id: Any = None,
    ) -> None:
        """Audit a change that no single repository write stands for (a batch, a set)."""
        self.record_changes([Change(action, entity_type, entity_id, fields, project_id)])

    def record_changes(self, changes: Iterable[Change]) -> None:
        scope = self.uow.scope
        self.record_many(
            AuditRecord(
                actor_id=scope.actor_id,
                actor_kind=scope.actor_kind,
                action=change.action,
                entity_type=change.entity_type,
                entity_id=change.entity_id,
                changed_fields=list(change.fields),
                project_id=change.project_id,
            )
            for change in changes
        )
