"""Which development wishes come first (``domain.matrix.priorities``) and who can coach
them (``candidate_coaches``), over plain values.

Wishes follow their competence's dependency rank; wishes on competences no service needs
come last, without a rank. Candidate coaches are seniors at level 3 or more, never the
wisher.
"""

from domain.competences import Competence
from domain.matrix import (
    DevelopmentWish,
    candidate_coaches,
    dependencies,
    priorities,
)
from domain.projects import Participant
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


def wish(who: Participant, what: Competence) -> DevelopmentWish:
    return DevelopmentWish(project_id=PROJECT, participant_id=who.id, competence_id=what.id)


def prioritise(wishes, competences, services, levels, participants):
    ranking = dependencies(competences, services, levels, participants)
    return priorities(wishes, ranking, participants, levels)


# A team of two members and a senior; FB is needed by two services and held by the senior
# alone (rank 1, a single point of failure); PLAN by one, held by both members (rank 2);
# IDLE by none.
FB, PLAN, IDLE = competence("FB"), competence("PLAN"), competence("IDLE")
ANNA, BRAM, CARLA = person(), person(), person("member", "senior")
SERVICES = [service("Onboarding", (FB, 3), (PLAN, 2)), service("Advice", (FB, 3))]
LEVELS = [
    level(ANNA, FB, 2),
    level(ANNA, PLAN, 3),
    level(BRAM, FB, 1),
    level(BRAM, PLAN, 2),
    level(CARLA, FB, 4),
    level(CARLA, PLAN, 1),
]
TEAM = [ANNA, BRAM, CARLA]


def test_wishes_follow_the_rank_of_their_competence():
    on_plan, on_fb = wish(ANNA, PLAN), wish(BRAM, FB)

    result = prioritise([on_plan, on_fb], [FB, PLAN], SERVICES, LEVELS, TEAM)

    assert [(p.wish_id, p.rank) for p in result] == [(on_fb.id, 1), (on_plan.id, 2)]


def test_a_priority_carries_the_dependency_figures_of_its_competence():
    [priority] = prioritise([wish(ANNA, FB)], [FB, PLAN], SERVICES, LEVELS, TEAM)

    assert (priority.demand, priority.holders, priority.single_point_of_failure) == (2, 1, True)


def test_the_reason_names_demand_holders_and_rank():
    [priority] = prioritise([wish(ANNA, PLAN)], [FB, PLAN], SERVICES, LEVELS, TEAM)

    assert priority.reason.startswith(
        "Needed by 1 service and held by 2 team members at the level needed; rank 2 of 2"
    )


def test_the_reason_flags_a_single_point_of_failure():
    [fragile] = prioritise([wish(ANNA, FB)], [FB, PLAN], SERVICES, LEVELS, TEAM)
    [safe] = prioritise([wish(BRAM, PLAN)], [FB, PLAN], SERVICES, LEVELS, TEAM)

    assert "single point of failure" in fragile.reason
    assert "single point of failure" not in safe.reason


def test_a_wish_no_service_needs_comes_last_without_a_rank():
    idle, needed = wish(ANNA, IDLE), wish(BRAM, PLAN)

    result = prioritise([idle, needed], [FB, PLAN, IDLE], SERVICES, LEVELS, TEAM)

    assert [(p.wish_id, p.rank) for p in result] == [(needed.id, 2), (idle.id, None)]


def test_a_wish_no_service_needs_says_so_in_its_reason():
    [priority] = prioritise([wish(ANNA, IDLE)], [FB, PLAN, IDLE], SERVICES, LEVELS, TEAM)

    assert "No service needs this competence" in priority.reason
    assert (priority.demand, priority.single_point_of_failure) == (0, False)


def test_a_wish_on_a_competence_missing_from_the_ranking_comes_last_without_a_rank():
    elsewhere, needed = wish(ANNA, competence("UNRANKED")), wish(BRAM, FB)

    result = prioritise([elsewhere, needed], [FB, PLAN], SERVICES, LEVELS, TEAM)

    assert [(p.wish_id, p.rank) for p in result] == [(needed.id, 1), (elsewhere.id, None)]
    assert "No service needs this competence" in result[1].reason


def test_candidate_coaches_are_seniors_at_level_three_or_more():
    dirk, eva = person("senior"), person("senior")
    levels = [*LEVELS, level(dirk, FB, 3), level(eva, FB, 2)]

    [priority] = prioritise([wish(ANNA, FB)], [FB, PLAN], SERVICES, levels, [*TEAM, dirk, eva])

    assert priority.candidate_coaches == [CARLA.id, dirk.id]


def test_a_member_at_level_four_who_is_no_senior_is_no_candidate_coach():
    # Anna holds PLAN at 3 but is no senior; Carla, the senior, has PLAN at 1.
    [priority] = prioritise([wish(BRAM, PLAN)], [FB, PLAN], SERVICES, LEVELS, TEAM)

    assert priority.candidate_coaches == []


def test_the_wisher_is_never_their_own_candidate_coach():
    [priority] = prioritise([wish(CARLA, FB)], [FB, PLAN], SERVICES, LEVELS, TEAM)

    assert CARLA.id not in priority.candidate_coaches


def test_a_senior_without_a_level_is_no_candidate_coach():
    dirk = person("senior")

    assert candidate_coaches(FB.id, ANNA.id, [dirk], {}) == []


def test_candidate_coaches_are_judged_on_the_wished_competence_only():
    dirk = person("senior")
    level_of = {(dirk.id, PLAN.id): 4, (dirk.id, FB.id): 2}

    assert candidate_coaches(FB.id, ANNA.id, [dirk], level_of) == []
    assert candidate_coaches(PLAN.id, ANNA.id, [dirk], level_of) == [dirk.id]
