"""The project document: what ``/projects/{id}/export`` gives and ``/imports`` takes back.

One schema serves both: it documents the export and checks the form of an import, so the
two cannot drift apart.
"""

from __future__ import annotations

import marshmallow as ma

from api.extensions import Schema
from api.fields import Text
from api.resources.competences.schemas import Code
from domain.actions import ActionStatus
from domain.development import AgreementStatus, CheckInStatus
from domain.exchange import FORMAT, VERSION
from domain.matrix import LevelSource
from domain.meetings import MeetingKind
from domain.phases import Phase
from domain.projects import ParticipantRole
from domain.service_definition import FeedbackStatus

LONG = 10_000


def _enum(kind, **kwargs):
    return ma.fields.String(validate=ma.validate.OneOf([e.value for e in kind]), **kwargs)


def _level(**kwargs):
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(0, 4), **kwargs)


def _many(schema, **kwargs):
    return ma.fields.List(ma.fields.Nested(schema), load_default=list, **kwargs)


def _texts(max_length: int = LONG):
    return ma.fields.List(Text(max_length=max_length), load_default=list)


Ref = Text  # a person's ref: their external_id, or "person-N" for someone without one


class NameOnly(Schema):
    name = Text(required=True)


class DocPerson(Schema):
    ref = Ref(required=True)
    external_id = Text(allow_none=True)
    name = Text(allow_none=True, metadata={"description": "Null once erased."})
    email = ma.fields.Email(allow_none=True, validate=ma.validate.Length(max=320))
    active = ma.fields.Boolean(load_default=True)
    team = Text(allow_none=True)


class DocCompetence(Schema):
    code = Text(required=True, max_length=64, validate=Code)
    name = Text(required=True)
    description = Text(max_length=LONG, blank=True, allow_none=True)
    parent = Text(allow_none=True, max_length=64)
    archived = ma.fields.Boolean(load_default=False)


class DocTheme(Schema):
    name = Text(required=True)
    description = Text(max_length=LONG, blank=True, allow_none=True)
    steps = _texts(500)


class DocParticipant(Schema):
    person = Ref(required=True)
    roles = ma.fields.List(_enum(ParticipantRole), load_default=list)


class DocTransition(Schema):
    class Meta(Schema.Meta):
        include = {"from": _enum(Phase, required=True)}

    to = _enum(Phase, required=True)
    reason = Text(max_length=LONG, allow_none=True)
    at = ma.fields.AwareDateTime(allow_none=True)


class DocGrievance(Schema):
    text = Text(required=True, max_length=LONG)
    anonymous = ma.fields.Boolean(load_default=False)
    author = Ref(allow_none=True)


class DocReadiness(Schema):
    person = Ref(required=True)
    desire = ma.fields.Integer(strict=True, required=True, validate=ma.validate.Range(1, 10))
    energy = ma.fields.Integer(strict=True, required=True, validate=ma.validate.Range(1, 10))
    feasibility = ma.fields.Integer(strict=True, required=True, validate=ma.validate.Range(1, 10))


class DocConclusion(Schema):
    ready = ma.fields.Boolean(required=True)
    text = Text(max_length=LONG, blank=True, allow_none=True)


class DocIntake(Schema):
    findings = _texts()
    grievances = _many(DocGrievance)
    readiness = _many(DocReadiness)
    conclusion = ma.fields.Nested(DocConclusion, allow_none=True)


class DocNeed(Schema):
    competence = Text(required=True, max_length=64)
    level = _level(required=True)


class DocContributor(Schema):
    person = Ref(required=True)
    contribution = Text(max_length=LONG, blank=True, allow_none=True)


class DocFeedback(Schema):
    text = Text(required=True, max_length=LONG)
    author = Ref(allow_none=True)
    author_name = Text(allow_none=True)
    status = _enum(FeedbackStatus, load_default="open")
    response = Text(max_length=LONG, allow_none=True, blank=True)


class DocService(Schema):
    name = Text(required=True)
    description = Text(max_length=LONG, blank=True, allow_none=True)
    client_group = Text(max_length=LONG, blank=True, allow_none=True)
    deliverables = _texts()
    indicators = _texts()
    required_competences = _many(DocNeed)
    contributors = _many(DocContributor)
    feedback = _many(DocFeedback)


class DocLevel(Schema):
    person = Ref(required=True)
    competence = Text(required=True, max_length=64)
    level = _level(required=True)
    source = _enum(LevelSource, load_default="import")


