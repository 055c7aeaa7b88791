"""The gate to closed: an evaluation meeting holds an action report from every attendee
(seed 000); a closed project refuses changes until it is moved back with a reason."""

import pytest

from tests import builders
from tests.client import assert_problem


@pytest.fixture
def evaluating(client):
    """A project in evaluation with two members who made one commitment together."""
    project, (anna, bram) = builders.project_in(client, "evaluation")
    joint = builders.meeting(client, project, [anna, bram], date="2014-03-10")
    trust = builders.commitment(client, project, joint, text="Ask before judging.")
    return project, anna, bram, trust


def close(client, project):
    return client.post(f"/api/v1/projects/{project['id']}/transitions", {"to": "closed"})


def name_of(client, participant):
    return client.ok("GET", f"/api/v1/people/{participant['person_id']}")["name"]


def test_without_an_evaluation_meeting_the_project_cannot_close(client, evaluating):
    project, *_ = evaluating

    body = assert_problem(close(client, project), 409)

    assert [u["code"] for u in body["unmet"]] == ["no_evaluation_meeting"]


def test_a_complete_round_at_a_meeting_of_another_kind_does_not_close_it(client, evaluating):
    project, anna, bram, trust = evaluating
    joint = builders.meeting(client, project, [anna, bram], kind="joint", date="2014-05-13")
    for someone in (anna, bram):
        builders.action_report(client, project, joint, someone, trust)

    body = assert_problem(close(client, project), 409)

    assert [u["code"] for u in body["unmet"]] == ["no_evaluation_meeting"]


def test_an_evaluation_where_someone_has_not_reported_names_them(client, evaluating):
    project, anna, bram, trust = evaluating
    evaluation = builders.meeting(
        client, project, [anna, bram], kind="evaluation", date="2014-05-13"
    )
    builders.action_report(client, project, evaluation, anna, trust)

    [unmet] = assert_problem(close(client, project), 409)["unmet"]

    assert unmet["code"] == "action_reports_missing"
    assert name_of(client, bram) in unmet["message"]
    assert name_of(client, anna) not in unmet["message"]
    assert unmet["subject"] == {"meeting_id": evaluation["id"], "participant_ids": [bram["id"]]}


def test_the_checklist_shows_the_same_missing_reports(client, evaluating):
    project, anna, bram, _trust = evaluating
    builders.meeting(client, project, [anna, bram], kind="evaluation", date="2014-05-13")

    checklist = client.ok("GET", f"/api/v1/projects/{project['id']}/checklist")

    [unmet] = checklist["unmet"]
    assert unmet["code"] == "action_reports_missing"
    assert name_of(client, anna) in unmet["message"]
    assert name_of(client, bram) in unmet["message"]


def test_an_evaluation_without_attendees_does_not_close_it(client, evaluating):
    project, *_ = evaluating
    builders.meeting(client, project, [], kind="evaluation", date="2014-05-13")

    [unmet] = assert_problem(close(client, project), 409)["unmet"]

    assert unmet["code"] == "action_reports_missing"


def test_a_complete_round_of_the_table_closes_the_project(client, evaluating):
    project, anna, bram, trust = evaluating
    evaluation = builders.meeting(
        client, project, [anna, bram], kind="evaluation", date="2014-05-13"
    )
    for someone in (anna, bram):
        builders.action_report(client, project, evaluation, someone, trust)

    assert close(client, project).status_code == 201
    assert client.ok("GET", f"/api/v1/projects/{project['id']}")["phase"] == "closed"


def test_one_complete_evaluation_is_enough_even_if_a_later_one_is_not(client, evaluating):
    project, anna, bram, trust = evaluating
    first = builders.meeting(client, project, [anna, bram], kind="evaluation", date="2014-05-13")
    for someone in (anna, bram):
        builders.action_report(client, project, first, someone, trust)
    builders.meeting(client, project, [anna, bram], kind="evaluation", date="2014-06-30")

    assert close(client, project).status_code == 201


@pytest.fixture
def closed(client, evaluating):
    project, anna, bram, trust = evaluating
    evaluation = builders.meeting(
        client, project, [anna, bram], kind="evaluation", date="2014-05-13"
    )
    for someone in (anna, bram):
        builders.action_report(client, project, evaluation, someone, trust)
    assert close(client, project).status_code == 201
    return project, anna, evaluation


def test_a_closed_project_refuses_a_new_meeting(client, closed):
    project, anna, _evaluation = closed

    response = client.post(
        f"/api/v1/projects/{project['id']}/meetings",
        {"kind": "other", "date": "2014-07-01", "attendees": [{"participant_id": anna["id"]}]},
    )

    assert assert_problem(response, 409)["code"] == "project_closed"


def test_a_closed_project_refuses_changes_to_a_meeting(client, closed):
    project, _anna, evaluation = closed

    response = client.patch(
        f"/api/v1/projects/{project['id']}/meetings/{evaluation['id']}", {"topic": "Rewritten"}
    )

    assert assert_problem(response, 409)["code"] == "project_closed"
    assert (
        client.ok("GET", f"/api/v1/projects/{project['id']}/meetings/{evaluation['id']}")["topic"]
        == evaluation["topic"]
    )


def test_a_closed_project_refuses_deleting_a_meeting(client, closed):
    project, _anna, evaluation = closed

    response = client.delete(f"/api/v1/projects/{project['id']}/meetings/{evaluation['id']}")

    assert assert_problem(response, 409)["code"] == "project_closed"


def test_a_closed_project_refuses_to_take_up_a_theme(client, closed):
    project, _anna, _evaluation = closed
    theme = builders.theme(client, steps=2)

    response = client.post(f"/api/v1/projects/{project['id']}/themes", {"theme_id": theme["id"]})

    assert assert_problem(response, 409)["code"] == "project_closed"


def test_moving_back_from_closed_needs_a_reason(client, closed):
    project, *_ = closed

    response = client.post(
        f"/api/v1/projects/{project['id']}/transitions", {"to": "evaluation", "reason": " "}
    )

    assert "reason" in assert_problem(response, 422)["errors"]


def test_moved_back_to_evaluation_with_a_reason_the_project_can_be_edited_again(client, closed):
    project, anna, _evaluation = closed

    back = client.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/transitions",
        {"to": "evaluation", "reason": "One more round with the MT."},
        status=201,
    )

    assert (back["from_phase"], back["to_phase"]) == ("closed", "evaluation")
    assert builders.meeting(client, project, [anna], kind="other", date="2014-07-01")
    history = client.ok("GET", f"/api/v1/projects/{project['id']}/transitions")
    assert history[-1]["reason"] == "One more round with the MT."


def test_general_answers_of_every_attendee_close_the_project(client, evaluating):
    project, anna, bram, trust = evaluating
    evaluation = builders.meeting(
        client, project, [anna, bram], kind="evaluation", date="2014-05-13"
    )
    builders.action_report(client, project, evaluation, anna, None, text="I asked first.")
    builders.action_report(client, project, evaluation, bram, trust)

    assert builders.move(client, project, "closed")["to_phase"] == "closed"
