"""The team view of the matrix (``domain.matrix.team_view``): all a participant sees of
the others' levels, over plain values. Per competence, how many team members hold each
level (withheld below 3 rated) and the seniors who can coach it; nobody's own level."""

from domain.competences import Competence
from domain.matrix import team_view
from domain.privacy import WITHHELD
from tests.unit.matrix_values import level, person


def test_counts_of_holders_per_level_and_the_seniors_by_name():
    skill = Competence(code="FB", name="Feedback")
    anna, bram, cor = person(name="Anna"), person(name="Bram"), person(name="Cor")
    senior = person("senior", name="Dirk")

    cells = [level(anna, skill, 1), level(bram, skill, 2), level(cor, skill, 2)]

    (row,) = team_view([skill], [*cells, level(senior, skill, 4)], [anna, bram, cor, senior])

    assert (row.competence, row.rated, row.withheld) == (skill, 4, None)
    assert row.holders == {0: 0, 1: 1, 2: 2, 3: 0, 4: 1}
    assert row.seniors == [senior]


def test_below_three_rated_the_counts_are_withheld_and_the_seniors_still_named():
    skill = Competence(code="FB", name="Feedback")
    anna, senior = person(name="Anna"), person("senior", name="Dirk")

    (row,) = team_view([skill], [level(anna, skill, 1), level(senior, skill, 3)], [anna, senior])

    assert (row.rated, row.holders, row.withheld) == (2, None, WITHHELD)
    assert row.seniors == [senior]


def test_mt_members_and_leavers_are_not_counted_and_a_senior_below_coach_level_is_no_senior():
    skill, other = Competence(code="FB", name="Feedback"), Competence(code="PL", name="Plan")
    team = [person(name="Anna"), person(name="Bram"), person(name="Cor")]
    watcher, gone = person("mt_member", name="Eva"), person("senior", name="Fred", active=False)
    junior = person("senior", name="Gijs")
    cells = [level(p, skill, 3) for p in [*team, watcher, gone]] + [level(junior, skill, 2)]

    row, unrated = team_view([skill, other], cells, [*team, watcher, gone, junior])

    assert (row.rated, row.holders) == (4, {0: 0, 1: 0, 2: 1, 3: 3, 4: 0})
    assert row.seniors == []
    assert (unrated.competence, unrated.rated, unrated.holders, unrated.seniors) == (
        other,
        0,
        None,
        [],
    )
