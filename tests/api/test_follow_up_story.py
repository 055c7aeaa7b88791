"""Seed 004 followed through to the evaluation (issue 17): nobody in the team holds a
competence the services need, so an external coach is named; a member leaves and drops
out of the analyses; the joint meeting's commitments are followed as actions up to the
evaluation, where one general answer per attendee closes the project."""

from tests import builders
from tests.builders import leave


def test_seed_004_from_an_external_coach_to_a_closed_project(client):
    team = builders.coached_team(client, member_level=1, senior_level=2)
    base = team.base
    anna, bram = team.members
    [dependency] = client.ok("GET", f"{base}/dependencies")
    assert (dependency["holders"], dependency["single_point_of_failure"]) == ([], True)
    assert client.ok("GET", f"{base}/priorities")[0]["candidate_coaches"] == []

    client.ok(
        "POST",
        f"{base}/agreements",
        {
            "participant_id": anna["id"],
            "competence_id": team.skill["id"],
            "target_level": 3,
            "external_coach": {"name": "Ineke de Vries", "organisation": "Coachbureau Noord"},
            "due_date": "2027-06-30",
        },
    )
    joint = builders.meeting(
        client, team.project, [anna, bram, team.senior], date="2026-12-01", place="Room 2.14"
    )
    sharing = builders.commitment(client, team.project, joint, text="Share the planning weekly.")
    builders.move(client, team.project, "evaluation")

    leave(client, bram)
    [mine] = client.ok("GET", f"{base}/actions", query_string={"owner_id": anna["id"]})
    assert mine["id"] == sharing["id"]
    client.ok(
        "PATCH",
        f"{base}/actions/{sharing['id']}",
        {"status": "done", "status_by_id": anna["id"]},
        headers={"If-Match": f'"v{sharing["version"]}"'},
    )
    evaluation = builders.meeting(
        client, team.project, [anna, bram, team.senior], kind="evaluation", date="2027-03-01"
    )
    builders.action_report(client, team.project, evaluation, anna, sharing)
    builders.action_report(client, team.project, evaluation, team.senior, None)

    round_ = client.ok("GET", f"{base}/meetings/{evaluation['id']}/round")
    assert round_["complete"] is True
    assert round_["entries"][0]["commitment"]["status"] == "done"
    assert builders.move(client, team.project, "closed")["to_phase"] == "closed"
