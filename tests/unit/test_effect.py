"""Effect before and after (``domain.effect``), over plain values."""

from datetime import UTC, date, datetime
from uuid import uuid4

from domain.competences import Competence
from domain.effect import indicator_effect, levels_at, matrix_effect, pulse_effect
from domain.indicators import Measurement, indicators_of
from domain.matrix import Cell, LevelChange, LevelSource
from domain.projects import Participant, ParticipantRole
from domain.pulse import PulseResult, PulseSurvey, Question, QuestionKind, QuestionResult, Topic
from domain.service_definition import RequiredCompetence, Service

PROJECT = uuid4()
JAN, MAR, JUN = (datetime(2026, m, 1, tzinfo=UTC) for m in (1, 3, 6))


def member(roles=(ParticipantRole.MEMBER,)) -> Participant:
    return Participant(project_id=PROJECT, person_id=uuid4(), roles=list(roles))


def change(who, what, level, at) -> LevelChange:
    return LevelChange(
        project_id=PROJECT,
        participant_id=who.id,
        competence_id=what.id,
        level=level,
        previous_level=None,
        source=LevelSource.SELF,
        created_at=at,
    )


def test_the_matrix_of_a_moment_is_each_cells_last_change_until_then():
    anna, skill = member(), Competence(code="PLAN", name="Planning")
    history = [
        change(anna, skill, 4, JUN),
        change(anna, skill, 2, JAN),
        change(anna, skill, 3, MAR),
    ]

    assert [c.level for c in levels_at(history, MAR)] == [3]
    assert [c.level for c in levels_at(history, None)] == [4]
    assert levels_at(history, datetime(2025, 1, 1, tzinfo=UTC)) == []


def test_holders_at_level_3_and_single_points_of_failure_before_and_after():
    anna, bram, director = member(), member(), member([ParticipantRole.MT_MEMBER])
    plan, law, spare = (Competence(code=c, name=c) for c in ("PLAN", "LAW", "SPARE"))
    service = Service(
        project_id=PROJECT,
        name="Onboarding",
        required_competences=[RequiredCompetence(plan.id), RequiredCompetence(law.id)],
    )
    before = [
        Cell(anna.id, plan.id, 3, LevelSource.SELF),
        Cell(director.id, law.id, 4, LevelSource.SELF),
    ]
    after = [
        *before,
        Cell(bram.id, plan.id, 3, LevelSource.COACH),
        Cell(bram.id, law.id, 2, LevelSource.SELF),
    ]

    effect = matrix_effect(
        [plan, law, spare], [service], [anna, bram, director], before, after, MAR
    )

    law_row, plan_row = effect.competences
    assert (plan_row.code, plan_row.holders_before, plan_row.holders_after) == ("PLAN", 1, 2)
    assert (plan_row.single_point_of_failure_before, plan_row.single_point_of_failure_after) == (
        True,
        False,
    )
    assert (law_row.holders_before, law_row.holders_after) == (0, 0)  # the MT is not the team
    assert (effect.single_points_of_failure_before, effect.single_points_of_failure_after) == (2, 1)


def scale_result(question, round, answers, mean) -> PulseResult:
    if answers < 3:
        return PulseResult(round, answers, "fewer than 3 answers", [])
    shown = QuestionResult(
        question.id, question.kind, question.topic, question.text, answers, mean, {}, None
    )
    return PulseResult(round, answers, None, [shown])


def test_a_pulse_compares_its_first_round_with_the_latest_answered_where_both_are_shown():
    trust = Question(QuestionKind.SCALE, "Trust?", Topic.TRUST)
    survey = PulseSurvey(project_id=PROJECT, title="Pulse", questions=[trust], round=3)
    rounds = [
        scale_result(trust, 1, 4, 2.5),
        scale_result(trust, 2, 3, 3.75),
        PulseResult(3, 0, "fewer than 3 answers", []),
    ]

    effect = pulse_effect(survey, rounds)

    (question,) = effect.questions
    assert (effect.baseline_round, effect.latest_round) == (1, 2)
    assert (question.before, question.after, question.change) == (2.5, 3.75, 1.25)


def test_a_pulse_compares_with_the_latest_closed_round_not_the_open_one():
    trust = Question(QuestionKind.SCALE, "Trust?", Topic.TRUST)
    survey = PulseSurvey(project_id=PROJECT, title="Pulse", questions=[trust], round=3)
    rounds = [
        scale_result(trust, 1, 4, 2.5),
        scale_result(trust, 2, 3, 3.75),
        PulseResult(3, 5, "the round is still open", [], open=True),
    ]

    effect = pulse_effect(survey, rounds)

    assert (effect.latest_round, effect.latest_withheld) == (2, None)
    assert effect.questions[0].after == 3.75


def test_a_withheld_round_gives_no_mean_and_no_change():
    trust = Question(QuestionKind.SCALE, "Trust?", Topic.TRUST)
    survey = PulseSurvey(project_id=PROJECT, title="Pulse", questions=[trust], round=2)

    effect = pulse_effect(survey, [scale_result(trust, 1, 2, None), scale_result(trust, 2, 5, 4.0)])

    (question,) = effect.questions
    assert effect.baseline_withheld == "fewer than 3 answers"
    assert (question.before, question.after, question.change) == (None, 4.0, None)


def test_an_indicator_compares_its_first_measurement_with_its_latest():
    service = Service(project_id=PROJECT, name="Onboarding", indicators=["Days"])
    series = [
        Measurement(project_id=PROJECT, service_id=service.id, indicator="Days", value=v, date=d)
        for v, d in ((12, date(2026, 1, 1)), (5, date(2026, 6, 1)), (8, date(2026, 3, 1)))
    ]

    (indicator,) = indicators_of(service, series)
    effect = indicator_effect(service, indicator)

    assert effect.before is not None
    assert effect.after is not None
    assert (effect.before.value, effect.after.value, effect.change) == (12, 5, -7)


def test_a_single_measurement_has_no_change():
    service = Service(project_id=PROJECT, name="Onboarding", indicators=["Days"])
    only = Measurement(
        project_id=PROJECT, service_id=service.id, indicator="Days", value=3, date=date(2026, 1, 1)
    )

    effect = indicator_effect(service, indicators_of(service, [only])[0])

    assert effect.change is None
