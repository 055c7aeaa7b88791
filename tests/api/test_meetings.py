"""Meetings of a project (seeds 000 and 003): kinds, attendees, ground rules, and the
agreements of the development phase that name the meeting they were made in."""

import pytest

from tests import builders
from tests.client import assert_problem


@pytest.fixture
def project(client):
    return builders.project(client)


def meetings_of(project):
    return f"/api/v1/projects/{project['id']}/meetings"


def test_an_unknown_kind_of_meeting_is_refused(client, project):
    response = client.post(meetings_of(project), {"kind": "workshop", "date": "2014-03-10"})

    assert "kind" in assert_problem(response, 422)["errors"]


def test_an_attendee_must_be_a_participant_of_the_project(client, project):
    elsewhere = builders.participant(client, builders.project(client))

    response = client.post(
        meetings_of(project),
        {"kind": "joint", "date": "2014-03-10", "attendees": [{"participant_id": elsewhere["id"]}]},
    )

    assert "attendees.0.participant_id" in assert_problem(response, 422)["errors"]


def test_the_same_attendee_twice_is_refused(client, project):
    anna = builders.participant(client, project)
    twice = [{"participant_id": anna["id"]}, {"participant_id": anna["id"], "layer": "MT"}]

    response = client.post(
        meetings_of(project), {"kind": "joint", "date": "2014-03-10", "attendees": twice}
    )

    assert "attendees.1.participant_id" in assert_problem(response, 422)["errors"]


def test_an_attendees_layer_is_kept(client, project):
    upper, lower = builders.participant(client, project), builders.participant(client, project)
    made = client.ok(
        "POST",
        meetings_of(project),
        {
            "kind": "joint",
            "date": "2014-03-10",
            "attendees": [
                {"participant_id": upper["id"], "layer": "higher management"},
                {"participant_id": lower["id"]},
            ],
        },
    )

    stored = client.ok("GET", f"{meetings_of(project)}/{made['id']}")

    assert stored["attendees"] == [
        {"participant_id": upper["id"], "layer": "higher management"},
        {"participant_id": lower["id"], "layer": None},
    ]


def test_patch_replaces_the_attendees_and_the_ground_rules(client, project):
    anna, bram, carla = (builders.participant(client, project) for _ in range(3))
    made = builders.meeting(
        client, project, [anna, bram], ground_rules=["What is said here stays here"]
    )

    client.ok(
        "PATCH",
        f"{meetings_of(project)}/{made['id']}",
        {
            "attendees": [{"participant_id": carla["id"], "layer": "team"}],
            "ground_rules": ["We speak for ourselves"],
        },
    )

    stored = client.ok("GET", f"{meetings_of(project)}/{made['id']}")
    assert stored["attendees"] == [{"participant_id": carla["id"], "layer": "team"}]
    assert stored["ground_rules"] == ["We speak for ourselves"]


def test_patch_checks_the_new_attendees_too(client, project):
    anna = builders.participant(client, project)
    made = builders.meeting(client, project, [anna])
    stranger = builders.participant(client, builders.project(client))

    response = client.patch(
        f"{meetings_of(project)}/{made['id']}",
        {"attendees": [{"participant_id": anna["id"]}, {"participant_id": stranger["id"]}]},
    )

    assert "attendees.1.participant_id" in assert_problem(response, 422)["errors"]
    assert client.ok("GET", f"{meetings_of(project)}/{made['id']}")["attendees"] == [
        {"participant_id": anna["id"], "layer": None}
    ]


def test_deleting_a_meeting_deletes_its_commitments_and_the_reports_given_on_them(client, project):
    anna = builders.participant(client, project)
    joint = builders.meeting(client, project, [anna], date="2014-03-10")
    made = builders.commitment(client, project, joint)
    evaluation = builders.meeting(client, project, [anna], kind="evaluation", date="2014-05-13")
    builders.action_report(client, project, evaluation, anna, made)

    client.ok("DELETE", f"{meetings_of(project)}/{joint['id']}")

    assert_problem(client.get(f"{meetings_of(project)}/{joint['id']}/commitments"), 404)
    assert client.ok("GET", f"{meetings_of(project)}/{evaluation['id']}/action-reports") == []
    assert client.ok("GET", f"{meetings_of(project)}/{evaluation['id']}/round")["entries"] == []


