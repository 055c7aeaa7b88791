"""The SQLAlchemy unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

from functools import cached_property
from typing import Self
from uuid import UUID

from sqlalchemy import Connection, Engine

from domain.access import Scope
from domain.audit import AuditRecord
from repositories import (
    development,
    export_jobs,
    import_jobs,
    outbox,
    pulse,
    records,
    service_definition,
)
from repositories import imports as import_records
from repositories import meetings as meeting_records
from repositories import reminders as reminder_records
from repositories import webhooks as webhook_records
from repositories.database import READ, SNAPSHOT, WRITE, begin
from repositories.idempotency import mark_applied


class SqlUnitOfWork:
    def __init__(
        self,
        engine: Engine,
        scope: Scope | None,
        *,
        write: bool = True,
        snapshot: bool = False,
        idempotency_claim: UUID | None = None,
    ) -> None:
        """``scope`` is ``None`` only for operator tasks that span workspaces.
        ``snapshot``: a read whose statements must all see the same state (exports).
        ``idempotency_claim``: the Idempotency-Key claim of the request, marked applied by
        the commit itself, so a retry can never apply the change a second time."""
        self.engine = engine
        self._scope = scope
        self.write = write
        self.purpose = WRITE if write else SNAPSHOT if snapshot else READ
        self.idempotency_claim = idempotency_claim
        self._connection: Connection | None = None
        self._announced: list[AuditRecord] = []

    def __enter__(self) -> Self:
        self._connection, self._transaction = begin(self.engine, self.purpose)
        self._announced = []
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        connection, self._connection = self.connection, None
        try:
            if self.purpose == SNAPSHOT and error_type is None:
                # A read-only transaction ends alike either way, but psycopg forgets every
                # prepared statement of the connection on a ROLLBACK.
                self._transaction.commit()
        finally:
            # Closing rolls back what was not committed, and tells the pool so: rolling
            # back first left the pool to roll back a second time, for nothing.
            connection.close()

    @property
    def scope(self) -> Scope:
        """The caller's scope, which every repository of a table applies; an operator's
        unit of work (no scope) may only use what spans workspaces (``workspaces``)."""
        if self._scope is None:
            raise RuntimeError("this unit of work spans workspaces: it has no scope to apply")
        return self._scope

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is used outside its 'with' block")
        return self._connection

    def commit(self) -> None:
        if not self.write:
            # A read-only unit of work may run outside a transaction: what it wrote would
            # not be all or nothing. Changes belong to requests that say they change.
            raise RuntimeError("a read-only unit of work cannot commit")
        if self._announced:
            announced, self._announced = self._announced, []
            outbox.publish(self.connection, self.scope.workspace_id, announced)
        if self.idempotency_claim is not None:
            mark_applied(self.connection, self.idempotency_claim)
        self._transaction.commit()

    def rollback(self) -> None:
        """Forget what was written so far; what follows runs in a new transaction."""
        self._announced = []
        self._transaction.rollback()
        self._transaction = self.connection.begin()

    def announce(self, records: list[AuditRecord]) -> None:
        """Changes audited in this transaction: the commit writes their events."""
        self._announced.extend(records)

    # The repositories, made on first use; they read ``connection`` at call time.
    workspaces = cached_property(records.WorkspaceRepository)
    api_keys = cached_property(records.ApiKeyRepository)
    users = cached_property(records.UserRepository)
    organisations = cached_property(records.OrganisationRepository)
    teams = cached_property(records.TeamRepository)
    people = cached_property(records.PeopleRepository)
    projects = cached_property(records.ProjectRepository)
    participants = cached_property(records.ParticipantRepository)
    transitions = cached_property(records.TransitionRepository)
    findings = cached_property(records.FindingRepository)
    grievances = cached_property(records.GrievanceRepository)
    readiness = cached_property(records.ReadinessRepository)
    readiness_rounds = cached_property(records.ReadinessRoundRepository)
    conclusions = cached_property(records.ConclusionRepository)
    audit = cached_property(records.AuditRepository)
    competences = cached_property(service_definition.CompetenceRepository)
    services = cached_property(service_definition.ServiceRepository)
    contributions = cached_property(service_definition.ContributionRepository)
    feedback = cached_property(service_definition.FeedbackRepository)
    measurements = cached_property(service_definition.MeasurementRepository)
    surveys = cached_property(pulse.SurveyRepository)
    pulse_answers = cached_property(pulse.PulseAnswerRepository)
    levels = cached_property(development.LevelRepository)
    level_history = cached_property(development.LevelHistoryRepository)
    wishes = cached_property(development.WishRepository)
    agreements = cached_property(development.AgreementRepository)
    check_ins = cached_property(development.CheckInRepository)
    meetings = cached_property(meeting_records.MeetingRepository)
    commitments = cached_property(meeting_records.CommitmentRepository)
    action_reports = cached_property(meeting_records.ActionReportRepository)
    themes = cached_property(meeting_records.ThemeRepository)
    project_themes = cached_property(meeting_records.ProjectThemeRepository)
    progress = cached_property(meeting_records.ProgressRepository)
    imports = cached_property(import_records.ImportRepository)
    import_jobs = cached_property(import_jobs.ImportJobRepository)
    export_jobs = cached_property(export_jobs.ExportJobRepository)
    events = cached_property(outbox.EventRepository)
    webhooks = cached_property(webhook_records.WebhookRepository)
    deliveries = cached_property(webhook_records.DeliveryRepository)
    reminders = cached_property(reminder_records.ReminderLog)
