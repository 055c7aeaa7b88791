"""A participant's progress through a learning theme (seed 001: "0 of 4 steps done, 0%")
and a project's summary of it. Pure domain."""

from uuid import uuid4

import pytest

from domain.themes import Progress, Step, Theme, progress_of, summarise

ANNA, BRAM, CARLA = uuid4(), uuid4(), uuid4()


def theme(steps: int) -> Theme:
    return Theme(name="Cultuur van vertrouwen", steps=[Step(f"Step {i}") for i in range(steps)])


def done(how_many: int, of: int) -> Progress:
    made = theme(of)
    return progress_of(made, ANNA, [s.id for s in made.steps[:how_many]])


def test_steps_no_longer_in_the_theme_are_ignored():
    made = theme(4)
    removed = Step("Dropped").id

    progress = progress_of(made, ANNA, [made.steps[0].id, removed])

    assert (progress.steps_done, progress.steps_total) == ([made.steps[0].id], 4)
    assert progress.percent == 25


def test_steps_done_come_in_the_order_of_the_theme():
    made = theme(3)
    first, _second, third = (s.id for s in made.steps)

    assert progress_of(made, ANNA, [third, first]).steps_done == [first, third]


def test_a_step_given_twice_counts_once():
    made = theme(4)
    first = made.steps[0].id

    assert progress_of(made, ANNA, [first, first]).steps_done == [first]


@pytest.mark.parametrize(
    ("steps_done", "steps_total", "percent"),
    [(1, 3, 33), (2, 3, 67), (1, 6, 17), (3, 4, 75), (4, 4, 100)],
)
def test_percent_is_rounded_to_the_nearest_whole(steps_done, steps_total, percent):
    assert done(steps_done, steps_total).percent == percent


@pytest.mark.parametrize(("steps_done", "percent"), [(1, 13), (3, 38), (5, 63), (7, 88)])
def test_a_half_percent_rounds_up_whatever_the_digit_before_it(steps_done, percent):
    assert done(steps_done, 8).percent == percent


def test_a_theme_without_steps_is_0_percent_and_not_finished():
    progress = done(0, 0)

    assert (progress.percent, progress.finished) == (0, False)


def test_finished_means_every_step_done():
    assert (done(3, 4).finished, done(4, 4).finished) == (False, True)


def test_str_reads_as_the_theme_page_does():
    assert str(done(0, 4)) == "0 of 4 steps done, 0%"
    assert str(done(2, 4)) == "2 of 4 steps done, 50%"


def test_summary_averages_the_percentages_and_counts_the_finished():
    made = theme(3)
    steps = [s.id for s in made.steps]
    progress = [
        progress_of(made, ANNA, steps[:1]),
        progress_of(made, BRAM, steps),
        progress_of(made, CARLA, []),
    ]

    summary = summarise(progress)

    # (33 + 100 + 0) / 3 = 44.33…
    assert (summary.participants, summary.average_percent, summary.finished) == (3, 44.3, 1)


def test_summary_average_rounds_a_half_tenth_up():
    made = theme(3)
    others = [progress_of(made, uuid4(), []) for _ in range(3)]

    # (33 + 0 + 0 + 0) / 4 = 8.25
    assert summarise([progress_of(made, ANNA, [made.steps[0].id]), *others]).average_percent == 8.3


def test_summary_of_nobody_is_zero():
    summary = summarise([])

    assert (summary.participants, summary.average_percent, summary.finished) == (0, 0.0, 0)