def test_deleting_a_meeting_deletes_the_reports_given_at_it(client, project):
    anna = builders.participant(client, project)
    joint = builders.meeting(client, project, [anna], date="2014-03-10")
    made = builders.commitment(client, project, joint)
    evaluation = builders.meeting(client, project, [anna], kind="evaluation", date="2014-05-13")
    builders.action_report(client, project, evaluation, anna, made, text="I asked first.")

    client.ok("DELETE", f"{meetings_of(project)}/{evaluation['id']}")

    doc = client.ok("GET", f"/api/v1/projects/{project['id']}/export")
    [kept] = doc["project"]["meetings"]
    assert (kept["kind"], kept["action_reports"], len(kept["commitments"])) == ("joint", [], 1)


def test_meetings_are_listed_by_date(client, project):
    for day in ("2014-05-13", "2014-03-10", "2014-04-01"):
        builders.meeting(client, project, date=day)

    listed = client.ok("GET", meetings_of(project))

    assert [m["date"] for m in listed] == ["2014-03-10", "2014-04-01", "2014-05-13"]


def test_meetings_can_be_filtered_by_kind(client, project):
    builders.meeting(client, project, kind="joint", date="2014-03-10")
    evaluation = builders.meeting(client, project, kind="evaluation", date="2014-05-13")

    listed = client.ok("GET", meetings_of(project), query_string={"kind": "evaluation"})

    assert [m["id"] for m in listed] == [evaluation["id"]]


def test_filtering_by_an_unknown_kind_is_refused(client, project):
    response = client.get(meetings_of(project), query_string={"kind": "party"})

    assert_problem(response, 422)


# --- agreements that name the meeting they were made in -------------------------------


@pytest.fixture
def coached(client):
    """A project in development where Carla (senior, level 4) can coach Anna in FB."""
    project, (anna, _bram) = builders.project_in(client, "development")
    carla = builders.participant(client, project, roles=("member", "senior"))
    fb = builders.competence(client)
    client.ok(
        "PUT",
        f"/api/v1/projects/{project['id']}/matrix/levels",
        {
            "levels": [
                {
                    "participant_id": carla["id"],
                    "competence_id": fb["id"],
                    "level": 4,
                    "source": "coach",
                }
            ]
        },
    )
    agreement = {
        "participant_id": anna["id"],
        "competence_id": fb["id"],
        "target_level": 3,
        "coach_id": carla["id"],
        "due_date": "2027-06-30",
    }
    return project, anna, agreement


def test_an_agreement_cannot_name_a_meeting_of_another_project(client, coached):
    project, _anna, agreement = coached
    elsewhere = builders.meeting(client, builders.project(client))

    response = client.post(
        f"/api/v1/projects/{project['id']}/agreements", {**agreement, "meeting_id": elsewhere["id"]}
    )

    assert "meeting_id" in assert_problem(response, 422)["errors"]


def test_an_agreement_cannot_be_moved_to_a_meeting_of_another_project(client, coached):
    project, _anna, agreement = coached
    made = client.ok("POST", f"/api/v1/projects/{project['id']}/agreements", agreement)
    elsewhere = builders.meeting(client, builders.project(client))

    response = client.patch(
        f"/api/v1/projects/{project['id']}/agreements/{made['id']}",
        {"meeting_id": elsewhere["id"]},
    )

    assert "meeting_id" in assert_problem(response, 422)["errors"]


def test_deleting_the_meeting_keeps_the_agreement_without_its_meeting(client, coached):
    project, anna, agreement = coached
    joint = builders.meeting(client, project, [anna])
    made = client.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/agreements",
        {**agreement, "meeting_id": joint["id"]},
    )

    client.ok("DELETE", f"{meetings_of(project)}/{joint['id']}")

    kept = client.ok("GET", f"/api/v1/projects/{project['id']}/agreements/{made['id']}")
    assert kept["meeting_id"] is None
