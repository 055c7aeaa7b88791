"""Reading a whole project for export."""

from __future__ import annotations

from uuid import UUID

from domain.competences import Competence
from domain.development import Agreement
from domain.exchange import ProjectRecords
from domain.matrix import DevelopmentWish, Level, LevelChange
from domain.ports import UnitOfWork


def project_records(uow: UnitOfWork, project_id: UUID) -> ProjectRecords:
    """Everything stored about the project, in a number of statements independent of its size."""
    with uow:
        project = uow.projects.get(project_id)
        participants = uow.participants.all(project_id=project_id)
        people = uow.people.find_many({p.person_id for p in participants})
        people.sort(key=lambda p: (p.name or "", str(p.id)))
        team = uow.teams.get(project.team_id)
        teams = uow.teams.find_many({team.id} | {p.team_id for p in people if p.team_id})
        services = uow.services.all(project_id=project_id)
        levels = uow.levels.all(project_id=project_id)
        history = uow.level_history.all(project_id=project_id)
        wishes = uow.wishes.all(project_id=project_id)
        agreements = uow.agreements.all(project_id=project_id)
        rated: list[Level | LevelChange | DevelopmentWish | Agreement] = [
            *levels,
            *history,
            *wishes,
            *agreements,
        ]
        used = {n.competence_id for s in services for n in s.required_competences} | {
            x.competence_id for x in rated
        }
        assignments = uow.project_themes.all(project_id=project_id)
        surveys = uow.surveys.all(project_id=project_id)
        survey_ids = [s.id for s in surveys]
        themes = uow.themes.find_many({a.theme_id for a in assignments})
        return ProjectRecords(
            organisation=uow.organisations.get(project.organisation_id),
            team=team,
            project=project,
            people=people,
            teams=sorted(teams, key=lambda t: t.name),
            participants=participants,
            transitions=uow.transitions.all(project_id=project_id),
            findings=uow.findings.all(project_id=project_id),
            grievances=uow.grievances.all(project_id=project_id),
            ratings=uow.readiness.all(project_id=project_id),
            readiness_rounds=uow.readiness_rounds.all(project_id=project_id),
            conclusion=uow.conclusions.find_by(project_id=project_id),
            competences=_with_parents(uow, used),
            services=services,
            contributions=uow.contributions.all(project_id=project_id),
            feedback=uow.feedback.all(project_id=project_id),
            measurements=uow.measurements.all(project_id=project_id),
            levels=levels,
            history=history,
            wishes=wishes,
            agreements=agreements,
            check_ins=uow.check_ins.all(project_id=project_id),
            meetings=uow.meetings.all(project_id=project_id),
            commitments=uow.commitments.all(project_id=project_id),
            reports=uow.action_reports.all(project_id=project_id),
            themes=sorted(themes, key=lambda t: t.name),
            assignments=assignments,
            steps_done={a.theme_id: uow.progress.done(project_id, a.theme_id) for a in assignments},
            surveys=surveys,
            survey_rounds=uow.pulse_answers.rounds(survey_ids),
            respondents=uow.pulse_answers.respondents(survey_ids),
        )


def _with_parents(uow: UnitOfWork, wanted: set[UUID]) -> list[Competence]:
    """The competences and the groups above them, parents first, so a reader can create
    them in document order."""
    found: dict[UUID, Competence] = {}
    while wanted:
        for competence in uow.competences.find_many(wanted):
            found[competence.id] = competence
        wanted = {c.parent_id for c in found.values() if c.parent_id and c.parent_id not in found}

    def depth(c: Competence) -> int:
        return 0 if c.parent_id is None else 1 + depth(found[c.parent_id])

    return sorted(found.values(), key=lambda c: (depth(c), c.code))
