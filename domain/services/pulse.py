"""Pulse surveys of a project: defined by a consultant, answered anonymously."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page, expect_version
from domain.errors import Conflict
from domain.ports import UnitOfWork
from domain.pulse import PulseResult, PulseSurvey, Question, all_results, check_answers
from domain.services import project_records as records
from domain.texts import _


def list_surveys(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[PulseSurvey]:
    return records.list_in_project(uow, "surveys", project_id, query)


def get_survey(uow: UnitOfWork, project_id: UUID, survey_id: UUID) -> PulseSurvey:
    survey: PulseSurvey = records.get_in_project(uow, "surveys", project_id, survey_id)
    return survey


def define_survey(
    uow: UnitOfWork, project_id: UUID, *, title: str, questions: Sequence[Mapping[str, Any]]
) -> PulseSurvey:
    with uow:
        records.open_project(uow, project_id)
        survey = PulseSurvey(
            project_id=project_id, title=title, questions=[Question(**q) for q in questions]
        )
        return records.add_to_project(uow, "surveys", survey)


def delete_survey(
    uow: UnitOfWork, project_id: UUID, survey_id: UUID, expected_version: int | None
) -> None:
    """Its answers go with it."""
    records.remove_from_project(uow, "surveys", project_id, survey_id, expected_version)


def open_round(
    uow: UnitOfWork, project_id: UUID, survey_id: UUID, expected_version: int | None
) -> PulseSurvey:
    """Answers go into the next round from now on; a round nobody answered yet stays."""
    with uow:
        records.open_project(uow, project_id)
        survey = uow.surveys.get(survey_id, project_id=project_id)
        expect_version(survey, expected_version, "pulse survey")
        if survey.round not in uow.pulse_answers.rounds([survey.id])[survey.id]:
            raise Conflict(
                _("Nobody has answered round {round} yet; it stays open.", round=survey.round),
                "round_empty",
            )
        uow.surveys.update(survey, survey.change(round=survey.round + 1))
        uow.commit()
    return survey


def answer(
    uow: UnitOfWork,
    project_id: UUID,
    survey_id: UUID,
    participant_id: UUID,
    answers: Sequence[Mapping[str, Any]],
) -> PulseSurvey:
    """Take a participant's answers in the current round, once. What is stored of the
    answers names nobody; that the participant answered is kept apart (domain.pulse)."""
    with uow:
        records.open_project(uow, project_id)
        survey = uow.surveys.get(survey_id, project_id=project_id)
        records.participant_in(uow, project_id, participant_id)
        if uow.pulse_answers.has_answered(survey.id, survey.round, participant_id):
            raise Conflict(
                _("This participant has already answered in this round."), "already_answered"
            )
        uow.pulse_answers.record(survey, participant_id, check_answers(survey, answers))
        # Audited as an answer to the survey: no answer id, no participant, and no actor
        # (the API makes the request anonymous, api.policy.ANONYMOUS).
        uow.audit.record_change("answer", "pulse_survey", survey.id, [])
        uow.commit()
    return survey


def survey_results(uow: UnitOfWork, project_id: UUID, survey_id: UUID) -> list[PulseResult]:
    """Every round's results; the open round's and any below 3 answers withheld."""
    with uow:
        uow.projects.get(project_id)
        survey = uow.surveys.get(survey_id, project_id=project_id)
        return all_results(survey, uow.pulse_answers.rounds([survey.id])[survey.id])
