"""The relational schema: one table per stored kind, every row tagged with its workspace."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
)

from domain.access import ActorKind, Language, Role
from domain.actions import ActionStatus
from domain.development import AgreementStatus, CheckInStatus
from domain.imports import ImportFormat
from domain.matrix import LevelSource
from domain.meetings import MeetingKind
from domain.phases import Phase
from domain.projects import ParticipantRole
from domain.service_definition import FeedbackStatus
from repositories.types import StrEnumList, StrEnumType, UtcDateTime

# Named constraints keep migrations portable (SQLite batch mode needs names to alter).
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _entity_columns() -> list[Column]:
    """What every versioned entity row has (see ``domain.base.Entity``)."""
    return [
        Column("id", Uuid, primary_key=True),
        Column(
            "workspace_id",
            Uuid,
            ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("version", Integer, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    ]


def _job_columns() -> list[Column]:
    """What every job keeps of its life (``repositories.jobs``): whose it is, whom it runs
    for, its attempts, and how it ended."""
    return [
        Column("id", Uuid, primary_key=True),
        Column(
            "workspace_id",
            Uuid,
            ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("status", String(16), nullable=False),  # queued, running, succeeded, failed
        # Whom it runs for: the requesting key's (or user's) scope, applied by the worker.
        Column("actor_id", Uuid, nullable=True),
        Column("actor_kind", String(16), nullable=False),
        Column("scope_organisation_id", Uuid, nullable=True),
        Column("attempts", Integer, nullable=False),
        # A failed job's problem, language-neutral (its texts as messages and values): each
        # reader gets it in its own language, as a synchronous answer would have said it.
        Column("problem", JSON, nullable=True),
        Column("created_at", UtcDateTime, nullable=False),
        # When "run it" was last put on the broker: the clock puts it there again for a job
        # still queued a lease later (its message lost), once per lease, not on every tick.
        Column("enqueued_at", UtcDateTime, nullable=False),
        Column("started_at", UtcDateTime, nullable=True),
        Column("finished_at", UtcDateTime, nullable=True),
    ]


def _in_project() -> Column:
    return Column(
        "project_id",
        Uuid,
        ForeignKey("projects.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


workspaces = Table(
    "workspaces",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("language", StrEnumType(Language), nullable=False, server_default=Language.EN.value),
)

organisations = Table(
    "organisations",
    metadata,
    *_entity_columns(),
    Column("name", String(200), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    *_entity_columns(),
    Column("name", String(200), nullable=False),
    Column("role", StrEnumType(Role), nullable=False),
    Column(
        "organisation_id", Uuid, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=True
    ),
    Column("prefix", String(16), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("revoked_at", UtcDateTime, nullable=True),
)

users = Table(
    "users",
    metadata,
    *_entity_columns(),
    Column("email", String(320), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("role", StrEnumType(Role), nullable=False),
    Column("person_id", Uuid, ForeignKey("people.id", ondelete="SET NULL"), nullable=True),
    Column("issuer", String(500), nullable=True),
    Column("subject", String(255), nullable=True),
    Column("signed_in_at", UtcDateTime, nullable=True),
    UniqueConstraint("workspace_id", "email"),
    UniqueConstraint("issuer", "subject"),
)

teams = Table(
    "teams",
    metadata,
    *_entity_columns(),
    Column("organisation_id", Uuid, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    UniqueConstraint("organisation_id", "name"),
)

people = Table(
    "people",
    metadata,
    *_entity_columns(),
    Column("organisation_id", Uuid, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("external_id", String(200), nullable=True),
    Column("name", String(200), nullable=True),
    Column("email", String(320), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("team_id", Uuid, ForeignKey("teams.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("erased_at", UtcDateTime, nullable=True),
    UniqueConstraint("organisation_id", "external_id"),
)

projects = Table(
    "projects",
    metadata,
    *_entity_columns(),
    Column("organisation_id", Uuid, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("team_id", Uuid, ForeignKey("teams.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("phase", StrEnumType(Phase), nullable=False),
    Column("check_in_days", Integer, nullable=False, server_default="14"),
)

participants = Table(
    "participants",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column("person_id", Uuid, ForeignKey("people.id"), nullable=False, index=True),
    Column("roles", StrEnumList(ParticipantRole), nullable=False),
    UniqueConstraint("project_id", "person_id"),
)

phase_transitions = Table(
    "phase_transitions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    _in_project(),
    Column("from_phase", StrEnumType(Phase), nullable=False),
    Column("to_phase", StrEnumType(Phase), nullable=False),
    Column("reason", Text, nullable=True),
    Column("actor_id", Uuid, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

findings = Table(
    "findings",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column("text", Text, nullable=False),
)

grievances = Table(
    "grievances",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column("text", Text, nullable=False),
    Column("anonymous", Boolean, nullable=False),
    # NULL whenever anonymous: the constraint makes "no author at all" a database fact.
    Column(
        "participant_id", Uuid, ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    ),
    CheckConstraint(
        "NOT (anonymous AND participant_id IS NOT NULL)", name="anonymous_has_no_author"
    ),
)

readiness_ratings = Table(
    "readiness_ratings",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column(
        "participant_id", Uuid, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
    ),
    Column("desire", SmallInteger, nullable=False),
    Column("energy", SmallInteger, nullable=False),
    Column("feasibility", SmallInteger, nullable=False),
    # Each round's ratings are kept; a participant rates once per round.
    Column("round", SmallInteger, nullable=False, server_default="1"),
    UniqueConstraint("project_id", "participant_id", "round"),
    CheckConstraint(
        "desire BETWEEN 1 AND 5 AND energy BETWEEN 1 AND 5 AND feasibility BETWEEN 1 AND 5",
        name="scores_1_to_5",
    ),
)

readiness_rounds = Table(
    "readiness_rounds",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column("number", SmallInteger, nullable=False),
    UniqueConstraint("project_id", "number"),
    CheckConstraint("number >= 2", name="after_the_baseline"),
)

intake_conclusions = Table(
    "intake_conclusions",
    metadata,
    *_entity_columns(),
    Column(
        "project_id",
        Uuid,
        ForeignKey("projects.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("ready", Boolean, nullable=False),
    Column("text", Text, nullable=False),
)

audit_records = Table(
    "audit_records",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", Uuid, nullable=True),
    Column("actor_kind", StrEnumType(ActorKind), nullable=False, server_default="api_key"),
    Column("action", String(32), nullable=False),
    Column("entity_type", String(64), nullable=False),
    Column("entity_id", Uuid, nullable=False),
    Column("changed_fields", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_audit_records_workspace_created", "workspace_id", "created_at"),
)

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    # The API key or the user whose claim it is (no foreign key: either table).
    Column("api_key_id", Uuid, nullable=False),
    Column("key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=True),  # NULL while the first request still runs
    Column("headers", JSON, nullable=True),
    Column("body", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # Set in the transaction that applied the request's change: then the request happened,
    # whether or not its response could be kept.
    Column("applied_at", UtcDateTime, nullable=True),
    UniqueConstraint("api_key_id", "key"),
)

competences = Table(
    "competences",
    metadata,
    *_entity_columns(),
    Column("code", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("parent_id", Uuid, ForeignKey("competences.id"), nullable=True, index=True),
    Column("archived_at", UtcDateTime, nullable=True),
    UniqueConstraint("workspace_id", "code"),
)

services = Table(
    "services",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("client_group", Text, nullable=False),
    Column("deliverables", JSON, nullable=False),
    Column("indicators", JSON, nullable=False),
    UniqueConstraint("project_id", "name"),
)

service_competences = Table(
    "service_competences",
    metadata,
    Column("service_id", Uuid, ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("competence_id", Uuid, ForeignKey("competences.id"), primary_key=True, index=True),
    Column("position", SmallInteger, nullable=False),
    Column("level", SmallInteger, nullable=False),
    CheckConstraint("level BETWEEN 0 AND 4", name="level_0_to_4"),
)

contributions = Table(
    "contributions",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column("service_id", Uuid, ForeignKey("services.id", ondelete="CASCADE"), nullable=False),
    Column(
        "participant_id",
        Uuid,
        ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("contribution", Text, nullable=False),
    UniqueConstraint("service_id", "participant_id"),
)

management_feedback = Table(
    "management_feedback",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column(
        "service_id",
        Uuid,
        ForeignKey("services.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "participant_id", Uuid, ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    ),
    Column("author_name", String(200), nullable=True),
    Column("text", Text, nullable=False),
    Column("status", StrEnumType(FeedbackStatus), nullable=False),
    Column("response", Text, nullable=True),
    Column("meeting_id", Uuid, ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True),
)

indicator_measurements = Table(
    "indicator_measurements",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column(
        "service_id",
        Uuid,
        ForeignKey("services.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    # The indicator's text, as the service lists it: its id is derived from it.
    Column("indicator", Text, nullable=False),
    Column("value", Float, nullable=False),
    Column("date", Date, nullable=False),
    Column("source", String(200), nullable=False),
)

pulse_surveys = Table(
    "pulse_surveys",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column("title", String(200), nullable=False),
    Column("questions", JSON, nullable=False),
    Column("round", SmallInteger, nullable=False),
)

# Anonymity is a fact of these three tables: no answer row names a participant, a user
# or a time. Scale answers are counts per value; open answers bare texts under a random
# id (on SQLite kept in that id's order, not in the order they came); who has answered in
# a round is kept apart, without a time, so the two cannot be matched up.
pulse_counts = Table(
    "pulse_counts",
    metadata,
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("survey_id", Uuid, ForeignKey("pulse_surveys.id", ondelete="CASCADE"), primary_key=True),
    Column("round", SmallInteger, primary_key=True),
    Column("question_id", Uuid, primary_key=True),
    Column("value", SmallInteger, primary_key=True),
    Column("count", Integer, nullable=False),
    sqlite_with_rowid=False,
)

pulse_texts = Table(
    "pulse_texts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column(
        "survey_id",
        Uuid,
        ForeignKey("pulse_surveys.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("round", SmallInteger, nullable=False),
    Column("question_id", Uuid, nullable=False),
    Column("text", Text, nullable=False),
    sqlite_with_rowid=False,
)

pulse_respondents = Table(
    "pulse_respondents",
    metadata,
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("survey_id", Uuid, ForeignKey("pulse_surveys.id", ondelete="CASCADE"), primary_key=True),
    Column("round", SmallInteger, primary_key=True),
    Column(
        "participant_id",
        Uuid,
        ForeignKey("participants.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
    sqlite_with_rowid=False,
)

levels = Table(
    "levels",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column(
        "participant_id", Uuid, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
    ),
    Column("competence_id", Uuid, ForeignKey("competences.id"), nullable=False, index=True),
    Column("level", SmallInteger, nullable=False),
    Column("source", StrEnumType(LevelSource), nullable=False),
    UniqueConstraint("participant_id", "competence_id"),
    CheckConstraint("level BETWEEN 0 AND 4", name="level_0_to_4"),
)

level_history = Table(
    "level_history",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    _in_project(),
    Column(
        "participant_id", Uuid, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
    ),
    Column("competence_id", Uuid, ForeignKey("competences.id"), nullable=False),
    Column("level", SmallInteger, nullable=False),
    Column("previous_level", SmallInteger, nullable=True),
    Column("source", StrEnumType(LevelSource), nullable=False),
    Column("actor_id", Uuid, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_level_history_participant", "participant_id", "created_at"),
    Index("ix_level_history_competence", "competence_id", "created_at"),
)

wishes = Table(
    "wishes",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column(
        "participant_id", Uuid, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
    ),
    Column("competence_id", Uuid, ForeignKey("competences.id"), nullable=False, index=True),
    Column("motivation", Text, nullable=False),
    UniqueConstraint("participant_id", "competence_id"),
)

# A senior, an external coach or a training: exactly one (CASE, as PostgreSQL does not
# add booleans).
ONE_KIND_OF_COACHING = (
    "(CASE WHEN coach_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN external_coach_name IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN training_title IS NULL THEN 0 ELSE 1 END) = 1"
)

agreements = Table(
    "agreements",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column(
        "participant_id",
        Uuid,
        ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("competence_id", Uuid, ForeignKey("competences.id"), nullable=False, index=True),
    Column("start_level", SmallInteger, nullable=False),
    Column("target_level", SmallInteger, nullable=False),
    Column("coach_id", Uuid, ForeignKey("participants.id"), nullable=True),
    Column("external_coach_name", String(200), nullable=True),
    Column("external_coach_organisation", String(200), nullable=True),
    Column("training_title", String(200), nullable=True),
    Column("training_provider", String(200), nullable=True),
    Column("training_starts_on", Date, nullable=True),
    Column("training_ends_on", Date, nullable=True),
    Column("due_date", Date, nullable=False),
    Column("status", StrEnumType(AgreementStatus), nullable=False),
    Column("meeting_id", Uuid, ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True),
    CheckConstraint("target_level > start_level AND target_level <= 4", name="target_above_start"),
    CheckConstraint("coach_id <> participant_id", name="coach_is_not_the_participant"),
    CheckConstraint(ONE_KIND_OF_COACHING, name="one_kind_of_coaching"),
)

check_ins = Table(
    "check_ins",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column(
        "agreement_id",
        Uuid,
        ForeignKey("agreements.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "participant_id", Uuid, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
    ),
    Column("date", Date, nullable=False),
    Column("status", StrEnumType(CheckInStatus), nullable=False),
    Column("note", Text, nullable=False),
)

meetings = Table(
    "meetings",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column("kind", StrEnumType(MeetingKind), nullable=False),
    Column("date", Date, nullable=False),
    Column("topic", Text, nullable=False),
    Column("ground_rules", JSON, nullable=False),
    Column("start_time", Time, nullable=True),
    Column("duration_minutes", Integer, nullable=True),
    Column("place", String(200), nullable=False),
    Column("agenda", JSON, nullable=False),
    Column("notes", Text, nullable=False),
    Column("decisions", JSON, nullable=False),
)

meeting_attendees = Table(
    "meeting_attendees",
    metadata,
    Column("meeting_id", Uuid, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "participant_id",
        Uuid,
        ForeignKey("participants.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
    Column("position", SmallInteger, nullable=False),
    Column("layer", String(200), nullable=True),
)

# Actions: a meeting's commitments, and those made from a finding or grievance (no meeting).
commitments = Table(
    "commitments",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column(
        "meeting_id",
        Uuid,
        ForeignKey("meetings.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    ),
    Column("text", Text, nullable=False),
    Column("owner_ids", JSON, nullable=False),
    Column("due_date", Date, nullable=True),
    Column("status", StrEnumType(ActionStatus), nullable=False),
    Column("status_by_id", Uuid, ForeignKey("participants.id", ondelete="SET NULL")),
    Column("status_at", UtcDateTime, nullable=True),
    Column("finding_id", Uuid, ForeignKey("findings.id", ondelete="SET NULL"), nullable=True),
    Column("grievance_id", Uuid, ForeignKey("grievances.id", ondelete="SET NULL"), nullable=True),
)

action_reports = Table(
    "action_reports",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column(
        "meeting_id",
        Uuid,
        ForeignKey("meetings.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    # Without a commitment: one general answer for all of them (seed 000).
    Column("commitment_id", Uuid, ForeignKey("commitments.id", ondelete="CASCADE"), nullable=True),
    Column(
        "participant_id", Uuid, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
    ),
    Column("text", Text, nullable=False),
    UniqueConstraint("meeting_id", "commitment_id", "participant_id"),
)

themes = Table(
    "themes",
    metadata,
    *_entity_columns(),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    UniqueConstraint("workspace_id", "name"),
)

theme_steps = Table(
    "theme_steps",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column(
        "theme_id", Uuid, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("position", SmallInteger, nullable=False),
    Column("title", String(500), nullable=False),
)

project_themes = Table(
    "project_themes",
    metadata,
    *_entity_columns(),
    _in_project(),
    Column("theme_id", Uuid, ForeignKey("themes.id"), nullable=False, index=True),
    UniqueConstraint("project_id", "theme_id"),
)

steps_done = Table(
    "steps_done",
    metadata,
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    _in_project(),
    Column(
        "participant_id", Uuid, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("step_id", Uuid, ForeignKey("theme_steps.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", Uuid, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False),
    Column("done_at", UtcDateTime, nullable=False),
)

imports = Table(
    "imports",
    metadata,
    *_entity_columns(),
    Column("format", StrEnumType(ImportFormat), nullable=False),
    Column("kind", String(32), nullable=True),
    Column("target_id", Uuid, nullable=True),
    # Whose data it touched: hidden from keys restricted to another organisation. NULL for
    # the workspace's own kinds (competences), which every key of the workspace sees.
    Column(
        "organisation_id",
        Uuid,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=True,
    ),
    Column("dry_run", Boolean, nullable=False),
    # How a CSV or NDJSON file was read: its text encoding and (CSV) delimiter.
    Column("encoding", String(16), nullable=True),
    Column("delimiter", String(1), nullable=True),
    Column("counts", JSON, nullable=False),
    # The per-item outcomes as [index, kind, key, outcome] lists: compact for large files.
    Column("items", JSON, nullable=False),
    Column("actor_id", Uuid, nullable=True),
)


# Imports run as jobs on the worker (``Prefer: respond-async``, or a large body): the
# job's state, from submission to its end. Its report, once applied, is the ``imports``
# row of the same id, written in the import's own transaction with the job's "succeeded".
import_jobs = Table(
    "import_jobs",
    metadata,
    *_job_columns(),
    Column("format", StrEnumType(ImportFormat), nullable=False),
    Column("kind", String(32), nullable=True),
    Column("target_id", Uuid, nullable=True),
    # Whose data it touches, as the report will say: hidden from other organisations' keys.
    Column("organisation_id", Uuid, nullable=True),
    Column("dry_run", Boolean, nullable=False),
    Column("body_bytes", BigInteger, nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("rows_applied", Integer, nullable=False),
)

# The uploaded body of a job, in pieces of about a megabyte: written as it arrives and
# read back as a stream, so neither side holds a large file whole. Dropped at the end.
import_uploads = Table(
    "import_uploads",
    metadata,
    Column(
        "job_id",
        Uuid,
        ForeignKey("import_jobs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("seq", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

# Workbook exports run as jobs (``domain.export_jobs``): the same lifecycle columns as
# import jobs (``repositories.jobs``), and the workbook once rendered.
export_jobs = Table(
    "export_jobs",
    metadata,
    *_job_columns(),
    Column("project_id", Uuid, nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("language", String(8), nullable=False),
    Column("filename", String(128), nullable=True),
    Column("file_bytes", BigInteger, nullable=False),
)

export_files = Table(
    "export_files",
    metadata,
    Column(
        "job_id",
        Uuid,
        ForeignKey("export_jobs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("data", LargeBinary, nullable=False),
)

# A running job's progress and heartbeat, written every second or so by the worker
# outside the import's transaction (which stays all or nothing). No foreign keys: on
# SQLite, whose one writer is the import itself, this table lives in a file beside the
# database (``repositories.progress``).
import_progress = Table(
    "import_progress",
    metadata,
    Column("job_id", Uuid, primary_key=True),
    Column("attempt", Integer, nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("rows_applied", Integer, nullable=False),
    Column("bytes_read", BigInteger, nullable=False),
    Column("beat_at", UtcDateTime, nullable=False),
)

# --- events out: the outbox, the change feed, webhooks ---------------------------------

# The last position given to an event of each workspace, on PostgreSQL. Its row is taken
# (updated) by each committing transaction that has events, by the INSERT of its events
# just before COMMIT, and held until then: positions are therefore handed out in the order
# transactions commit, so a reader that sees position n also sees every position below
# it. SQLite needs no counter: its writers take turns from BEGIN to COMMIT, so each event
# is one past the workspace's last (repositories/outbox.py).
event_streams = Table(
    "event_streams",
    metadata,
    Column(
        "workspace_id",
        Uuid,
        ForeignKey("workspaces.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", BigInteger, nullable=False),
)

# The outbox: one row per committed change, written in the change's own transaction.
events = Table(
    "events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("type", String(64), nullable=False),
    Column("entity_type", String(64), nullable=False),
    Column("entity_id", Uuid, nullable=False),
    Column("change", String(16), nullable=False),
    Column("version", Integer, nullable=True),
    Column("changed_fields", JSON, nullable=False),
    # Whose it is, for keys and subscriptions restricted to one organisation (no foreign
    # keys: the event of a deletion outlives what it names).
    Column("organisation_id", Uuid, nullable=True),
    Column("project_id", Uuid, nullable=True),
    Column("actor_id", Uuid, nullable=True),
    Column("occurred_at", UtcDateTime, nullable=False),
    UniqueConstraint("workspace_id", "position"),
)

webhooks = Table(
    "webhooks",
    metadata,
    *_entity_columns(),
    Column("url", String(2048), nullable=False),
    Column("description", String(500), nullable=True),
    Column("event_types", JSON, nullable=False),  # empty: every type
    Column(
        "organisation_id",
        Uuid,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=True,
    ),
    Column("secret", String(128), nullable=False),  # signs deliveries; shown once
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", String(500), nullable=True),
    # The position of the last event turned into a delivery of this subscription.
    Column("cursor", BigInteger, nullable=False),
    Column("failing_since", UtcDateTime, nullable=True),
    # Held by the worker delivering to it: one at a time, so deliveries keep their order.
    Column("leased_until", UtcDateTime, nullable=True),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("webhook_id", Uuid, ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", Uuid, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # pending, succeeded, failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("last_attempt_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime, nullable=True),
    UniqueConstraint("webhook_id", "event_id"),
    Index("ix_webhook_deliveries_webhook_status_position", "webhook_id", "status", "position"),
)

# The history of deliveries: one row per try, written with the outcome it records.
webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("webhook_id", Uuid, ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    Column(
        "delivery_id",
        Uuid,
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("number", Integer, nullable=False),  # of its delivery's tries, from 1
    Column("attempted_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False),  # succeeded, failed
    Column("status_code", Integer, nullable=True),
    Column("latency_ms", Integer, nullable=True),
    Column("error", String(500), nullable=True),
    # The try this failure scheduled (none after a success, or once given up).
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Index("ix_webhook_attempts_webhook_attempted", "webhook_id", "attempted_at"),
)

# Reminders announced (as events) already: each kind, subject and day once.
reminders_sent = Table(
    "reminders_sent",
    metadata,
    Column("workspace_id", Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), primary_key=True),
    Column("subject_id", Uuid, primary_key=True),
    Column("due_on", Date, primary_key=True),
    Column("sent_at", UtcDateTime, nullable=False),
)
