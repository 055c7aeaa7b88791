"""Actions (issue 17): a meeting's commitments are its actions; an action can also come
from a finding or a grievance (the grievance's author never shows); each has owners, a
due date and a status (open, done, dropped) stamped with who and when; lists filter by
owner, status and overdue; later meetings show what became of them."""

from datetime import date, timedelta

import pytest

from tests import builders
from tests.client import assert_problem

PAST = (date.today() - timedelta(days=3)).isoformat()
FUTURE = (date.today() + timedelta(days=30)).isoformat()


@pytest.fixture
def team(client):
    project = builders.project(client)
    anna, bram = builders.participant(client, project), builders.participant(client, project)
    return project, anna, bram, f"/api/v1/projects/{project['id']}"


def etag(made):
    return {"If-Match": f'"v{made["version"]}"'}


def codes(response):
    return [(v["field"], v["code"]) for v in assert_problem(response, 422)["violations"]]


def test_a_commitment_is_listed_among_the_actions_with_its_meeting(client, team):
    project, anna, bram, base = team
    joint = builders.meeting(client, project, [anna, bram])
    made = builders.commitment(client, project, joint, owners=[anna])

    [listed] = client.ok("GET", f"{base}/actions")

    assert (listed["id"], listed["meeting_id"], listed["status"]) == (
        made["id"],
        joint["id"],
        "open",
    )
    assert client.ok("GET", f"{base}/actions/{made['id']}")["owner_ids"] == [anna["id"]]


def test_an_action_from_a_finding_takes_its_text_and_links_it(client, team):
    _project, anna, _bram, base = team
    finding = client.ok("POST", f"{base}/intake/findings", {"text": "Nobody shares knowledge."})

    made = client.ok(
        "POST", f"{base}/actions", {"finding_id": finding["id"], "owner_ids": [anna["id"]]}
    )

    assert (made["text"], made["finding_id"], made["meeting_id"]) == (
        "Nobody shares knowledge.",
        finding["id"],
        None,
    )


def test_an_action_from_an_anonymous_grievance_names_no_author(client, team):
    _project, anna, _bram, base = team
    grievance = client.ok(
        "POST",
        f"{base}/intake/grievances",
        {"text": "Decisions come from nowhere.", "anonymous": True},
    )

    made = client.ok("POST", f"{base}/actions", {"grievance_id": grievance["id"]})

    assert (made["grievance_id"], made["owner_ids"], made["text"]) == (
        grievance["id"],
        [],
        "Decisions come from nowhere.",
    )
    assert anna["id"] not in str(made)
    assert client.ok("GET", f"{base}/intake/grievances/{grievance['id']}")["participant_id"] is None


def test_an_action_needs_a_text_or_something_to_take_it_from(client, team):
    *_, base = team

    assert codes(client.post(f"{base}/actions", {"owner_ids": []})) == [("text", "required")]


def test_an_action_comes_from_one_source_at_most(client, team):
    *_, base = team
    finding = client.ok("POST", f"{base}/intake/findings", {"text": "A."})
    grievance = client.ok("POST", f"{base}/intake/grievances", {"text": "B.", "anonymous": True})

    refused = client.post(
        f"{base}/actions", {"finding_id": finding["id"], "grievance_id": grievance["id"]}
    )

    assert codes(refused) == [("grievance_id", "two_sources")]


def test_the_owners_of_a_meeting_action_attended_it(client, team):
    project, anna, bram, base = team
    joint = builders.meeting(client, project, [anna])

    refused = client.post(
        f"{base}/actions", {"text": "Do it.", "meeting_id": joint["id"], "owner_ids": [bram["id"]]}
    )

    assert codes(refused) == [("owner_ids.0", "not_attendee")]


def test_the_owners_of_an_action_take_part_in_the_project(client, team):
    *_, base = team
    stranger = builders.participant(client, builders.project(client))

    refused = client.post(f"{base}/actions", {"text": "Do it.", "owner_ids": [stranger["id"]]})

    assert codes(refused) == [("owner_ids.0", "unknown_participant")]


