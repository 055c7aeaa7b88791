"""Development agreements: a target above today's level, a senior coach at level 3 or more
who is not the participant, a path proposed → agreed → in_progress → achieved | abandoned,
and achieving it records the target level in the matrix."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from tests import builders
from tests.client import assert_problem

TODAY = date.today()


@pytest.fixture
def team(client):
    """A project in development: members at level 1 in ``skill``, the senior at 4."""
    return builders.coached_team(client, member_level=1)


def propose(client, team, **fields):
    body = {
        "participant_id": team.members[0]["id"],
        "competence_id": team.skill["id"],
        "target_level": 3,
        "coach_id": team.senior["id"],
        "due_date": "2027-06-30",
        **fields,
    }
    return client.post(f"{team.base}/agreements", body)


def violation(response) -> tuple[str, str]:
    [only] = assert_problem(response, 422)["violations"]
    return only["field"], only["code"]


def cell_of(client, team, participant, competence):
    matrix = client.ok("GET", f"{team.base}/matrix")
    [row] = [p for p in matrix["participants"] if p["id"] == participant["id"]]
    return row["levels"].get(competence["id"])


def history(client, team):
    return client.ok("GET", f"{team.base}/matrix/history", query_string={"page_size": 100})


# --- making one ------------------------------------------------------------------------


def test_the_start_level_is_read_from_the_matrix(client, team):
    made = builders.agreement(client, team)

    assert (made["start_level"], made["status"]) == (1, "proposed")


def test_the_start_level_of_an_unrated_participant_is_zero(client, team):
    newcomer = builders.participant(client, team.project)

    made = builders.agreement(client, team, participant_id=newcomer["id"], target_level=1)

    assert made["start_level"] == 0


def test_the_target_must_lie_above_the_start_level(client, team):
    assert violation(propose(client, team, target_level=1)) == ("target_level", "not_above_start")


def test_the_target_is_at_most_four(client, team):
    refused = assert_problem(propose(client, team, target_level=5), 422)

    assert list(refused["errors"]) == ["target_level"]


def test_the_coach_must_be_a_senior(client, team):
    assert violation(propose(client, team, coach_id=team.members[1]["id"])) == (
        "coach_id",
        "not_senior",
    )


def test_the_coach_must_be_at_level_three_in_the_competence(client):
    team = builders.coached_team(client, member_level=1, senior_level=2)

    assert violation(propose(client, team)) == ("coach_id", "coach_level_too_low")


def test_a_senior_without_a_level_in_the_competence_cannot_coach_it(client, team):
    unrated = builders.participant(client, team.project, roles=("senior",))

    assert violation(propose(client, team, coach_id=unrated["id"])) == (
        "coach_id",
        "coach_level_too_low",
    )


def test_nobody_coaches_themselves(client):
    team = builders.coached_team(client, member_level=1, senior_level=3)

    refused = propose(
        client, team, participant_id=team.senior["id"], coach_id=team.senior["id"], target_level=4
    )

    assert violation(refused) == ("coach_id", "self_coaching")


def test_the_coach_must_take_part_in_the_project(client, team):
    stranger = builders.participant(client, builders.project(client), roles=("senior",))

    assert violation(propose(client, team, coach_id=stranger["id"])) == (
        "coach_id",
        "unknown_participant",
    )


def test_the_participant_must_take_part_in_the_project(client, team):
    stranger = builders.participant(client, builders.project(client))

    assert violation(propose(client, team, participant_id=stranger["id"])) == (
        "participant_id",
        "unknown_participant",
    )


def test_agreements_cannot_be_made_before_development(client):
    team = builders.coached_team(client, "competence_mapping", member_level=1)

    refused = assert_problem(propose(client, team), 409)

    assert refused["code"] == "phase_not_reached"


def test_a_refused_agreement_is_not_stored(client, team):
    propose(client, team, coach_id=team.members[1]["id"])

    assert client.ok("GET", f"{team.base}/agreements") == []


# --- moving it along ---------------------------------------------------------------------

PATH = ["proposed", "agreed", "in_progress"]
ILLEGAL = [
    ("proposed", "in_progress"),
    ("proposed", "achieved"),
    ("proposed", "abandoned"),
    ("agreed", "proposed"),
    ("agreed", "achieved"),
    ("agreed", "abandoned"),
    ("in_progress", "proposed"),
    ("in_progress", "agreed"),
    ("achieved", "proposed"),
    ("achieved", "agreed"),
    ("achieved", "in_progress"),
    ("achieved", "abandoned"),
    ("abandoned", "proposed"),
    ("abandoned", "agreed"),
    ("abandoned", "in_progress"),
    ("abandoned", "achieved"),
]


def agreement_in(client, team, status):
    """A new agreement moved along its path to ``status``."""
    made = builders.agreement(client, team)
    if status in ("achieved", "abandoned"):
        steps = [*PATH[1:], status]
    else:
        steps = PATH[1 : PATH.index(status) + 1]
    return builders.move_agreement(client, team, made, *steps)


@pytest.mark.parametrize(("old", "new"), ILLEGAL)
def test_an_illegal_move_is_refused_and_writes_nothing(client, team, old, new):
    agreement = agreement_in(client, team, old)
    matrix_before = client.ok("GET", f"{team.base}/matrix")

    refused = client.patch(f"{team.base}/agreements/{agreement['id']}", {"status": new})

    assert violation(refused) == ("status", "invalid_move")
    assert client.ok("GET", f"{team.base}/agreements/{agreement['id']}") == agreement
    assert client.ok("GET", f"{team.base}/matrix") == matrix_before


def test_an_agreement_moves_along_its_whole_path(client, team):
    made = builders.agreement(client, team)

    moved = builders.move_agreement(client, team, made, "agreed", "in_progress", "achieved")

    assert (moved["status"], moved["version"]) == ("achieved", made["version"] + 3)


def test_achieving_records_the_target_level_in_the_matrix(client, team):
    agreement_in(client, team, "achieved")

    assert cell_of(client, team, team.members[0], team.skill) == {
        "level": 3,
        "source": "agreement",
    }


def test_achieving_keeps_the_change_in_the_history(client, team):
    agreement_in(client, team, "achieved")

    latest = history(client, team)[-1]

    assert (latest["participant_id"], latest["previous_level"], latest["level"]) == (
        team.members[0]["id"],
        1,
        3,
    )
    assert latest["source"] == "agreement"


def test_achieving_commits_the_agreement_and_the_level_together(client, team, engine):
    agreement = agreement_in(client, team, "in_progress")
    commits = []

    def committed(connection):
        commits.append(connection)

    event.listen(engine, "commit", committed)
    try:
        client.ok("PATCH", f"{team.base}/agreements/{agreement['id']}", {"status": "achieved"})
    finally:
        event.remove(engine, "commit", committed)

    assert len(commits) == 1


def test_achieving_an_agreement_again_writes_no_second_level_change(client, team):
    agreement = agreement_in(client, team, "achieved")
    before = history(client, team)

    client.ok("PATCH", f"{team.base}/agreements/{agreement['id']}", {"status": "achieved"})

    assert history(client, team) == before


def test_achieving_never_lowers_a_level_reached_meanwhile(client, team):
    agreement = agreement_in(client, team, "in_progress")  # from 1 to 3
    builders.set_levels(
        client, team.project, builders.cells([team.members[0]], [team.skill], 4, "coach")
    )

    client.ok("PATCH", f"{team.base}/agreements/{agreement['id']}", {"status": "achieved"})

    assert cell_of(client, team, team.members[0], team.skill) == {"level": 4, "source": "coach"}


def test_abandoning_leaves_the_matrix_alone(client, team):
    before = (cell_of(client, team, team.members[0], team.skill), history(client, team))

    agreement_in(client, team, "abandoned")

    assert (cell_of(client, team, team.members[0], team.skill), history(client, team)) == before


@pytest.mark.parametrize("final", ["achieved", "abandoned"])
def test_a_finished_agreement_cannot_change_its_target(client, team, final):
    agreement = agreement_in(client, team, final)

    refused = client.patch(f"{team.base}/agreements/{agreement['id']}", {"target_level": 4})

    assert violation(refused) == ("status", "final")
    assert client.ok("GET", f"{team.base}/agreements/{agreement['id']}") == agreement


def test_an_open_agreement_can_raise_its_target(client, team):
    agreement = agreement_in(client, team, "in_progress")

    changed = client.ok("PATCH", f"{team.base}/agreements/{agreement['id']}", {"target_level": 4})

    assert changed["target_level"] == 4


def test_a_new_target_must_stay_above_the_start_level(client, team):
    agreement = builders.agreement(client, team)

    refused = client.patch(f"{team.base}/agreements/{agreement['id']}", {"target_level": 1})

    assert violation(refused) == ("target_level", "not_above_start")


def test_a_new_coach_must_be_a_senior(client, team):
    agreement = builders.agreement(client, team)

    refused = client.patch(
        f"{team.base}/agreements/{agreement['id']}", {"coach_id": team.members[1]["id"]}
    )

    assert violation(refused) == ("coach_id", "not_senior")


# --- finding them back ---------------------------------------------------------------------


def listed(client, team, **filters):
    found = client.ok("GET", f"{team.base}/agreements", query_string={"page_size": 100, **filters})
    return sorted(a["id"] for a in found)


def ids(*agreements):
    return sorted(a["id"] for a in agreements)


def test_agreements_can_be_listed_by_status(client, team):
    proposed = builders.agreement(client, team)
    agreed = builders.move_agreement(client, team, builders.agreement(client, team), "agreed")

    assert listed(client, team, status="agreed") == ids(agreed)
    assert listed(client, team, status="proposed") == ids(proposed)


def test_agreements_can_be_listed_by_participant(client, team):
    anna, bram = team.members
    builders.agreement(client, team, participant_id=anna["id"])
    brams = builders.agreement(client, team, participant_id=bram["id"])

    assert listed(client, team, participant_id=bram["id"]) == ids(brams)


def test_agreements_can_be_listed_by_coach(client, team):
    second = builders.participant(client, team.project, roles=("senior",))
    builders.set_levels(client, team.project, builders.cells([second], [team.skill], level=3))
    builders.agreement(client, team)
    coached_by_second = builders.agreement(client, team, coach_id=second["id"])

    assert listed(client, team, coach_id=second["id"]) == ids(coached_by_second)


def test_overdue_lists_the_open_agreements_past_their_due_date(client, team):
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    late = builders.agreement(client, team, due_date=yesterday)
    builders.agreement(client, team, due_date=TODAY.isoformat())
    builders.agreement(client, team, due_date=(TODAY + timedelta(days=30)).isoformat())
    late_but_done = builders.agreement(client, team, due_date=yesterday)
    builders.move_agreement(client, team, late_but_done, "agreed", "in_progress", "abandoned")

    assert listed(client, team, overdue="true") == ids(late)


def check_in(client, team, agreement, days_ago):
    client.ok(
        "POST",
        f"{team.base}/agreements/{agreement['id']}/check-ins",
        {
            "participant_id": team.members[1]["id"],
            "status": "on_track",
            "date": (TODAY - timedelta(days=days_ago)).isoformat(),
        },
    )


def test_quiet_agreements_are_those_without_a_recent_check_in(client, team):
    quiet = builders.agreement(client, team)
    check_in(client, team, quiet, days_ago=10)
    recent = builders.agreement(client, team)
    check_in(client, team, recent, days_ago=2)
    never = builders.agreement(client, team)

    assert listed(client, team, no_check_in_for_days=7) == ids(quiet, never)


def test_a_check_in_exactly_n_days_ago_is_recent_enough(client, team):
    agreement = builders.agreement(client, team)
    check_in(client, team, agreement, days_ago=7)

    assert listed(client, team, no_check_in_for_days=7) == []


def test_a_finished_agreement_is_never_quiet(client, team):
    agreement_in(client, team, "achieved")

    assert listed(client, team, no_check_in_for_days=7) == []
