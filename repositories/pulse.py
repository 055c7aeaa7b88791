"""Repositories of pulse surveys and their anonymous answers."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from domain.errors import Conflict
from domain.pulse import Answers, PulseSurvey, Question, QuestionKind, RoundAnswers, Topic
from domain.texts import _
from repositories import tables as t
from repositories.base import TableRepository

if TYPE_CHECKING:
    from repositories.unit_of_work import SqlUnitOfWork


class SurveyRepository(TableRepository[PulseSurvey]):
    """Surveys with their questions, kept as JSON in the survey's row."""

    table, entity, entity_type = t.pulse_surveys, PulseSurvey, "pulse_survey"

    def _to_entity(self, row: Row) -> PulseSurvey:
        values = dict(row._mapping)
        values["questions"] = [
            Question(QuestionKind(q["kind"]), q["text"], Topic(q["topic"]), UUID(q["id"]))
            for q in values["questions"]
        ]
        return PulseSurvey(**values)

    def _values(self, entity: PulseSurvey, names: Collection[str]) -> dict[str, Any]:
        values = super()._values(entity, names)
        if "questions" in values:
            values["questions"] = [
                {"id": str(q.id), "kind": q.kind.value, "topic": q.topic.value, "text": q.text}
                for q in entity.questions
            ]
        return values


class PulseAnswerRepository:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow

    def respondents(self, survey_ids: Collection[UUID]) -> dict[tuple[UUID, int], list[UUID]]:
        """Who answered in each round of the surveys (never with what they answered)."""
        r = t.pulse_respondents.c
        found: dict[tuple[UUID, int], list[UUID]] = defaultdict(list)
        if not survey_ids:
            return found
        for row in self.uow.connection.execute(
            select(r.survey_id, r.round, r.participant_id).where(
                r.workspace_id == self.uow.scope.workspace_id, r.survey_id.in_(list(survey_ids))
            )
        ):
            found[row.survey_id, row.round].append(row.participant_id)
        return found

    def has_answered(self, survey_id: UUID, round: int, participant_id: UUID) -> bool:
        r = t.pulse_respondents.c
        stmt = select(r.participant_id).where(
            r.workspace_id == self.uow.scope.workspace_id,
            r.survey_id == survey_id,
            r.round == round,
            r.participant_id == participant_id,
        )
        return self.uow.connection.execute(stmt).first() is not None

    def record(self, survey: PulseSurvey, participant_id: UUID, answers: Answers) -> None:
        connection, workspace_id = self.uow.connection, self.uow.scope.workspace_id
        try:
            connection.execute(
                insert(t.pulse_respondents).values(
                    workspace_id=workspace_id,
                    survey_id=survey.id,
                    round=survey.round,
                    participant_id=participant_id,
                )
            )
        except IntegrityError as error:
            raise Conflict(
                _("This participant has already answered in this round."), "already_answered"
            ) from error
        if answers.scale:
            dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
            counts = dialect.insert(t.pulse_counts)
            connection.execute(
                counts.on_conflict_do_update(
                    index_elements=["survey_id", "round", "question_id", "value"],
                    set_={"count": t.pulse_counts.c.count + 1},
                ),
                [
                    {
                        "workspace_id": workspace_id,
                        "survey_id": survey.id,
                        "round": survey.round,
                        "question_id": question_id,
                        "value": value,
                        "count": 1,
                    }
                    for question_id, value in answers.scale.items()
                ],
            )
        if answers.texts:
            connection.execute(
                insert(t.pulse_texts),
                [
                    {
                        "id": uuid4(),
                        "workspace_id": workspace_id,
                        "survey_id": survey.id,
                        "round": survey.round,
                        "question_id": question_id,
                        "text": text,
                    }
                    for question_id, text in answers.texts.items()
                ],
            )

    def restore(
        self,
        survey_id: UUID,
        round: int,
        respondents: Collection[UUID],
        held: RoundAnswers,
    ) -> None:
        """Store a round as an export described it (an import into another workspace)."""
        connection, workspace_id = self.uow.connection, self.uow.scope.workspace_id
        where = {"workspace_id": workspace_id, "survey_id": survey_id, "round": round}
        if respondents:
            connection.execute(
                insert(t.pulse_respondents), [{**where, "participant_id": p} for p in respondents]
            )
        counts = [
            {**where, "question_id": q, "value": value, "count": n}
            for q, values in held.counts.items()
            for value, n in values.items()
        ]
        if counts:
            connection.execute(insert(t.pulse_counts), counts)
        texts = [
            {**where, "id": uuid4(), "question_id": q, "text": text}
            for q, given in held.texts.items()
            for text in given
        ]
        if texts:
            connection.execute(insert(t.pulse_texts), texts)

    def rounds(self, survey_ids: Collection[UUID]) -> dict[UUID, dict[int, RoundAnswers]]:
        """What each survey's rounds hold, in three statements however many surveys."""
        connection, workspace_id = self.uow.connection, self.uow.scope.workspace_id
        r, c, x = t.pulse_respondents.c, t.pulse_counts.c, t.pulse_texts.c
        wanted = list(survey_ids)
        if not wanted:
            return {}
        answered = connection.execute(
            select(r.survey_id, r.round, func.count())
            .where(r.workspace_id == workspace_id, r.survey_id.in_(wanted))
            .group_by(r.survey_id, r.round)
        ).all()
        counts: dict[tuple[UUID, int], dict[UUID, Counter[int]]] = defaultdict(
            lambda: defaultdict(Counter)
        )
        for row in connection.execute(
            select(c.survey_id, c.round, c.question_id, c.value, c.count).where(
                c.workspace_id == workspace_id, c.survey_id.in_(wanted)
            )
        ):
            counts[row.survey_id, row.round][row.question_id][row.value] = row[
                4
            ]  # .count is a method of Row
        texts: dict[tuple[UUID, int], dict[UUID, list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for line in connection.execute(
            select(x.survey_id, x.round, x.question_id, x.text).where(
                x.workspace_id == workspace_id, x.survey_id.in_(wanted)
            )
        ):
            texts[line.survey_id, line.round][line.question_id].append(line.text)
        held: dict[UUID, dict[int, RoundAnswers]] = {s: {} for s in wanted}
        for survey_id, number, n in answered:
            key = (survey_id, number)
            held[survey_id][number] = RoundAnswers(n, counts.get(key, {}), texts.get(key, {}))
        return held