def test_marking_an_action_done_says_who_and_when(client, team):
    _project, anna, bram, base = team
    made = client.ok(
        "POST", f"{base}/actions", {"text": "Plan together.", "owner_ids": [anna["id"]]}
    )
    assert (made["status_by_id"], made["status_at"]) == (None, None)

    done = client.ok(
        "PATCH",
        f"{base}/actions/{made['id']}",
        {"status": "done", "status_by_id": bram["id"]},
        headers=etag(made),
    )

    assert (done["status"], done["status_by_id"]) == ("done", bram["id"])
    assert done["status_at"].startswith(date.today().isoformat())
    assert done["version"] == made["version"] + 1


def test_a_stale_etag_loses_the_update(client, team):
    *_, base = team
    made = client.ok("POST", f"{base}/actions", {"text": "Plan together."})
    client.ok("PATCH", f"{base}/actions/{made['id']}", {"text": "Plan."}, headers=etag(made))

    stale = client.patch(f"{base}/actions/{made['id']}", {"status": "dropped"}, headers=etag(made))

    assert_problem(stale, 412)


def test_who_changed_the_status_comes_only_with_a_status(client, team):
    _project, anna, _bram, base = team
    made = client.ok("POST", f"{base}/actions", {"text": "Plan together."})

    refused = client.patch(
        f"{base}/actions/{made['id']}", {"status_by_id": anna["id"]}, headers=etag(made)
    )

    assert codes(refused) == [("status_by_id", "no_status")]


def test_lists_filter_by_owner_status_and_overdue(client, team):
    project, anna, bram, base = team
    joint = builders.meeting(client, project, [anna, bram])
    everyones = builders.commitment(client, project, joint)  # owned by both attendees
    annas_late = client.ok(
        "POST", f"{base}/actions", {"text": "Late.", "owner_ids": [anna["id"]], "due_date": PAST}
    )
    annas_later = client.ok(
        "POST", f"{base}/actions", {"text": "Later.", "owner_ids": [anna["id"]], "due_date": FUTURE}
    )
    brams_late = client.ok(
        "POST",
        f"{base}/actions",
        {"text": "Also late.", "owner_ids": [bram["id"]], "due_date": PAST},
    )
    client.ok(
        "PATCH", f"{base}/actions/{brams_late['id']}", {"status": "done"}, headers=etag(brams_late)
    )

    def ids(**query):
        return {a["id"] for a in client.ok("GET", f"{base}/actions", query_string=query)}

    assert ids(owner_id=anna["id"]) == {everyones["id"], annas_late["id"], annas_later["id"]}
    assert ids(overdue="true") == {annas_late["id"]}
    assert ids(status="done") == {brams_late["id"]}
    assert ids(owner_id=bram["id"], status="open") == {everyones["id"]}
    assert client.ok("GET", f"{base}/actions/{annas_late['id']}")["overdue"] is True


def test_a_later_meeting_shows_what_became_of_a_commitment(client, team):
    project, anna, bram, base = team
    joint = builders.meeting(client, project, [anna, bram], date="2014-03-10")
    made = builders.commitment(client, project, joint)
    evaluation = builders.meeting(
        client, project, [anna, bram], kind="evaluation", date="2014-05-13"
    )
    client.ok(
        "PATCH",
        f"{base}/actions/{made['id']}",
        {"status": "done", "status_by_id": anna["id"]},
        headers=etag(made),
    )

    round_ = client.ok("GET", f"{base}/meetings/{evaluation['id']}/round")

    [entry] = round_["entries"]
    assert (entry["commitment"]["id"], entry["commitment"]["status"]) == (made["id"], "done")
    assert entry["commitment"]["status_by_id"] == anna["id"]


def test_an_action_of_no_meeting_is_not_reported_on_at_a_round(client, team):
    project, anna, _bram, base = team
    made = client.ok("POST", f"{base}/actions", {"text": "Plan together."})
    evaluation = builders.meeting(client, project, [anna], kind="evaluation")

    refused = client.post(
        f"{base}/meetings/{evaluation['id']}/action-reports",
        {"participant_id": anna["id"], "commitment_id": made["id"], "text": "Did it."},
    )

    assert codes(refused) == [("commitment_id", "not_a_commitment")]


def test_deleting_an_action_removes_it(client, team):
    *_, base = team
    made = client.ok("POST", f"{base}/actions", {"text": "Plan together."})

    client.ok("DELETE", f"{base}/actions/{made['id']}", headers=etag(made))

    assert_problem(client.get(f"{base}/actions/{made['id']}"), 404)
