"""Issue 17, point 2: a person the HRIS deactivated (a leaver) stays in the project's
history but drops out of its analyses and gates: no holder in /dependencies, no coach
candidate in /priorities, no member the gates wait for; the matrix shows them as left,
and their open agreements are flagged."""

import pytest

from tests import builders
from tests.builders import leave
from tests.client import assert_problem


def dependency_of(client, team):
    [row] = [
        d
        for d in client.ok("GET", f"{team.base}/dependencies")
        if d["competence"]["id"] == team.skill["id"]
    ]
    return row


def refusal(client, project, to):
    response = client.post(f"/api/v1/projects/{project['id']}/transitions", {"to": to})
    return [u["code"] for u in assert_problem(response, 409)["unmet"]]


def test_a_leaver_is_no_holder_and_the_competence_becomes_fragile(client):
    team = builders.coached_team(client, member_level=3, senior_level=3)
    assert len(dependency_of(client, team)["holders"]) == 3

    leave(client, team.members[1])
    leave(client, team.senior)

    row = dependency_of(client, team)
    assert (row["holders"], row["single_point_of_failure"]) == ([team.members[0]["id"]], True)


def test_the_matrix_shows_a_leaver_as_left_with_their_levels(client):
    team = builders.coached_team(client)
    leave(client, team.senior)

    rows = {p["id"]: p for p in client.ok("GET", f"{team.base}/matrix")["participants"]}

    assert rows[team.senior["id"]]["left"] is True
    assert rows[team.senior["id"]]["levels"][team.skill["id"]]["level"] == 4
    assert rows[team.members[0]["id"]]["left"] is False
    participant = client.ok("GET", f"{team.base}/participants/{team.senior['id']}")
    assert participant["left"] is True


def test_a_senior_who_left_is_no_candidate_coach(client):
    team = builders.coached_team(client)
    [before] = client.ok("GET", f"{team.base}/priorities")
    assert before["candidate_coaches"] == [team.senior["id"]]

    leave(client, team.senior)

    [after] = client.ok("GET", f"{team.base}/priorities")
    assert after["candidate_coaches"] == []


def test_the_wish_of_a_leaver_is_no_priority(client):
    team = builders.coached_team(client)

    leave(client, team.members[0])

    assert client.ok("GET", f"{team.base}/priorities") == []


def test_a_senior_who_left_cannot_be_named_coach(client):
    team = builders.coached_team(client)
    leave(client, team.senior)

    response = client.post(
        f"{team.base}/agreements",
        {
            "participant_id": team.members[0]["id"],
            "competence_id": team.skill["id"],
            "target_level": 3,
            "coach_id": team.senior["id"],
            "due_date": "2027-06-30",
        },
    )

    [only] = assert_problem(response, 422)["violations"]
    assert (only["field"], only["code"]) == ("coach_id", "left")


def test_an_open_agreement_whose_coach_left_is_flagged_and_no_longer_covers_the_wish(client):
    team = builders.coached_team(client)
    made = builders.agreement(client, team)
    assert (made["coach_left"], made["orphaned"]) == (False, False)

    leave(client, team.senior)

    [flagged] = client.ok("GET", f"{team.base}/agreements")
    assert (flagged["id"], flagged["coach_left"], flagged["participant_left"]) == (
        made["id"],
        True,
        False,
    )
    assert flagged["orphaned"] is True
    assert refusal(client, team.project, "evaluation") == ["spof_wish_uncovered"]


def test_an_agreement_of_a_leaver_is_flagged_and_their_wish_blocks_nothing(client):
    team = builders.coached_team(client)
    made = builders.agreement(client, team)

    leave(client, team.members[0])

    again = client.ok("GET", f"{team.base}/agreements/{made['id']}")
    assert (again["participant_left"], again["orphaned"]) == (True, True)
    builders.move_agreement(client, team, again, "agreed", "in_progress", "abandoned")
    assert builders.move(client, team.project, "evaluation")["to_phase"] == "evaluation"


def test_readiness_counts_only_the_members_who_stay(client):
    project = builders.project(client)
    base = f"/api/v1/projects/{project['id']}"
    members = [builders.participant(client, project) for _ in range(3)]
    client.ok("POST", f"{base}/intake/findings", {"text": "Nobody shares knowledge."})
    client.ok("PUT", f"{base}/intake/conclusion", {"ready": True, "text": "We go."})
    rating = {"desire": 4, "energy": 3, "feasibility": 3}
    client.ok("PUT", f"{base}/intake/readiness/{members[0]['id']}", rating, status=201)
    assert [u["code"] for u in client.ok("GET", f"{base}/checklist")["unmet"]] == [
        "readiness_not_rated"
    ]

    leave(client, members[1])
    leave(client, members[2])

    assert client.ok("GET", f"{base}/checklist")["unmet"] == []


def test_a_member_who_left_needs_no_levels_before_development(client):
    team = builders.coached_team(client, phase="competence_mapping", rated=False)
    cells = builders.cells([team.members[0], team.senior], [team.skill], level=3)
    builders.set_levels(client, team.project, cells)
    assert refusal(client, team.project, "development") == ["levels_missing"]

    leave(client, team.members[1])

    assert builders.move(client, team.project, "development")["to_phase"] == "development"


def test_a_leaver_no_longer_counts_as_a_contributor_of_a_service(client):
    project, (anna, bram) = builders.project_in(client, "service_definition", members=2)
    builders.service(client, project, [anna, bram])
    assert client.ok("GET", f"/api/v1/projects/{project['id']}/checklist")["unmet"] == []

    leave(client, bram)

    assert refusal(client, project, "competence_mapping") == ["too_few_contributors"]


@pytest.fixture
def evaluating(client):
    project, (anna, bram) = builders.project_in(client, "evaluation")
    joint = builders.meeting(client, project, [anna, bram], date="2014-03-10")
    trust = builders.commitment(client, project, joint, text="Ask before judging.")
    evaluation = builders.meeting(
        client, project, [anna, bram], kind="evaluation", date="2014-05-13"
    )
    return project, anna, bram, trust, evaluation


def test_nobody_waits_at_the_evaluation_for_an_attendee_who_left(client, evaluating):
    project, anna, bram, trust, evaluation = evaluating
    builders.action_report(client, project, evaluation, anna, trust)
    assert refusal(client, project, "closed") == ["action_reports_missing"]

    leave(client, bram)

    round_ = client.ok("GET", f"/api/v1/projects/{project['id']}/meetings/{evaluation['id']}/round")
    assert (round_["silent"], round_["complete"]) == ([], True)
    assert builders.move(client, project, "closed")["to_phase"] == "closed"
