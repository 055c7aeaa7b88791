"""The ports the services work through: repositories and the unit of work.

The SQLAlchemy adapters in ``repositories`` implement them for real; ``tests/unit``
implements them in memory, so the rules are tested without a database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Protocol, Self, TypeVar
from uuid import UUID

from domain.access import ApiKey, Scope, Workspace
from domain.audit import AuditRecord
from domain.base import Entity, ListQuery, Page
from domain.competences import Competence
from domain.development import Agreement, CheckIn
from domain.events import Event
from domain.imports import Import
from domain.intake import Conclusion, Finding, Grievance, ReadinessRating
from domain.matrix import Cells, DevelopmentWish, Level, LevelChange
from domain.meetings import ActionReport, Commitment, Meeting
from domain.organisations import Organisation, Person, Team
from domain.projects import Participant, PhaseTransition, Project
from domain.reminders import Reminder
from domain.service_definition import (
    Contribution,
    FeedbackStatus,
    ManagementFeedback,
    Service,
)
from domain.themes import ProjectTheme, Theme
from domain.webhooks import Delivery, Webhook

E = TypeVar("E", bound=Entity)
L = TypeVar("L")


class Repository(Protocol[E]):
    """Stored entities of one kind, already narrowed to the caller's scope."""

    def get(self, entity_id: UUID, **within: Any) -> E:
        """The entity, or ``NotFound``; ``within`` names the parent it must belong to."""

    def find(self, entity_id: UUID, **within: Any) -> E | None: ...

    def find_many(self, entity_ids: Collection[UUID]) -> list[E]: ...

    def find_by(self, **filters: Any) -> E | None: ...

    def all(self, **filters: Any) -> list[E]: ...

    def count(self, **filters: Any) -> int: ...

    def list(self, query: ListQuery) -> Page[E]: ...

    def add(self, entity: E) -> None: ...

    def update(self, entity: E, changed: Collection[str], action: str = "update") -> None:
        """Write ``changed`` fields if the stored version is still ``entity.version``.

        Raises ``StaleVersion`` when someone else wrote first; bumps the version.
        """

    def remove(self, entity: E) -> None: ...

    def remove_all(self, **filters: Any) -> int: ...

    def add_many(self, entities: list[E], audited: bool = True) -> None:
        """Insert many in bulk statements (an HRIS sync, an import), each audited unless
        the service audits the batch as one change."""

    def update_many(self, changes: list[tuple[E, Collection[str]]], audited: bool = True) -> None:
        """Write many changes in bulk statements; last writer wins, versions still bump."""


class PeopleRepository(Repository[Person], Protocol):
    def is_referenced(self, person_id: UUID) -> bool:
        """Whether a project still refers to the person, so erasure must anonymise."""

    def erase(self, person: Person, changed: Collection[str]) -> None:
        """Store the anonymised person and drop every other stored copy of their data."""


class CompetenceRepository(Repository[Competence], Protocol):
    def is_used(self, competence_id: UUID) -> bool:
        """Whether anything refers to it, so it must be archived rather than deleted."""


class LevelRepository(Repository[Level], Protocol):
    def cells(self, project_id: UUID) -> Cells:
        """The project's matrix, light: one statement, four values a cell, column-wise."""


class FeedbackRepository(Repository[ManagementFeedback], Protocol):
    def counts_by_service(self, project_id: UUID) -> dict[UUID, Counter[FeedbackStatus]]: ...


class ProgressRepository(Protocol):
    def done(self, project_id: UUID, theme_id: UUID) -> dict[UUID, set[UUID]]:
        """Per participant, the steps of the theme they have done in the project."""

    def set_done(
        self, project_id: UUID, theme_id: UUID, participant_id: UUID, steps: Iterable[UUID]
    ) -> None: ...

    def clear(self, project_id: UUID, theme_id: UUID) -> None: ...


class WorkspaceRepository(Protocol):
    def add(self, workspace: Workspace) -> None: ...

    def count(self) -> int: ...


class LogRepository(Protocol[L]):
    """An append-only record: phase history, level history, the audit trail."""

    def add(self, entry: L) -> None: ...

    def add_many(self, entries: Iterable[L]) -> None: ...

    def all(self, **filters: Any) -> list[L]: ...

    def list(self, query: ListQuery, **within: Any) -> Page[L]: ...


class AuditRepository(LogRepository[AuditRecord], Protocol):
    def record(self, record: AuditRecord) -> None: ...

    def record_many(self, records: Iterable[AuditRecord]) -> None: ...

    def record_change(
        self,
        action: str,
        entity_type: str,
        entity_id: UUID,
        fields: list[str],
        *,
        project_id: UUID | None = None,
    ) -> None:
        """Audit, as the acting key, a change no single repository write stands for."""


class EventRepository(Protocol):
    """The outbox, read in commit order (the commit itself writes it, from the trail)."""

    def after(
        self,
        position: int,
        limit: int,
        *,
        organisation_id: UUID | None = None,
        types: Collection[str] = (),
        listed_only: bool = True,
    ) -> list[Event]: ...

    def last_position(self) -> int: ...


class DeliveryRepository(Protocol):
    def list(self, webhook_id: UUID, query: ListQuery) -> Page[Delivery]: ...

    def get(self, webhook_id: UUID, delivery_id: UUID) -> Delivery: ...

    def resend(self, delivery: Delivery) -> None: ...


class ReminderLog(Protocol):
    def unsent(self, reminders: Sequence[Reminder]) -> list[Reminder]: ...

    def mark_sent(self, reminders: Sequence[Reminder]) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: everything a service does is kept only if it calls ``commit``."""

    scope: Scope
    workspaces: WorkspaceRepository
    api_keys: Repository[ApiKey]
    organisations: Repository[Organisation]
    teams: Repository[Team]
    people: PeopleRepository
    projects: Repository[Project]
    participants: Repository[Participant]
    transitions: LogRepository[PhaseTransition]
    findings: Repository[Finding]
    grievances: Repository[Grievance]
    readiness: Repository[ReadinessRating]
    conclusions: Repository[Conclusion]
    audit: AuditRepository
    competences: CompetenceRepository
    services: Repository[Service]
    contributions: Repository[Contribution]
    feedback: FeedbackRepository
    levels: LevelRepository
    level_history: LogRepository[LevelChange]
    wishes: Repository[DevelopmentWish]
    agreements: Repository[Agreement]
    check_ins: Repository[CheckIn]
    meetings: Repository[Meeting]
    commitments: Repository[Commitment]
    action_reports: Repository[ActionReport]
    themes: Repository[Theme]
    project_themes: Repository[ProjectTheme]
    progress: ProgressRepository
    imports: Repository[Import]
    events: EventRepository
    webhooks: Repository[Webhook]
    deliveries: DeliveryRepository
    reminders: ReminderLog

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
