"""Issue 17: a meeting keeps its start time, duration, place, agenda, notes and decisions;
MT feedback names the MT presentation that produced it."""

from tests import builders
from tests.client import assert_problem

DETAILS = {
    "start_time": "14:00",
    "duration_minutes": 90,
    "place": "Room 2.14",
    "agenda": ["The MT's complaints", "How we share knowledge"],
    "notes": "Bram asked for a shared planning.",
    "decisions": ["We share the planning weekly."],
}


def test_a_meeting_keeps_when_where_what_and_what_it_decided(client):
    project = builders.project(client)

    made = builders.meeting(client, project, **DETAILS)

    again = client.ok("GET", f"/api/v1/projects/{project['id']}/meetings/{made['id']}")
    assert {k: again[k] for k in DETAILS} == DETAILS


def test_a_meeting_without_details_has_them_empty(client):
    made = builders.meeting(client, builders.project(client))

    assert [made[k] for k in DETAILS] == [None, None, "", [], "", []]


def test_decisions_and_notes_are_added_later(client):
    project = builders.project(client)
    made = builders.meeting(client, project)

    changed = client.ok(
        "PATCH",
        f"/api/v1/projects/{project['id']}/meetings/{made['id']}",
        {"decisions": ["Budget talks happen in the team meeting."], "notes": "Calm."},
        headers={"If-Match": f'"v{made["version"]}"'},
    )

    assert (changed["decisions"], changed["notes"]) == (
        ["Budget talks happen in the team meeting."],
        "Calm.",
    )


def test_a_meeting_lasts_a_positive_number_of_minutes(client):
    project = builders.project(client)

    refused = client.post(
        f"/api/v1/projects/{project['id']}/meetings",
        {"kind": "joint", "date": "2026-12-01", "duration_minutes": 0},
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["duration_minutes"]


def test_mt_feedback_names_the_presentation_that_produced_it(client):
    project, members = builders.project_in(client, "service_definition")
    base = f"/api/v1/projects/{project['id']}"
    onboarding = builders.service(client, project, members)
    presentation = builders.meeting(client, project, kind="mt_presentation", date="2026-11-02")
    other = builders.meeting(client, project, kind="joint", date="2026-11-03")

    given = builders.feedback(client, project, onboarding, meeting_id=presentation["id"])
    refused = client.post(
        f"{base}/services/{onboarding['id']}/feedback",
        {"text": "More.", "author_name": "CFO", "meeting_id": other["id"]},
    )

    assert given["meeting_id"] == presentation["id"]
    [violation] = assert_problem(refused, 422)["violations"]
    assert (violation["field"], violation["code"]) == ("meeting_id", "not_mt_presentation")
    produced = client.ok("GET", f"{base}/feedback", query_string={"meeting_id": presentation["id"]})
    assert [f["id"] for f in produced] == [given["id"]]
