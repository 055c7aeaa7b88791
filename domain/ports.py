"""The ports the services work through: repositories and the unit of work.

The SQLAlchemy adapters in ``repositories`` implement them for real; ``tests/unit``
implements them in memory, so the rules are tested without a database.
"""

from __future__ import annotations

import builtins
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar
from uuid import UUID

from domain.access import ApiKey, Scope, User, Workspace
from domain.audit import AuditRecord, Change
from domain.base import Entity, ListQuery, Page
from domain.competences import Competence
from domain.development import Agreement, CheckIn
from domain.events import Event
from domain.export_jobs import ExportFile, ExportJob
from domain.import_jobs import ImportJob
from domain.imports import Import
from domain.indicators import Measurement
from domain.intake import Conclusion, Finding, Grievance, ReadinessRating, ReadinessRound
from domain.matrix import Cells, DevelopmentWish, Level, LevelChange
from domain.meetings import ActionReport, Commitment, Meeting
from domain.organisations import Organisation, Person, Team
from domain.projects import Participant, PhaseTransition, Project
from domain.pulse import Answers, PulseSurvey, RoundAnswers
from domain.reminders import Reminder
from domain.service_definition import (
    Contribution,
    FeedbackStatus,
    ManagementFeedback,
    Service,
)
from domain.themes import ProjectTheme, Theme
from domain.webhooks import Attempt, Delivery, Webhook

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

    def add_many(self, entities: builtins.list[E], audited: bool = True) -> None:
        """Insert many in bulk statements (an HRIS sync, an import), each audited unless
        the service audits the batch as one change."""

    def update_many(
        self, changes: Sequence[tuple[E, Collection[str]]], audited: bool = True
    ) -> None:
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


class PulseAnswerRepository(Protocol):
    """Anonymous answers: stored without their participant; who answered, kept apart."""

    def has_answered(self, survey_id: UUID, round: int, participant_id: UUID) -> bool: ...

    def record(self, survey: PulseSurvey, participant_id: UUID, answers: Answers) -> None:
        """Note that the participant answered in the survey's round (a second time is a
        ``Conflict``), and add the answers to the round's, with nothing linking them."""

    def respondents(self, survey_ids: Collection[UUID]) -> dict[tuple[UUID, int], list[UUID]]:
        """Who answered in each (survey, round), never with what."""

    def restore(
        self, survey_id: UUID, round: int, respondents: Collection[UUID], held: RoundAnswers
    ) -> None:
        """Store a round as an export described it."""

    def rounds(self, survey_ids: Collection[UUID]) -> dict[UUID, dict[int, RoundAnswers]]:
        """What each survey's rounds hold, by survey and round number."""


class WorkspaceRepository(Protocol):
    def add(self, workspace: Workspace) -> None: ...

    def count(self) -> int: ...

    def matching(self, id_or_name: str) -> list[Workspace]:
        """The workspaces with this id or this name (names need not be unique)."""
        ...

    def current(self) -> Workspace:
        """The workspace of the unit of work's scope."""
        ...

    def update(self, workspace: Workspace) -> None: ...


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

    def record_changes(self, changes: Iterable[Change]) -> None:
        """Several such changes, in one statement."""


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
    def attempts(self, webhook_id: UUID, query: ListQuery) -> Page[Attempt]: ...

    def get(self, webhook_id: UUID, delivery_id: UUID) -> Delivery: ...

    def resend(self, delivery: Delivery) -> None: ...


class ImportJobRepository(Protocol):
    def add(self, job: ImportJob, body: Iterable[bytes]) -> None: ...

    def find(self, job_id: UUID) -> ImportJob | None: ...

    def succeed(self, job: ImportJob, *, rows_read: int, rows_applied: int) -> None: ...


class ExportJobRepository(Protocol):
    def add(self, job: ExportJob) -> None: ...

    def find(self, job_id: UUID) -> ExportJob | None: ...

    def file(self, job_id: UUID) -> ExportFile | None: ...


class ReminderLog(Protocol):
    def unsent(self, reminders: Sequence[Reminder]) -> list[Reminder]: ...

    def mark_sent(self, reminders: Sequence[Reminder]) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: everything a service does is kept only if it calls ``commit``."""

    # Read-only members: an implementation may hand out its repositories (and its scope) as
    # properties, and a type checker then holds each to the type named here.
    @property
    def scope(self) -> Scope: ...

    @property
    def workspaces(self) -> WorkspaceRepository: ...

    @property
    def api_keys(self) -> Repository[ApiKey]: ...

    @property
    def users(self) -> Repository[User]: ...

    @property
    def organisations(self) -> Repository[Organisation]: ...

    @property
    def teams(self) -> Repository[Team]: ...

    @property
    def people(self) -> PeopleRepository: ...

    @property
    def projects(self) -> Repository[Project]: ...

    @property
    def participants(self) -> Repository[Participant]: ...

    @property
    def transitions(self) -> LogRepository[PhaseTransition]: ...

    @property
    def findings(self) -> Repository[Finding]: ...

    @property
    def grievances(self) -> Repository[Grievance]: ...

    @property
    def readiness(self) -> Repository[ReadinessRating]: ...

    @property
    def readiness_rounds(self) -> Repository[ReadinessRound]: ...

    @property
    def conclusions(self) -> Repository[Conclusion]: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def competences(self) -> CompetenceRepository: ...

    @property
    def services(self) -> Repository[Service]: ...

    @property
    def contributions(self) -> Repository[Contribution]: ...

    @property
    def feedback(self) -> FeedbackRepository: ...

    @property
    def measurements(self) -> Repository[Measurement]: ...

    @property
    def surveys(self) -> Repository[PulseSurvey]: ...

    @property
    def pulse_answers(self) -> PulseAnswerRepository: ...

    @property
    def levels(self) -> LevelRepository: ...

    @property
    def level_history(self) -> LogRepository[LevelChange]: ...

    @property
    def wishes(self) -> Repository[DevelopmentWish]: ...

    @property
    def agreements(self) -> Repository[Agreement]: ...

    @property
    def check_ins(self) -> Repository[CheckIn]: ...

    @property
    def meetings(self) -> Repository[Meeting]: ...

    @property
    def commitments(self) -> Repository[Commitment]: ...

    @property
    def action_reports(self) -> Repository[ActionReport]: ...

    @property
    def themes(self) -> Repository[Theme]: ...

    @property
    def project_themes(self) -> Repository[ProjectTheme]: ...

    @property
    def progress(self) -> ProgressRepository: ...

    @property
    def imports(self) -> Repository[Import]: ...

    @property
    def import_jobs(self) -> ImportJobRepository: ...

    @property
    def export_jobs(self) -> ExportJobRepository: ...

    @property
    def events(self) -> EventRepository: ...

    @property
    def webhooks(self) -> Repository[Webhook]: ...

    @property
    def deliveries(self) -> DeliveryRepository: ...

    @property
    def reminders(self) -> ReminderLog: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None:
        """Forget what was written so far; the unit of work goes on afresh."""
        ...
