"""What the team depends on most (``domain.matrix.dependencies``), over plain values.

demand = services needing a competence; holders = team members at or above the highest
level a service needs; ranked by demand descending, then holders ascending, then code.
"""

import pytest

from domain.competences import Competence
from domain.matrix import Cell, Cells, dependencies
from domain.service_definition import RequiredCompetence, Service
from tests.unit.matrix_values import PROJECT, level, person


def competence(code: str) -> Competence:
    return Competence(code=code, name=code)


def service(name: str, *needs: tuple[Competence, int]) -> Service:
    return Service(
        project_id=PROJECT,
        name=name,
        required_competences=[RequiredCompetence(c.id, level) for c, level in needs],
    )


def by_code(ranking):
    return {d.competence.code: d for d in ranking}


def test_a_competence_more_services_need_ranks_first_even_with_more_holders():
    wide, narrow = competence("B-WIDE"), competence("A-NARROW")
    anna, bram = person(), person()
    ranking = dependencies(
        [narrow, wide],
        [service("S1", (wide, 2)), service("S2", (wide, 2), (narrow, 2))],
        [level(anna, wide, 3), level(bram, wide, 3)],
        [anna, bram],
    )

    assert [(d.competence.code, d.demand, len(d.holders)) for d in ranking] == [
        ("B-WIDE", 2, 2),
        ("A-NARROW", 1, 0),
    ]


def test_at_equal_demand_fewer_holders_rank_first():
    crowded, scarce = competence("A-CROWDED"), competence("B-SCARCE")
    anna, bram = person(), person()
    ranking = dependencies(
        [crowded, scarce],
        [service("S1", (crowded, 2), (scarce, 2))],
        [level(anna, crowded, 2), level(bram, crowded, 2), level(anna, scarce, 2)],
        [anna, bram],
    )

    assert [d.competence.code for d in ranking] == ["B-SCARCE", "A-CROWDED"]


def test_at_equal_demand_and_holders_the_code_decides():
    competences = [competence(code) for code in ("C", "A", "B")]
    ranking = dependencies(competences, [service("S1", *((c, 2) for c in competences))], [], [])

    assert [d.competence.code for d in ranking] == ["A", "B", "C"]


def test_ranks_number_the_competences_from_one_without_gaps():
    competences = [competence(code) for code in ("A", "B", "C", "D")]
    needs = [service("S1", (competences[0], 2)), service("S2", (competences[0], 2))]

    ranking = dependencies(competences, needs, [], [])

    assert [d.rank for d in ranking] == [1, 2, 3, 4]


def test_a_holder_meets_the_highest_level_any_service_needs():
    fb = competence("FB")
    proficient, expert = person(), person()
    [dependency] = dependencies(
        [fb],
        [service("Advice", (fb, 2)), service("Training", (fb, 4))],
        [level(proficient, fb, 3), level(expert, fb, 4)],
        [proficient, expert],
    )

    assert (dependency.required_level, dependency.holders) == (4, [expert.id])


def test_only_the_services_needing_more_than_the_team_can_are_at_risk():
    fb = competence("FB")
    advice, training = service("Advice", (fb, 2)), service("Training", (fb, 4))
    proficient, expert = person(), person()
    [dependency] = dependencies(
        [fb],
        [advice, training],
        [level(proficient, fb, 3), level(expert, fb, 4)],
        [proficient, expert],
    )

    assert dependency.services_at_risk == [training]


def test_a_competence_nobody_holds_puts_every_service_needing_it_at_risk():
    fb = competence("FB")
    advice, training = service("Advice", (fb, 2)), service("Training", (fb, 3))
    [dependency] = dependencies([fb], [advice, training], [], [person()])

    assert dependency.services_at_risk == [advice, training]


def test_an_mt_member_only_participant_never_holds():
    fb = competence("FB")
    watcher = person("mt_member")
    [dependency] = dependencies([fb], [service("S1", (fb, 2))], [level(watcher, fb, 4)], [watcher])

    assert dependency.holders == []


def test_an_mt_member_who_is_also_in_the_team_holds():
    fb = competence("FB")
    both = person("member", "mt_member")
    [dependency] = dependencies([fb], [service("S1", (fb, 2))], [level(both, fb, 4)], [both])

    assert dependency.holders == [both.id]


def test_levels_of_someone_not_taking_part_are_ignored():
    fb = competence("FB")
    anna, stranger = person(), person()
    [dependency] = dependencies([fb], [service("S1", (fb, 2))], [level(stranger, fb, 4)], [anna])

    assert dependency.holders == []


@pytest.mark.parametrize(("holders", "fragile"), [(0, True), (1, True), (2, False)])
def test_a_needed_competence_held_by_at_most_one_is_a_single_point_of_failure(holders, fragile):
    fb = competence("FB")
    team = [person() for _ in range(3)]
    levels = [level(p, fb, 3) for p in team[:holders]] + [level(p, fb, 2) for p in team[holders:]]

    [dependency] = dependencies([fb], [service("S1", (fb, 3))], levels, team)

    assert dependency.single_point_of_failure is fragile


def test_a_competence_no_service_needs_is_no_single_point_of_failure():
    idle = competence("IDLE")
    [dependency] = dependencies([idle], [], [], [person()])

    assert (dependency.demand, dependency.required_level, dependency.single_point_of_failure) == (
        0,
        None,
        False,
    )


def test_a_competence_no_service_needs_ranks_after_every_needed_one():
    idle, needed = competence("A-IDLE"), competence("Z-NEEDED")
    anna, bram = person(), person()
    ranking = dependencies(
        [idle, needed],
        [service("S1", (needed, 1))],
        [level(anna, needed, 4), level(bram, needed, 4)],
        [anna, bram],
    )

    assert [d.competence.code for d in ranking] == ["Z-NEEDED", "A-IDLE"]


def test_cells_read_column_wise_rank_as_the_levels_they_were_made_from():
    fb, plan = competence("FB"), competence("PLAN")
    anna, bram = person(), person()
    levels = [level(anna, fb, 3), level(bram, fb, 1), level(bram, plan, 2)]
    cells = Cells.of(Cell(x.participant_id, x.competence_id, x.level, x.source) for x in levels)
    needs = [service("S1", (fb, 2), (plan, 2))]

    assert cells.competences == {fb.id, plan.id}
    assert dependencies([fb, plan], needs, cells, [anna, bram]) == dependencies(
        [fb, plan], needs, levels, [anna, bram]
    )
