"""Pulse surveys (``domain.pulse``): answers checked against the questions, results
shown only once a round is closed and from three answers on."""

from collections import Counter
from uuid import uuid4

import pytest

from domain.errors import RuleViolation
from domain.pulse import (
    STILL_OPEN,
    WITHHELD,
    PulseSurvey,
    Question,
    QuestionKind,
    RoundAnswers,
    all_results,
    check_answers,
    results,
)

SCALE = Question(QuestionKind.SCALE, "Trust?")
OPEN = Question(QuestionKind.OPEN, "Why?")
SURVEY = PulseSurvey(project_id=uuid4(), title="Pulse", questions=[SCALE, OPEN], round=2)


def test_answers_are_kept_by_question_without_anyone_in_them():
    answers = check_answers(
        SURVEY, [{"question_id": SCALE.id, "value": 4}, {"question_id": OPEN.id, "text": "Calm"}]
    )

    assert (answers.scale, answers.texts) == ({SCALE.id: 4}, {OPEN.id: "Calm"})


def test_every_answer_that_does_not_fit_is_named_where_it_is():
    with pytest.raises(RuleViolation) as refused:
        check_answers(
            SURVEY,
            [
                {"question_id": SCALE.id, "text": "four"},
                {"question_id": uuid4(), "value": 1},
                {"question_id": OPEN.id, "value": 2},
            ],
        )

    assert [v.field for v in refused.value.violations] == [
        "answers.0.value",
        "answers.1.question_id",
        "answers.2.text",
    ]


def test_below_three_answers_nothing_but_the_count_is_shown():
    held = RoundAnswers(2, {SCALE.id: Counter({5: 2})}, {OPEN.id: ["a", "b"]})

    shown = results(SURVEY, held, 1)

    assert (shown.answers, shown.withheld, shown.questions) == (2, WITHHELD, [])


def test_from_three_answers_means_distributions_and_texts_are_shown():
    held = RoundAnswers(3, {SCALE.id: Counter({5: 1, 2: 2})}, {OPEN.id: ["b", "c", "a"]})

    scale, open_ = results(SURVEY, held, 1).questions

    assert (scale.count, scale.mean, scale.distribution, scale.withheld) == (
        3,
        3.0,
        {"1": 0, "2": 2, "3": 0, "4": 0, "5": 1},
        None,
    )
    assert (open_.answers, open_.withheld) == (["a", "b", "c"], None)


def test_a_question_fewer_than_three_answered_is_withheld_though_its_round_is_shown():
    held = RoundAnswers(3, {SCALE.id: Counter({5: 1, 2: 2})}, {OPEN.id: ["b", "a"]})

    scale, open_ = results(SURVEY, held, 1).questions

    assert scale.mean == 3.0
    assert (open_.count, open_.answers, open_.withheld) == (2, None, WITHHELD)


def test_the_open_round_shows_only_its_count_however_many_answered():
    held = RoundAnswers(9, {SCALE.id: Counter({5: 9})}, {OPEN.id: ["a"] * 9})

    shown = results(SURVEY, held, 2)

    assert (shown.answers, shown.open, shown.withheld, shown.questions) == (
        9,
        True,
        STILL_OPEN,
        [],
    )


def test_every_round_up_to_the_current_one_is_listed():
    assert [r.round for r in all_results(SURVEY, {})] == [1, 2]
