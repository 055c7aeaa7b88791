"""Effect: how the project's measures moved from the baseline to now (seed 004 asks
whether the team improved). Pure functions over plain values, linear in their input.

- readiness: the baseline round (the intake's) against the latest round rated;
- pulse: each survey's first round against its latest closed one, per scale question,
  only where both rounds are shown (closed, with enough answers);
- indicators: each indicator's first measurement against its latest;
- matrix: per competence a service needs, the team members at level 3 or more, and
  whether it hangs on one person or nobody (a single point of failure), at the baseline
  moment and now. The level history keeps every change with its time, so the matrix of
  any moment can be read back from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.competences import Competence
from domain.indicators import Indicator, Measurement
from domain.intake import BASELINE_ROUND, ReadinessSummary, RoundReadiness
from domain.matrix import COACH_LEVEL, Cell, LevelChange, in_team
from domain.projects import Participant
from domain.pulse import PulseResult, PulseSurvey, QuestionKind
from domain.service_definition import Service


def levels_at(history: Iterable[LevelChange], moment: datetime | None) -> list[Cell]:
    """The matrix as it stood at ``moment`` (``None``: as it stands now), from the
    history: each cell's last change at or before it."""
    last: dict[tuple[UUID, UUID], LevelChange] = {}
    for change in history:
        if moment is not None and change.created_at > moment:
            continue
        key = (change.participant_id, change.competence_id)
        kept = last.get(key)
        if kept is None or (change.created_at, str(change.id)) >= (kept.created_at, str(kept.id)):
            last[key] = change
    return [Cell(c.participant_id, c.competence_id, c.level, c.source) for c in last.values()]


@dataclass(frozen=True)
class CompetenceEffect:
    competence_id: UUID
    code: str
    holders_before: int
    holders_after: int
    single_point_of_failure_before: bool
    single_point_of_failure_after: bool


@dataclass(frozen=True)
class MatrixEffect:
    baseline_at: datetime | None
    competences: list[CompetenceEffect]

    @property
    def single_points_of_failure_before(self) -> int:
        return sum(c.single_point_of_failure_before for c in self.competences)

    @property
    def single_points_of_failure_after(self) -> int:
        return sum(c.single_point_of_failure_after for c in self.competences)


def _holders(cells: Iterable[Cell], team: set[UUID]) -> dict[UUID, int]:
    held: dict[UUID, int] = {}
    for cell in cells:
        if cell.participant_id in team and cell.level >= COACH_LEVEL:
            held[cell.competence_id] = held.get(cell.competence_id, 0) + 1
    return held


def matrix_effect(
    competences: Iterable[Competence],
    services: Iterable[Service],
    participants: Iterable[Participant],
    before: Iterable[Cell],
    after: Iterable[Cell],
    baseline_at: datetime | None,
) -> MatrixEffect:
    """Holders at level 3 or more of every competence a service needs, before and after,
    in the order of the competences' codes."""
    needed = {r.competence_id for s in services for r in s.required_competences}
    team = {p.id for p in participants if in_team(p)}
    then, now = _holders(before, team), _holders(after, team)
    rows = [
        CompetenceEffect(
            c.id,
            c.code,
            then.get(c.id, 0),
            now.get(c.id, 0),
            then.get(c.id, 0) <= 1,
            now.get(c.id, 0) <= 1,
        )
        for c in sorted(competences, key=lambda c: c.code)
        if c.id in needed
    ]
    return MatrixEffect(baseline_at, rows)


@dataclass(frozen=True)
class ReadinessEffect:
    baseline: RoundReadiness
    latest: RoundReadiness


def readiness_effect(summary: ReadinessSummary) -> ReadinessEffect:
    """The baseline against the latest round anyone in the team rated in (the baseline
    itself while no later round has a rating)."""
    rated = [r for r in summary.rounds if r.team.rated]
    baseline = next(r for r in summary.rounds if r.round == BASELINE_ROUND)
    return ReadinessEffect(baseline, rated[-1] if rated else baseline)


@dataclass(frozen=True)
class QuestionEffect:
    question_id: UUID
    text: str
    topic: str
    before: float | None
    after: float | None
    change: float | None


@dataclass(frozen=True)
class PulseEffect:
    survey_id: UUID
    title: str
    baseline_round: int
    latest_round: int
    baseline_withheld: str | None
    latest_withheld: str | None
    questions: list[QuestionEffect]


def pulse_effect(survey: PulseSurvey, rounds: Sequence[PulseResult]) -> PulseEffect:
    """The first round against the latest closed one anyone answered; a mean only where
    its round is shown (closed, 3 answers or more), a change only where both are. The open
    round is withheld (``domain.pulse``), so it would only hide a closed one."""
    answered = [r for r in rounds if r.answers and not r.open]
    first = rounds[0]
    last = answered[-1] if answered else first
    before, after = first.means, last.means
    questions = []
    for q in survey.questions:
        if q.kind is not QuestionKind.SCALE:
            continue
        b, a = before.get(q.id), after.get(q.id)
        change = None if a is None or b is None else round(a - b, 2)
        questions.append(QuestionEffect(q.id, q.text, q.topic.value, b, a, change))
    return PulseEffect(
        survey.id, survey.title, first.round, last.round, first.withheld, last.withheld, questions
    )


@dataclass(frozen=True)
class IndicatorEffect:
    service_id: UUID
    service: str
    indicator_id: UUID
    indicator: str
    before: Measurement | None
    after: Measurement | None
    change: float | None


def indicator_effect(service: Service, indicator: Indicator) -> IndicatorEffect:
    first, latest = indicator.first, indicator.latest
    change = (
        round(latest.value - first.value, 6)
        if first is not None and latest is not None and first is not latest
        else None
    )
    return IndicatorEffect(
        service.id, service.name, indicator.id, indicator.name, first, latest, change
    )


@dataclass(frozen=True)
class Effect:
    readiness: ReadinessEffect
    pulse: list[PulseEffect]
    indicators: list[IndicatorEffect]
    matrix: MatrixEffect
