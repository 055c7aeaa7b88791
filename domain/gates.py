"""The gates between phases: what must be true before a project may enter the next one.

Each gate reads what it needs through the unit of work and answers every unmet
condition, so the same function serves the checklist and the refusal of a transition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from uuid import UUID

from domain.development import AgreementStatus
from domain.errors import Unmet
from domain.intake import (
    BASELINE_ROUND,
    ReadinessSummary,
    counted_member,
    current_round,
    intake_unmet,
    summarise_readiness,
)
from domain.matrix import dependencies
from domain.meetings import MeetingKind, round_of_the_table
from domain.phases import Phase
from domain.ports import UnitOfWork
from domain.projects import Participant, Project, leavers
from domain.service_definition import FeedbackStatus, definition_unmet
from domain.texts import _, _n

Gate = Callable[[UnitOfWork, Project], list[Unmet]]
ERASED = _("An erased participant")  # a name in a sentence, for someone erased (GDPR)


def readiness_of(
    uow: UnitOfWork,
    project: Project,
    round: int | None = None,
    participants: list[Participant] | None = None,
) -> ReadinessSummary:
    """The summary of ``round`` (default: the current one), every round beside it;
    ``participants`` when the caller has read them already."""
    opened = uow.readiness_rounds.all(project_id=project.id)
    if participants is None:
        participants = uow.participants.all(project_id=project.id)
    return summarise_readiness(
        uow.readiness.all(project_id=project.id),
        participants,
        round=current_round(opened) if round is None else round,
        opened=opened,
        project_start=project.created_at,
    )


def _into_service_definition(uow: UnitOfWork, project: Project) -> list[Unmet]:
    """The intake's gate reads the intake's round, the baseline, whatever came later."""
    return intake_unmet(
        findings=uow.findings.count(project_id=project.id),
        readiness=readiness_of(uow, project, BASELINE_ROUND),
        conclusion=uow.conclusions.find_by(project_id=project.id),
    )


def _into_competence_mapping(uow: UnitOfWork, project: Project) -> list[Unmet]:
    """A leaver no longer contributes to a service group."""
    left = leavers(uow.participants.all(project_id=project.id))
    return definition_unmet(
        services=uow.services.all(project_id=project.id),
        contributions=[
            c for c in uow.contributions.all(project_id=project.id) if c.participant_id not in left
        ],
        open_feedback=uow.feedback.all(project_id=project.id, status=FeedbackStatus.OPEN),
    )


def _into_development(uow: UnitOfWork, project: Project) -> list[Unmet]:
    """Every member rated on every competence a service needs, and at least one wish."""
    needed = {
        r.competence_id
        for s in uow.services.all(project_id=project.id)
        for r in s.required_competences
    }
    codes = {c.id: c.code for c in uow.competences.find_many(needed)}
    rated: dict[UUID, set[UUID]] = defaultdict(set)
    for cell in uow.levels.all(project_id=project.id):
        rated[cell.participant_id].add(cell.competence_id)
    unmet = []
    for member in uow.participants.all(project_id=project.id):
        missing = needed - rated[member.id]
        if counted_member(member) and missing:
            listed = ", ".join(sorted(codes[c] for c in missing))
            unmet.append(
                Unmet(
                    "levels_missing",
                    _n(
                        "{name} has no level yet for {count} competence the services need: "
                        "{listed}.",
                        "{name} has no level yet for {count} competences the services need: "
                        "{listed}.",
                        len(missing),
                        name=member.name or ERASED,
                        listed=listed,
                    ),
                    {
                        "participant_id": str(member.id),
                        "competence_ids": sorted(str(c) for c in missing),
                    },
                )
            )
    if not uow.wishes.count(project_id=project.id):
        unmet.append(
            Unmet("no_wishes", _("Nobody has said yet which competence they want to develop."))
        )
    return unmet


def _into_evaluation(uow: UnitOfWork, project: Project) -> list[Unmet]:
    """Every wish on a competence the team hangs on one person for has a coached agreement.

    Leavers are out of it: their wishes wait for nobody, and a senior who left coaches no
    longer (the agreement no longer covers the wish)."""
    participants = uow.participants.all(project_id=project.id)
    left = leavers(participants)
    services = uow.services.all(project_id=project.id)
    levels = uow.levels.all(project_id=project.id)
    wishes = uow.wishes.all(project_id=project.id)
    wanted = {r.competence_id for s in services for r in s.required_competences}
    competences = uow.competences.find_many(wanted | {w.competence_id for w in wishes})
    fragile = {
        d.competence.id: d.competence
        for d in dependencies(competences, services, levels, participants)
        if d.single_point_of_failure
    }
    covered = {
        (a.participant_id, a.competence_id)
        for a in uow.agreements.all(project_id=project.id)
        if a.status is not AgreementStatus.ABANDONED and a.coach_id not in left
    }
    names = {p.id: p.name or ERASED for p in participants}
    return [
        Unmet(
            "spof_wish_uncovered",
            _(
                "{name} wants to develop {competence}, which the team hangs on one person (or "
                "nobody) for; make a development agreement with a coach (a senior, or from "
                "outside the team) or a training for it.",
                name=names[w.participant_id],
                competence=fragile[w.competence_id].code,
            ),
            {
                "wish_id": str(w.id),
                "participant_id": str(w.participant_id),
                "competence_id": str(w.competence_id),
            },
        )
        for w in wishes
        if w.competence_id in fragile
        and w.participant_id not in left
        and (w.participant_id, w.competence_id) not in covered
    ]


def _into_closed(uow: UnitOfWork, project: Project) -> list[Unmet]:
    """An evaluation meeting where every attendee still there has told what they did
    (seed 000), per commitment or in one general answer."""
    meetings = uow.meetings.all(project_id=project.id)
    evaluations = [m for m in meetings if m.kind is MeetingKind.EVALUATION]
    if not evaluations:
        return [Unmet("no_evaluation_meeting", _("Hold an evaluation meeting with the team."))]
    commitments = uow.commitments.all(project_id=project.id)
    reports = uow.action_reports.all(project_id=project.id)
    participants = uow.participants.all(project_id=project.id)
    left = leavers(participants)
    rounds = [round_of_the_table(m, meetings, commitments, reports, left) for m in evaluations]
    if any(r.complete for r in rounds):
        return []
    latest = rounds[-1]
    names = {p.id: p.name or ERASED for p in participants}
    silent = [names.get(pid, str(pid)) for pid in latest.silent]
    return [
        Unmet(
            "action_reports_missing",
            _(
                "At the evaluation of {date} not everyone has said what they did to realise "
                "the commitments yet: {silent}.",
                date=latest.meeting.date.isoformat(),
                silent=silent or _("nobody attended"),
            ),
            {
                "meeting_id": str(latest.meeting.id),
                "participant_ids": [str(pid) for pid in latest.silent],
            },
        )
    ]


GATES: dict[Phase, Gate] = {
    Phase.SERVICE_DEFINITION: _into_service_definition,
    Phase.COMPETENCE_MAPPING: _into_competence_mapping,
    Phase.DEVELOPMENT: _into_development,
    Phase.EVALUATION: _into_evaluation,
    Phase.CLOSED: _into_closed,
}


def unmet_for(uow: UnitOfWork, project: Project, target: Phase) -> list[Unmet]:
    return GATES[target](uow, project)