class DocLevelChange(DocLevel):
    previous_level = _level(allow_none=True)
    at = ma.fields.AwareDateTime(allow_none=True)


class DocWish(Schema):
    person = Ref(required=True)
    competence = Text(required=True, max_length=64)
    motivation = Text(max_length=LONG, blank=True, allow_none=True)


class DocCheckIn(Schema):
    person = Ref(required=True)
    date = ma.fields.Date(required=True)
    status = _enum(CheckInStatus, required=True)
    note = Text(max_length=LONG, blank=True, allow_none=True)


class DocExternalCoach(Schema):
    name = Text(required=True)
    organisation = Text(required=True)


class DocTraining(Schema):
    title = Text(required=True)
    provider = Text(required=True)
    starts_on = ma.fields.Date(allow_none=True)
    ends_on = ma.fields.Date(allow_none=True)


class DocAgreement(Schema):
    """Coached by exactly one of ``coach`` (a person), ``external_coach`` or ``training``."""

    person = Ref(required=True)
    competence = Text(required=True, max_length=64)
    start_level = _level(required=True)
    target_level = _level(required=True)
    coach = Ref(allow_none=True)
    external_coach = ma.fields.Nested(DocExternalCoach, allow_none=True)
    training = ma.fields.Nested(DocTraining, allow_none=True)
    due_date = ma.fields.Date(required=True)
    status = _enum(AgreementStatus, load_default="proposed")
    meeting = Text(allow_none=True)
    check_ins = _many(DocCheckIn)


class DocAttendee(Schema):
    person = Ref(required=True)
    layer = Text(allow_none=True)


class DocCommitment(Schema):
    """An action: a meeting's commitment, or (in ``project.actions``) one of no meeting.
    Its finding or grievance is named by its text."""

    ref = Text(required=True)
    text = Text(required=True, max_length=LONG)
    owners = ma.fields.List(Ref(), load_default=list)
    due_date = ma.fields.Date(allow_none=True)
    status = _enum(ActionStatus, load_default="open")
    status_by = Ref(allow_none=True)
    status_at = ma.fields.AwareDateTime(allow_none=True)
    finding = Text(max_length=LONG, allow_none=True)
    grievance = Text(max_length=LONG, allow_none=True)


class DocReport(Schema):
    person = Ref(required=True)
    commitment = Text(allow_none=True, load_default=None)  # none: a general answer
    text = Text(required=True, max_length=LONG)


class DocMeeting(Schema):
    ref = Text(required=True)
    kind = _enum(MeetingKind, required=True)
    date = ma.fields.Date(required=True)
    topic = Text(max_length=LONG, blank=True, allow_none=True)
    ground_rules = _texts()
    attendees = _many(DocAttendee)
    commitments = _many(DocCommitment)
    action_reports = _many(DocReport)


class DocProgress(Schema):
    person = Ref(required=True)
    steps_done = _texts(500)


class DocProjectTheme(Schema):
    theme = Text(required=True)
    progress = _many(DocProgress)


class DocProject(Schema):
    name = Text(required=True)
    description = Text(max_length=LONG, blank=True, allow_none=True)
    team = Text(required=True)
    phase = _enum(Phase, load_default="intake")
    participants = _many(DocParticipant)
    transitions = _many(DocTransition)
    intake = ma.fields.Nested(DocIntake, load_default=dict)
    services = _many(DocService)
    levels = _many(DocLevel)
    level_history = _many(DocLevelChange)
    wishes = _many(DocWish)
    agreements = _many(DocAgreement)
    meetings = _many(DocMeeting)
    actions = _many(DocCommitment)
    themes = _many(DocProjectTheme)


class ProjectDocumentSchema(Schema):
    """A whole project by natural keys: people by ``ref`` (their external_id, or
    ``person-N``), competences by ``code``, services, themes and teams by name."""

    format = ma.fields.String(required=True, validate=ma.validate.Equal(FORMAT))
    version = ma.fields.Integer(strict=True, required=True, validate=ma.validate.Equal(VERSION))
    organisation = ma.fields.Nested(NameOnly, required=True)
    teams = _many(NameOnly)
    people = _many(DocPerson)
    competences = _many(DocCompetence)
    themes = _many(DocTheme)
    project = ma.fields.Nested(DocProject, required=True)
