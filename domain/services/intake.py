"""The collective intake of a project."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page, expect_version
from domain.errors import Conflict, NotFound, RuleViolation, Unmet
from domain.gates import readiness_of
from domain.intake import (
    BASELINE_ROUND,
    Conclusion,
    Finding,
    Grievance,
    ReadinessRating,
    ReadinessRound,
    ReadinessScores,
    ReadinessSummary,
    RoundReadiness,
    current_round,
    intake_unmet,
)
from domain.ports import UnitOfWork
from domain.services import project_records as records
from domain.texts import _


@dataclass(frozen=True)
class IntakeOverview:
    findings: list[Finding]
    grievances: list[Grievance]
    readiness: ReadinessSummary
    conclusion: Conclusion | None
    unmet: list[Unmet]


def overview(uow: UnitOfWork, project_id: UUID) -> IntakeOverview:
    """The whole intake on one page, with what the gate to service definition still needs
    (judged on the records read here, not read again). Its readiness is the intake's
    round, the baseline, even once later rounds are open."""
    with uow:
        project = uow.projects.get(project_id)
        findings = uow.findings.all(project_id=project_id)
        readiness = readiness_of(uow, project, BASELINE_ROUND)
        conclusion = uow.conclusions.find_by(project_id=project_id)
        return IntakeOverview(
            findings=findings,
            grievances=uow.grievances.all(project_id=project_id),
            readiness=readiness,
            conclusion=conclusion,
            unmet=intake_unmet(len(findings), readiness, conclusion),
        )


# --- findings ----------------------------------------------------------------------


def list_findings(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[Finding]:
    return records.list_in_project(uow, "findings", project_id, query)


def get_finding(uow: UnitOfWork, project_id: UUID, finding_id: UUID) -> Finding:
    finding: Finding = records.get_in_project(uow, "findings", project_id, finding_id)
    return finding


def record_finding(uow: UnitOfWork, project_id: UUID, *, text: str) -> Finding:
    with uow:
        records.open_project(uow, project_id)
        return records.add_to_project(uow, "findings", Finding(project_id=project_id, text=text))


def update_finding(
    uow: UnitOfWork,
    project_id: UUID,
    finding_id: UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> Finding:
    finding: Finding = records.change_in_project(
        uow, "findings", project_id, finding_id, changes, expected_version
    )
    return finding


def delete_finding(
    uow: UnitOfWork, project_id: UUID, finding_id: UUID, expected_version: int | None
) -> None:
    records.remove_from_project(uow, "findings", project_id, finding_id, expected_version)


# --- grievances --------------------------------------------------------------------


def list_grievances(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[Grievance]:
    return records.list_in_project(uow, "grievances", project_id, query)


def get_grievance(uow: UnitOfWork, project_id: UUID, grievance_id: UUID) -> Grievance:
    grievance: Grievance = records.get_in_project(uow, "grievances", project_id, grievance_id)
    return grievance


def air_grievance(
    uow: UnitOfWork, project_id: UUID, *, text: str, anonymous: bool, participant_id: UUID | None
) -> Grievance:
    """An anonymous grievance is stored without any author, not with a hidden one."""
    with uow:
        records.open_project(uow, project_id)
        if anonymous and participant_id is not None:
            raise RuleViolation.on(
                "participant_id",
                _("An anonymous grievance has no author; leave participant_id out."),
                "anonymous_with_author",
            )
        if not anonymous:
            records.participant_in(uow, project_id, participant_id)
        grievance = Grievance(
            project_id=project_id,
            text=text,
            anonymous=anonymous,
            participant_id=None if anonymous else participant_id,
        )
        return records.add_to_project(uow, "grievances", grievance)


def update_grievance(
    uow: UnitOfWork,
    project_id: UUID,
    grievance_id: UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> Grievance:
    """Only the text can change: an author can't be added to, or taken from, a grievance."""
    grievance: Grievance = records.change_in_project(
        uow, "grievances", project_id, grievance_id, changes, expected_version
    )
    return grievance


def delete_grievance(
    uow: UnitOfWork, project_id: UUID, grievance_id: UUID, expected_version: int | None
) -> None:
    records.remove_from_project(uow, "grievances", project_id, grievance_id, expected_version)


