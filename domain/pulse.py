"""Pulse surveys: a few short questions (trust, knowledge sharing, job satisfaction, the
MT's complaints) put to the participants in rounds, to see whether the project changed
how it feels to work in the team.

Answers are anonymous. No stored answer names its participant, user or time: scale
answers are kept only as counts per value, open answers as bare texts, and that a
participant has answered in a round is kept apart, so a second answer can be refused
without any link from an answer to its author.

Results must not single anyone out either. A round's results are shown only once the
round is closed, which opening the next round does, and only when it holds at least
``MIN_ANSWERS`` answers; until then nothing but the number of answers is shown. Results
that moved with every answer would give each answer away to whoever read them before
and after one participant answered, and a round of one or two would give them away to
anyone who knows who answered. Nothing of a question answered fewer times than that is
shown either (``domain.privacy``): an open question only one person answered would show
that person's text as it is. The audit of an answer names no actor
(``api.policy.ANONYMOUS``) and the export holds closed rounds only, for the same reason.
"""

from __future__ import annotations

import dataclasses
import enum
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from domain.base import Entity
from domain.errors import RuleViolation, Violation
from domain.privacy import MIN_RATERS, too_few
from domain.texts import _

MIN_ANSWERS = MIN_RATERS
WITHHELD = _("fewer than {minimum} answers", minimum=MIN_ANSWERS)
STILL_OPEN = _("the round is still open: its results are shown once the next round is opened")
SCALE = range(1, 6)


class QuestionKind(enum.StrEnum):
    SCALE = "scale"  # 1 (not at all) to 5 (very much)
    OPEN = "open"


class Topic(enum.StrEnum):
    TRUST = "trust"
    KNOWLEDGE_SHARING = "knowledge_sharing"
    JOB_SATISFACTION = "job_satisfaction"
    MT_COMPLAINTS = "mt_complaints"
    OTHER = "other"


@dataclass(frozen=True)
class Question:
    kind: QuestionKind
    text: str
    topic: Topic = Topic.OTHER
    id: UUID = field(default_factory=uuid4)


@dataclass(kw_only=True, eq=False)
class PulseSurvey(Entity):
    """A short survey of a project, answered once per participant in each round."""

    project_id: UUID
    title: str
    questions: list[Question]
    round: int = 1  # the round answers go into now; the rounds before it are closed

    def closed(self, round: int) -> bool:
        """Whether ``round`` takes no more answers (a later one was opened)."""
        return round < self.round


@dataclass(frozen=True)
class Answers:
    """One participant's answers, as they are stored: with no trace of who gave them."""

    scale: dict[UUID, int]
    texts: dict[UUID, str]


@dataclass(frozen=True)
class RoundAnswers:
    """Everything a round holds: how many answered, counts per scale value, open texts."""

    answers: int
    counts: Mapping[UUID, Counter[int]]
    texts: Mapping[UUID, list[str]]


@dataclass(frozen=True)
class QuestionResult:
    question_id: UUID
    kind: QuestionKind
    topic: Topic
    text: str
    count: int
    mean: float | None
    distribution: dict[str, int] | None  # scale questions: how many gave each value
    answers: list[str] | None  # open questions: the texts, in alphabetical order
    withheld: str | None = None  # why mean, distribution and texts are not shown


@dataclass(frozen=True)
class PulseResult:
    """A round's results, or why they are withheld."""

    round: int
    answers: int
    withheld: str | None
    questions: list[QuestionResult]
    open: bool = False  # still taking answers, so withheld whatever it holds

    @property
    def means(self) -> dict[UUID, float | None]:
        return {q.question_id: q.mean for q in self.questions if q.kind is QuestionKind.SCALE}


def check_answers(survey: PulseSurvey, given: Iterable[Mapping[str, Any]]) -> Answers:
    """The answers as the survey's questions allow them, every mistake located."""
    questions = {q.id: q for q in survey.questions}
    scale: dict[UUID, int] = {}
    texts: dict[UUID, str] = {}
    violations: list[Violation] = []
    for index, item in enumerate(given):
        where = f"answers.{index}"
        question = questions.get(item["question_id"])
        value, text = item.get("value"), item.get("text")
        if question is None:
            violations.append(
                Violation(
                    f"{where}.question_id", _("No question with this id."), "unknown_question"
                )
            )
        elif question.id in scale or question.id in texts:
            violations.append(Violation(f"{where}.question_id", _("Answered twice."), "duplicate"))
        elif question.kind is QuestionKind.SCALE:
            if not isinstance(value, int) or value not in SCALE or text is not None:
                violations.append(
                    Violation(
                        f"{where}.value", _("A scale question takes a value 1 to 5."), "scale"
                    )
                )
            else:
                scale[question.id] = value
        elif not isinstance(text, str) or value is not None:
            violations.append(
                Violation(f"{where}.text", _("An open question takes a text."), "open")
            )
        else:
            texts[question.id] = text
    if not violations and not scale and not texts:
        violations.append(Violation("answers", _("Answer at least one question."), "empty"))
    if violations:
        raise RuleViolation(violations)
    return Answers(scale, texts)


def results(survey: PulseSurvey, held: RoundAnswers, round: int) -> PulseResult:
    """A round's results per question; nothing but the count while the round is open or
    below ``MIN_ANSWERS``, for the round as for each of its questions (the module's
    docstring says why)."""
    if not survey.closed(round):
        return PulseResult(round, held.answers, STILL_OPEN, [], open=True)
    if not shown_round(held):
        return PulseResult(round, held.answers, WITHHELD, [])
    shown = []
    for q in survey.questions:
        if q.kind is QuestionKind.SCALE:
            counts = held.counts.get(q.id, Counter())
            values = [v for v, n in counts.items() for _ in range(n)]
            result = QuestionResult(
                q.id,
                q.kind,
                q.topic,
                q.text,
                len(values),
                round_mean(values),
                {str(v): counts[v] for v in SCALE},
                None,
            )
        else:
            texts = sorted(held.texts.get(q.id, []))
            result = QuestionResult(q.id, q.kind, q.topic, q.text, len(texts), None, None, texts)
        if too_few(result.count):
            result = dataclasses.replace(
                result, mean=None, distribution=None, answers=None, withheld=WITHHELD
            )
        shown.append(result)
    return PulseResult(round, held.answers, None, shown)


def shown_round(held: RoundAnswers) -> bool:
    """A closed round holds enough answers to be shown (or exported)."""
    return not too_few(held.answers)


def round_mean(values: list[int]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def all_results(survey: PulseSurvey, held: Mapping[int, RoundAnswers]) -> list[PulseResult]:
    """Every round up to the current one, oldest first."""
    empty = RoundAnswers(0, {}, {})
    return [results(survey, held.get(n, empty), n) for n in range(1, survey.round + 1)]
