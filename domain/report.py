"""The project report a consultant hands to the client: the whole story of the project
on a few pages, from the intake to the agreements, put together from what is stored.

It is a read model, not a record: built from one snapshot of the project (the export's
``ProjectRecords``), so every section describes the same moment. What would single a
person out is left out: grievances appear as a count, readiness only as the team's
summary, and nobody's self-assessment history is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.development import Agreement
from domain.exchange import ProjectRecords
from domain.intake import Conclusion, ReadinessSummary, summarise_readiness
from domain.matrix import dependencies, priorities
from domain.meetings import Meeting
from domain.phases import Phase
from domain.service_definition import coordinators

ERASED = "(erased)"


@dataclass(frozen=True)
class ServiceLine:
    name: str
    client_group: str
    deliverables: list[str]
    indicators: list[str]
    contributors: list[str]
    coordinators: list[str]


@dataclass(frozen=True)
class HeatmapColumn:
    code: str
    name: str
    single_point_of_failure: bool


@dataclass(frozen=True)
class HeatmapRow:
    name: str
    roles: list[str]
    levels: list[int | None]  # one per column, None where no level is known


@dataclass(frozen=True)
class DependencyLine:
    rank: int
    code: str
    name: str
    demand: int
    holders: list[str]
    single_point_of_failure: bool
    services_at_risk: list[str]


@dataclass(frozen=True)
class PriorityLine:
    rank: int | None
    person: str
    competence: str
    reason: str
    coaches: list[str]


@dataclass(frozen=True)
class AgreementLine:
    person: str
    competence: str
    start_level: int
    target_level: int
    coach: str
    due_date: date
    status: str
    last_check_in: str | None  # the latest peer check-in's status, None before the first


@dataclass(frozen=True)
class ActionLine:
    origin: str  # the meeting it was agreed at ("2026-11-01 joint"), or the intake
    text: str
    owners: list[str]
    due_date: date | None
    status: str
    overdue: bool
    reports: int  # action reports told about it so far


@dataclass(frozen=True)
class ProjectReport:
    organisation: str
    team: str
    project: str
    phase: Phase
    made_on: date
    findings: list[str]
    grievances: int
    readiness: ReadinessSummary
    conclusion: Conclusion | None
    services: list[ServiceLine]
    columns: list[HeatmapColumn]
    heatmap: list[HeatmapRow]
    dependencies: list[DependencyLine]
    priorities: list[PriorityLine]
    agreements: list[AgreementLine]
    actions: list[ActionLine]


def project_report(r: ProjectRecords, made_on: date) -> ProjectReport:
    """The report of one project as its records stand."""
    person_name = {p.id: p.name or ERASED for p in r.people}
    name = {pt.id: person_name.get(pt.person_id, ERASED) for pt in r.participants}
    code = {c.id: c.code for c in r.competences}
    ranking = dependencies(r.competences, r.services, r.levels, r.participants)
    fragile = {d.competence.id for d in ranking if d.single_point_of_failure}
    coordinating = {c.participant_id for c in coordinators(r.contributions, r.services)}
    level = {(x.participant_id, x.competence_id): x.level for x in r.levels}
    meetings = {m.id: m for m in r.meetings}
    latest_check_in = {c.agreement_id: c for c in sorted(r.check_ins, key=lambda c: c.date)}

    def attendees(meeting_id: UUID | None) -> list[UUID]:
        return meetings[meeting_id].attendee_ids if meeting_id else []

    def when(meeting_id: UUID | None) -> date:
        return meetings[meeting_id].date if meeting_id else date.min

    def names(ids: list[UUID]) -> list[str]:
        return [name.get(i, ERASED) for i in ids]

    services = []
    for s in r.services:
        group = [c.participant_id for c in r.contributions if c.service_id == s.id]
        services.append(
            ServiceLine(
                name=s.name,
                client_group=s.client_group,
                deliverables=list(s.deliverables),
                indicators=list(s.indicators),
                contributors=names(group),
                coordinators=names([p for p in group if p in coordinating]),
            )
        )
    return ProjectReport(
        organisation=r.organisation.name,
        team=r.team.name,
        project=r.project.name,
        phase=r.project.phase,
        made_on=made_on,
        findings=[f.text for f in r.findings],
        grievances=len(r.grievances),
        # The intake's round, as the team may see it: nothing over fewer than 3 raters.
        readiness=summarise_readiness(r.ratings, r.participants).for_the_team(),
        conclusion=r.conclusion,
        services=services,
        columns=[HeatmapColumn(c.code, c.name, c.id in fragile) for c in r.competences],
        heatmap=[
            HeatmapRow(
                name=name[pt.id],
                roles=[role.value for role in pt.roles],
                levels=[level.get((pt.id, c.id)) for c in r.competences],
            )
            for pt in r.participants
        ],
        dependencies=[
            DependencyLine(
                rank=d.rank,
                code=d.competence.code,
                name=d.competence.name,
                demand=d.demand,
                holders=names(d.holders),
                single_point_of_failure=d.single_point_of_failure,
                services_at_risk=[s.name for s in d.services_at_risk],
            )
            for d in ranking
            if d.demand
        ],
        priorities=[
            PriorityLine(
                rank=p.rank,
                person=name.get(p.participant_id, ERASED),
                competence=code.get(p.competence_id, ""),
                reason=p.reason,
                coaches=names(p.candidate_coaches),
            )
            for p in priorities(r.wishes, ranking, r.participants, r.levels)
        ],
        agreements=[
            AgreementLine(
                person=name.get(a.participant_id, ERASED),
                competence=code.get(a.competence_id, ""),
                start_level=a.start_level,
                target_level=a.target_level,
                coach=_coach(a, name),
                due_date=a.due_date,
                status=a.status.value,
                last_check_in=(
                    latest_check_in[a.id].status.value if a.id in latest_check_in else None
                ),
            )
            for a in r.agreements
        ],
        actions=[
            ActionLine(
                origin=_origin(meetings[c.meeting_id] if c.meeting_id else None),
                text=c.text,
                owners=names(sorted(c.owners(attendees(c.meeting_id)), key=str)),
                due_date=c.due_date,
                status=c.status.value,
                overdue=c.overdue(made_on),
                reports=sum(1 for x in r.reports if x.commitment_id == c.id),
            )
            for c in sorted(r.commitments, key=lambda c: (when(c.meeting_id), c.created_at))
        ],
    )


def _origin(meeting: Meeting | None) -> str:
    return f"{meeting.date.isoformat()} {meeting.kind.value}" if meeting else "intake"


def _coach(a: Agreement, name: dict[UUID, str]) -> str:
    """Who or what teaches it: the senior, the external coach, or the training."""
    if a.coach_id is not None:
        return name.get(a.coach_id, ERASED)
    if (coach := a.external_coach) is not None:
        return f"{coach.name} ({coach.organisation})" if coach.organisation else coach.name
    if (training := a.training) is not None:
        return f"{training.title} ({training.provider})" if training.provider else training.title
    return ""
