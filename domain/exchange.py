"""The project document: one complete, self-contained JSON-ready description of a project,
keyed by natural keys (a person's ``external_id``, a competence's ``code``, service and
theme names), so that it can be read back into another workspace (``/imports``).

Inside the document, people and meetings are referred to by a ``ref``: a person's ref is
their external_id when they have one; meetings and commitments get ordinal refs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.competences import Competence
from domain.development import Agreement, CheckIn
from domain.indicators import Measurement
from domain.intake import Conclusion, Finding, Grievance, ReadinessRating, ReadinessRound
from domain.matrix import DevelopmentWish, Level, LevelChange
from domain.meetings import ActionReport, Commitment, Meeting
from domain.organisations import Organisation, Person, Team
from domain.projects import Participant, PhaseTransition, Project
from domain.pulse import PulseSurvey, RoundAnswers, shown_round
from domain.service_definition import Contribution, ManagementFeedback, Service
from domain.themes import ProjectTheme, Theme

FORMAT = "od-platform/project"
VERSION = 1


@dataclass(frozen=True)
class ProjectRecords:
    """Everything stored about one project, as the domain knows it."""

    organisation: Organisation
    team: Team
    project: Project
    people: list[Person]
    teams: list[Team]
    participants: list[Participant]
    transitions: list[PhaseTransition]
    findings: list[Finding]
    grievances: list[Grievance]
    ratings: list[ReadinessRating]
    readiness_rounds: list[ReadinessRound]
    conclusion: Conclusion | None
    competences: list[Competence]
    services: list[Service]
    contributions: list[Contribution]
    feedback: list[ManagementFeedback]
    measurements: list[Measurement]
    levels: list[Level]
    history: list[LevelChange]
    wishes: list[DevelopmentWish]
    agreements: list[Agreement]
    check_ins: list[CheckIn]
    meetings: list[Meeting]
    commitments: list[Commitment]
    reports: list[ActionReport]
    themes: list[Theme]
    assignments: list[ProjectTheme]
    steps_done: dict[UUID, dict[UUID, set[UUID]]]  # theme → participant → steps
    surveys: list[PulseSurvey]
    survey_rounds: dict[UUID, dict[int, RoundAnswers]]
    respondents: dict[tuple[UUID, int], list[UUID]]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _by_key(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records with no order of their own (cells, wishes, history entries), in the order of
    their natural keys, so the same project always reads as the same document."""
    return sorted(items, key=lambda x: (x.get("at") or "", x["person"] or "", x["competence"]))


def _external_coach(a: Agreement) -> dict[str, Any] | None:
    coach = a.external_coach
    return None if coach is None else {"name": coach.name, "organisation": coach.organisation}


def _training(a: Agreement) -> dict[str, Any] | None:
    training = a.training
    if training is None:
        return None
    return {
        "title": training.title,
        "provider": training.provider,
        "starts_on": _day(training.starts_on),
        "ends_on": _day(training.ends_on),
    }


def person_refs(people: list[Person]) -> dict[UUID, str]:
    """Each person's ref in a document: their external_id, or else ``person-N`` (numbered
    in list order), never a ref that another person's external_id already is."""
    taken = {p.external_id for p in people if p.external_id}
    refs: dict[UUID, str] = {}
    number = 0
    for person in people:
        if person.external_id:
            refs[person.id] = person.external_id
            continue
        number += 1
        while f"person-{number}" in taken:
            number += 1
        refs[person.id] = f"person-{number}"
    return refs


def _survey(
    survey: PulseSurvey,
    rounds: dict[int, RoundAnswers],
    respondents: dict[tuple[UUID, int], list[UUID]],
    who: Any,
) -> dict[str, Any]:
    """A survey with the rounds that are shown (closed, 3 answers or more): a round below
    that would hand its few answers over beside the names of who gave them, and an open
    one would show, export after export, which answers came with which respondent."""
    position = {q.id: i for i, q in enumerate(survey.questions)}
    return {
        "title": survey.title,
        "round": survey.round,
        "questions": [
            {"kind": q.kind.value, "topic": q.topic.value, "text": q.text} for q in survey.questions
        ],
        "rounds": [
            {
                "round": number,
                "respondents": sorted(who(p) for p in respondents.get((survey.id, number), [])),
                "counts": sorted(
                    [position[q], value, n]
                    for q, values in held.counts.items()
                    for value, n in values.items()
                    if q in position and n
                ),
                "texts": sorted(
                    [position[q], text]
                    for q, texts in held.texts.items()
                    for text in texts
                    if q in position
                ),
            }
            for number, held in sorted(rounds.items())
            if survey.closed(number) and shown_round(held)
        ],
    }