# --- readiness ---------------------------------------------------------------------


def readiness_summary(
    uow: UnitOfWork, project_id: UUID, *, for_the_team: bool = False
) -> ReadinessSummary:
    """The current round's summary, every round beside it; ``for_the_team``: as a
    participant may see it (``ReadinessSummary.for_the_team``)."""
    with uow:
        summary = readiness_of(uow, uow.projects.get(project_id))
    return summary.for_the_team() if for_the_team else summary


def readiness_rounds(
    uow: UnitOfWork, project_id: UUID, *, for_the_team: bool = False
) -> list[RoundReadiness]:
    return readiness_summary(uow, project_id, for_the_team=for_the_team).rounds


def open_readiness_round(uow: UnitOfWork, project_id: UUID) -> RoundReadiness:
    """Open the next round of readiness ratings: from now on ratings go into it, and the
    earlier rounds' stay as they were. A round nobody has rated in yet is still open, so
    another cannot follow it."""
    with uow:
        project = records.open_project(uow, project_id)
        opened = uow.readiness_rounds.all(project_id=project_id)
        current = current_round(opened)
        if not uow.readiness.count(project_id=project_id, round=current):
            raise Conflict(
                _(
                    "Nobody has rated their readiness in round {round} yet; rate it "
                    "before opening the next round.",
                    round=current,
                ),
                "round_not_rated",
            )
        uow.readiness_rounds.add(ReadinessRound(project_id=project_id, number=current + 1))
        summary = readiness_of(uow, project)
        uow.commit()
    return summary.rounds[-1]


def get_rating(
    uow: UnitOfWork, project_id: UUID, participant_id: UUID, round: int | None = None
) -> ReadinessRating:
    """A participant's rating in ``round`` (default: the current round)."""
    with uow:
        uow.projects.get(project_id)
        uow.participants.get(participant_id, project_id=project_id)
        if round is None:
            round = current_round(uow.readiness_rounds.all(project_id=project_id))
        rating = uow.readiness.find_by(
            project_id=project_id, participant_id=participant_id, round=round
        )
        if rating is None:
            raise NotFound(
                "readiness rating",
                message=_(
                    "No readiness rating of participant {participant} in round {round} here.",
                    participant=participant_id,
                    round=round,
                ),
            )
        return rating


def rate_readiness(
    uow: UnitOfWork,
    project_id: UUID,
    participant_id: UUID,
    scores: ReadinessScores,
    expected_version: int | None,
) -> tuple[ReadinessRating, bool]:
    """Set a participant's rating in the current round (a PUT: creates it or replaces
    it); answers if created. Earlier rounds' ratings are never touched."""
    with uow:
        records.open_project(uow, project_id)
        uow.participants.get(participant_id, project_id=project_id)
        round = current_round(uow.readiness_rounds.all(project_id=project_id))
        rating = uow.readiness.find_by(
            project_id=project_id, participant_id=participant_id, round=round
        )
        if rating is None:
            rating = ReadinessRating(
                project_id=project_id, participant_id=participant_id, round=round, **scores
            )
            uow.readiness.add(rating)
            created = True
        else:
            expect_version(rating, expected_version, "readiness rating")
            uow.readiness.update(rating, rating.change(**scores))
            created = False
        uow.commit()
    return rating, created


# --- conclusion --------------------------------------------------------------------


def get_conclusion(uow: UnitOfWork, project_id: UUID) -> Conclusion:
    with uow:
        uow.projects.get(project_id)
        conclusion = uow.conclusions.find_by(project_id=project_id)
        if conclusion is None:
            raise NotFound("conclusion", message=_("No conclusion for this project yet here."))
        return conclusion


def conclude(
    uow: UnitOfWork, project_id: UUID, values: dict[str, Any], expected_version: int | None
) -> Conclusion:
    with uow:
        records.open_project(uow, project_id)
        conclusion = uow.conclusions.find_by(project_id=project_id)
        if conclusion is None:
            conclusion = Conclusion(project_id=project_id, **values)
            uow.conclusions.add(conclusion)
        else:
            expect_version(conclusion, expected_version, "conclusion")
            uow.conclusions.update(conclusion, conclusion.change(**values))
        uow.commit()
    return conclusion
