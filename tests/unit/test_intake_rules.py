"""The readiness summary and the intake's gate conditions (``domain.intake``)."""

from uuid import uuid4

import pytest

from domain.intake import (
    Conclusion,
    DimensionSummary,
    ReadinessRating,
    ReadinessRound,
    intake_unmet,
    summarise_readiness,
)
from domain.projects import Participant, ParticipantRole

PROJECT = uuid4()


def members(*ids, roles=(ParticipantRole.MEMBER,)) -> list[Participant]:
    return [
        Participant(id=i, project_id=PROJECT, person_id=uuid4(), roles=list(roles)) for i in ids
    ]


def rating(participant_id=None, desire=3, energy=3, feasibility=3, round=1) -> ReadinessRating:
    return ReadinessRating(
        project_id=PROJECT,
        participant_id=participant_id or uuid4(),
        desire=desire,
        energy=energy,
        feasibility=feasibility,
        round=round,
    )


def rated(size: int, rating_members: int):
    """A summary of ``size`` members of whom the first ``rating_members`` rated."""
    ids = [uuid4() for _ in range(size)]
    return summarise_readiness([rating(i) for i in ids[:rating_members]], members(*ids))


def codes(unmet) -> list[str]:
    return [u.code for u in unmet]


# --- summarise_readiness -------------------------------------------------------------


def test_each_dimension_has_its_count_mean_and_median():
    ratings = [
        rating(desire=1, energy=5, feasibility=2),
        rating(desire=2, energy=4, feasibility=2),
        rating(desire=4, energy=4, feasibility=5),
    ]

    summary = summarise_readiness(ratings, [])

    assert summary.desire == DimensionSummary(3, 2.33, 2.0)
    assert summary.energy == DimensionSummary(3, 4.33, 4.0)
    assert summary.feasibility == DimensionSummary(3, 3.0, 2.0)


def test_the_median_of_an_even_count_lies_between_the_middle_two():
    summary = summarise_readiness([rating(desire=2), rating(desire=5)], [])

    assert summary.desire.median == 3.5


def test_without_ratings_a_dimension_has_no_mean_or_median():
    summary = summarise_readiness([], members(uuid4()))

    assert summary.energy == DimensionSummary(0, None, None)


def test_members_rated_counts_only_members():
    member, manager = uuid4(), uuid4()

    summary = summarise_readiness(
        [rating(member), rating(manager)],
        [*members(member, uuid4()), *members(manager, roles=[ParticipantRole.MANAGER])],
    )

    assert (summary.members_rated, summary.members_total) == (1, 2)


@pytest.mark.parametrize(("size", "raters"), [(4, 2), (2, 1), (3, 2), (1, 1)])
def test_half_of_the_members_or_more_is_enough(size, raters):
    assert rated(size, raters).enough_members_rated


@pytest.mark.parametrize(("size", "raters"), [(4, 1), (3, 1), (2, 0)])
def test_fewer_than_half_of_the_members_is_not_enough(size, raters):
    assert not rated(size, raters).enough_members_rated


def test_without_members_no_number_of_ratings_is_enough():
    summary = summarise_readiness([rating(), rating()], [])

    assert not summary.enough_members_rated


def test_the_mt_members_ratings_are_reported_apart_from_the_teams():
    member, mt = uuid4(), uuid4()
    people = [*members(member), *members(mt, roles=[ParticipantRole.MT_MEMBER])]

    summary = summarise_readiness([rating(member, desire=4), rating(mt, desire=1)], people)

    assert summary.desire == DimensionSummary(1, 4.0, 4.0)
    assert summary.mt is not None
    assert (summary.mt.rated, summary.mt.desire.mean) == (1, 1.0)


def test_a_later_round_is_summarised_and_compared_with_the_baseline():
    anna, bram = uuid4(), uuid4()
    second = ReadinessRound(project_id=PROJECT, number=2)
    ratings = [
        rating(anna, desire=2, energy=3),
        rating(bram, desire=2, energy=3),
        rating(anna, desire=4, energy=3, round=2),
    ]

    summary = summarise_readiness(ratings, members(anna, bram), round=2, opened=[second])

    assert (summary.round, summary.members_rated, summary.desire.mean) == (2, 1, 4.0)
    assert [r.round for r in summary.rounds] == [1, 2]
    assert summary.rounds[0].team.desire.mean == 2.0
    assert summary.rounds[1].change == {"desire": 2.0, "energy": 0.0, "feasibility": 0.0}
    assert summary.rounds[1].opened_at == second.created_at


def test_a_round_without_ratings_has_no_change_to_show():
    anna = uuid4()
    opened = [ReadinessRound(project_id=PROJECT, number=2)]

    summary = summarise_readiness([rating(anna)], members(anna), round=2, opened=opened)

    assert summary.rounds[1].change == {"desire": None, "energy": None, "feasibility": None}
    assert summary.desire == DimensionSummary(0, None, None)


# --- intake_unmet --------------------------------------------------------------------


def ready(value: bool = True) -> Conclusion:
    return Conclusion(project_id=PROJECT, ready=value)


def test_an_empty_intake_lacks_findings_members_and_a_conclusion():
    unmet = intake_unmet(findings=0, readiness=rated(0, 0), conclusion=None)

    assert codes(unmet) == ["no_findings", "no_members", "no_conclusion"]


def test_too_few_ratings_is_readiness_not_rated():
    unmet = intake_unmet(findings=1, readiness=rated(3, 1), conclusion=ready())

    assert codes(unmet) == ["readiness_not_rated"]
    assert "1 of 3" in unmet[0].message


def test_a_team_that_concluded_it_is_not_ready_is_team_not_ready():
    unmet = intake_unmet(findings=1, readiness=rated(2, 1), conclusion=ready(False))

    assert codes(unmet) == ["team_not_ready"]


def test_a_complete_intake_has_nothing_unmet():
    assert intake_unmet(findings=1, readiness=rated(2, 1), conclusion=ready()) == []


def test_the_team_sees_no_change_from_a_baseline_it_may_not_see():
    """Below three raters the baseline's mean is withheld; its change to a later round
    would give it away (later mean minus change), so that is withheld too."""
    early, later = [uuid4() for _ in range(2)], [uuid4() for _ in range(3)]
    second = ReadinessRound(project_id=PROJECT, number=2)
    ratings = [rating(i, desire=2) for i in early] + [rating(i, desire=4, round=2) for i in later]

    summary = summarise_readiness(
        ratings, members(*early, *later), round=2, opened=[second]
    ).for_the_team()

    assert summary.rounds[0].team.desire.mean is None
    assert summary.rounds[1].team.desire.mean == 4.0  # three raters: shown
    assert summary.rounds[1].change["desire"] is None