def document(r: ProjectRecords) -> dict[str, Any]:
    """The project as a document of natural keys; ids and timestamps of rows stay out,
    except the dates that belong to the story (meetings, check-ins, history)."""
    person_ref = person_refs(r.people)
    by_participant = {pt.id: person_ref[pt.person_id] for pt in r.participants}
    competence_code = {c.id: c.code for c in r.competences}
    team_name = {t.id: t.name for t in r.teams}
    meeting_ref = {m.id: f"meeting-{i}" for i, m in enumerate(r.meetings, start=1)}
    # A meeting's actions are its commitments; those of no meeting are numbered apart, so
    # a ref does not depend on when either kind was made.
    commitment_ref = {
        c.id: f"commitment-{i}"
        for i, c in enumerate((c for c in r.commitments if c.meeting_id), start=1)
    } | {
        c.id: f"action-{i}"
        for i, c in enumerate((c for c in r.commitments if c.meeting_id is None), start=1)
    }
    theme_of = {t.id: t for t in r.themes}

    def who(participant_id: UUID | None) -> str | None:
        return by_participant.get(participant_id) if participant_id else None

    finding_text = {f.id: f.text for f in r.findings}
    grievance_text = {g.id: g.text for g in r.grievances}

    def action(c: Commitment) -> dict[str, Any]:
        """An action (a meeting's commitment, or of no meeting); its finding or grievance
        by text, the grievance's author never."""
        return {
            "ref": commitment_ref[c.id],
            "text": c.text,
            "owners": [who(o) for o in c.owner_ids],
            "due_date": _day(c.due_date),
            "status": c.status.value,
            "status_by": who(c.status_by_id),
            "status_at": _time(c.status_at),
            "finding": finding_text.get(c.finding_id) if c.finding_id else None,
            "grievance": grievance_text.get(c.grievance_id) if c.grievance_id else None,
        }

    return {
        "format": FORMAT,
        "version": VERSION,
        "organisation": {"name": r.organisation.name},
        "teams": [{"name": t.name} for t in r.teams],
        "people": [
            {
                "ref": person_ref[p.id],
                "external_id": p.external_id,
                "name": p.name,
                "email": p.email,
                "active": p.active,
                "team": team_name.get(p.team_id) if p.team_id else None,
            }
            for p in r.people
        ],
        "competences": [
            {
                "code": c.code,
                "name": c.name,
                "description": c.description,
                "parent": competence_code.get(c.parent_id) if c.parent_id else None,
                "archived": c.archived,
            }
            for c in r.competences
        ],
        "themes": [
            {"name": t.name, "description": t.description, "steps": [s.title for s in t.steps]}
            for t in r.themes
        ],
        "project": {
            "name": r.project.name,
            "description": r.project.description,
            "team": r.team.name,
            "phase": r.project.phase.value,
            "participants": [
                {"person": person_ref[pt.person_id], "roles": [x.value for x in pt.roles]}
                for pt in r.participants
            ],
            "transitions": [
                {
                    "from": t.from_phase.value,
                    "to": t.to_phase.value,
                    "reason": t.reason,
                    "at": _time(t.created_at),
                }
                for t in r.transitions
            ],
            "intake": {
                "findings": [f.text for f in r.findings],
                "grievances": [
                    {"text": g.text, "anonymous": g.anonymous, "author": who(g.participant_id)}
                    for g in r.grievances
                ],
                "readiness": [
                    {
                        "person": who(x.participant_id),
                        "desire": x.desire,
                        "energy": x.energy,
                        "feasibility": x.feasibility,
                        "round": x.round,
                    }
                    for x in sorted(r.ratings, key=lambda x: x.round)
                ],
                "readiness_rounds": [x.number for x in r.readiness_rounds],
                "conclusion": (
                    {"ready": r.conclusion.ready, "text": r.conclusion.text}
                    if r.conclusion
                    else None
                ),
            },
            "services": [
                {
                    "name": s.name,
                    "description": s.description,
                    "client_group": s.client_group,
                    "deliverables": s.deliverables,
                    "indicators": s.indicators,
                    "required_competences": [
                        {"competence": competence_code[n.competence_id], "level": n.level}
                        for n in s.required_competences
                    ],
                    "contributors": [
                        {"person": who(c.participant_id), "contribution": c.contribution}
                        for c in r.contributions
                        if c.service_id == s.id
                    ],
                    "feedback": [
                        {
                            "text": f.text,
                            "author": who(f.participant_id),
                            "author_name": f.author_name,
                            "status": f.status.value,
                            "response": f.response,
                            "meeting": meeting_ref.get(f.meeting_id) if f.meeting_id else None,
                        }
                        for f in r.feedback
                        if f.service_id == s.id
                    ],
                    "measurements": [
                        {
                            "indicator": m.indicator,
                            "value": m.value,
                            "date": _day(m.date),
                            "source": m.source,
                        }
                        for m in r.measurements
                        if m.service_id == s.id
                    ],
                }
                for s in r.services
            ],
            "levels": _by_key(
                {
                    "person": who(x.participant_id),
                    "competence": competence_code[x.competence_id],
                    "level": x.level,
                    "source": x.source.value,
                }
                for x in r.levels
            ),
            "level_history": _by_key(
                {
                    "person": who(h.participant_id),
                    "competence": competence_code[h.competence_id],
                    "level": h.level,
                    "previous_level": h.previous_level,
                    "source": h.source.value,
                    "at": _time(h.created_at),
                }
                for h in r.history
            ),
            "wishes": _by_key(
                {
                    "person": who(w.participant_id),
                    "competence": competence_code[w.competence_id],
                    "motivation": w.motivation,
                }
                for w in r.wishes
            ),
            "agreements": [
                {
                    "person": who(a.participant_id),
                    "competence": competence_code[a.competence_id],
                    "start_level": a.start_level,
                    "target_level": a.target_level,
                    "coach": who(a.coach_id),
                    "external_coach": _external_coach(a),
                    "training": _training(a),
                    "due_date": _day(a.due_date),
                    "status": a.status.value,
                    "meeting": meeting_ref.get(a.meeting_id) if a.meeting_id else None,
                    "check_ins": [
                        {
                            "person": who(c.participant_id),
                            "date": _day(c.date),
                            "status": c.status.value,
                            "note": c.note,
                        }
                        for c in r.check_ins
                        if c.agreement_id == a.id
                    ],
                }
                for a in r.agreements
            ],
            "meetings": [
                {
                    "ref": meeting_ref[m.id],
                    "kind": m.kind.value,
                    "date": _day(m.date),
                    "topic": m.topic,
                    "ground_rules": m.ground_rules,
                    "start_time": m.start_time.strftime("%H:%M") if m.start_time else None,
                    "duration_minutes": m.duration_minutes,
                    "place": m.place,
                    "agenda": m.agenda,
                    "notes": m.notes,
                    "decisions": m.decisions,
                    "attendees": [
                        {"person": who(a.participant_id), "layer": a.layer} for a in m.attendees
                    ],
                    "commitments": [action(c) for c in r.commitments if c.meeting_id == m.id],
                    "action_reports": [
                        {
                            "person": who(x.participant_id),
                            "commitment": commitment_ref.get(x.commitment_id)
                            if x.commitment_id
                            else None,
                            "text": x.text,
                        }
                        for x in r.reports
                        if x.meeting_id == m.id
                    ],
                }
                for m in r.meetings
            ],
            "actions": [action(c) for c in r.commitments if c.meeting_id is None],
            "themes": [
                {
                    "theme": theme_of[a.theme_id].name,
                    "progress": [
                        {
                            "person": who(participant_id),
                            "steps_done": [
                                s.title for s in theme_of[a.theme_id].steps if s.id in steps
                            ],
                        }
                        for participant_id, steps in r.steps_done.get(a.theme_id, {}).items()
                        if steps
                    ],
                }
                for a in r.assignments
            ],
            "surveys": [
                _survey(s, r.survey_rounds.get(s.id, {}), r.respondents, who) for s in r.surveys
            ],
        },
    }
