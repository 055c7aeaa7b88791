"""The change feed: every committed change, deletions included, in commit order."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.access import Scope
from domain.organisations import Organisation
from repositories.unit_of_work import SqlUnitOfWork
from tests import builders
from tests.client import assert_problem

CHANGES = "/api/v1/changes"


def feed(client, **query):
    """Every change after ``since``, following the cursor page by page."""
    changes, pages = [], 0
    while True:
        page = client.ok("GET", CHANGES, query_string=query)
        changes += page["changes"]
        pages += 1
        query["since"] = page["next_cursor"]
        if not page["has_more"]:
            return changes, page["next_cursor"]


def test_a_person_created_updated_and_deleted_shows_as_three_changes_in_order(client):
    organisation = builders.organisation(client)
    person = builders.person(client, organisation["id"])
    _, cursor = feed(client)
    client.ok("PATCH", f"/api/v1/people/{person['id']}", {"email": "new@example.org"})
    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    changes, _ = feed(client, since=cursor)

    assert [(c["type"], c["change"], c["version"]) for c in changes] == [
        ("person.updated", "updated", 2),
        ("person.deleted", "deleted", 2),
    ]
    assert changes[0]["changed_fields"] == ["email"]
    assert changes[1]["entity_id"] == person["id"]
    assert changes[1]["organisation_id"] == organisation["id"]
    # Names of fields, never their values.
    assert "new@example.org" not in str(changes)


def test_the_feed_pages_with_its_cursor_and_says_when_nothing_follows(client):
    for number in range(5):
        builders.organisation(client, f"Organisation {number}")
    first = client.ok("GET", CHANGES, query_string={"limit": 2})
    assert first["has_more"] is True
    assert len(first["changes"]) == 2
    rest, cursor = feed(client, since=first["next_cursor"], limit=2)
    names = [c["entity_id"] for c in first["changes"] + rest]
    assert len(names) == len(set(names)) == 5

    empty = client.ok("GET", CHANGES, query_string={"since": cursor})
    assert empty == {"changes": [], "next_cursor": cursor, "has_more": False}


def test_types_filter_the_feed(client):
    organisation = builders.organisation(client)
    builders.team(client, organisation["id"])
    builders.person(client, organisation["id"])
    changes, _ = feed(client, types="person.created,team.created")
    assert sorted(c["type"] for c in changes) == ["person.created", "team.created"]


def test_a_phase_move_and_a_check_in_have_their_own_event_types(client):
    team = builders.coached_team(client)
    agreement = builders.agreement(client, team)
    client.ok(
        "POST",
        f"{team.base}/agreements/{agreement['id']}/check-ins",
        {"participant_id": team.members[1]["id"], "status": "on_track"},
    )
    changes, _ = feed(client)
    types = [c["type"] for c in changes]
    assert "project.phase_changed" in types
    assert types[-1] == "agreement.check_in_added"
    assert changes[-1]["project_id"] == team.project["id"]


def test_a_restricted_key_follows_its_organisation_and_the_workspace_s_own(workspace, client):
    mine, theirs = builders.organisation(client, "Mine"), builders.organisation(client, "Theirs")
    builders.person(client, mine["id"])
    builders.person(client, theirs["id"])
    builders.project(client, theirs["id"])
    builders.competence(client)
    integration = workspace.client("integration", organisation_id=UUID(mine["id"]))

    changes, _ = feed(integration)

    assert {(c["type"], c["organisation_id"]) for c in changes} == {
        ("organisation.created", mine["id"]),
        ("person.created", mine["id"]),
        ("competence.created", None),
    }
    assert_problem(integration.get(CHANGES, query_string={"organisation_id": theirs["id"]}), 404)


def test_another_workspace_s_changes_are_not_in_the_feed(client, other_workspace):
    builders.organisation(client)
    changes, _ = feed(other_workspace.admin)
    assert all(c["type"].startswith("api_key") is False for c in changes)
    assert changes == []


def test_a_refused_change_emits_nothing(client):
    organisation = builders.organisation(client)
    _, cursor = feed(client)
    response = client.post(
        f"/api/v1/organisations/{organisation['id']}/people",
        json={"name": "Ans", "email": "not an address"},
    )
    assert response.status_code == 422
    assert feed(client, since=cursor)[0] == []


def test_a_rolled_back_unit_of_work_writes_no_event(workspace, engine, client):
    scope = Scope(workspace.id, actor_id=workspace.admin_key_id)
    with SqlUnitOfWork(engine, scope) as uow:
        uow.organisations.add(Organisation(name="Never kept"))
        uow.rollback()
    with SqlUnitOfWork(engine, scope) as uow:
        uow.organisations.add(Organisation(name="Not committed"))
    assert feed(client)[0] == []


def test_events_are_numbered_in_commit_order_not_in_the_order_changes_began(
    workspace, engine, client, is_postgres
):
    """T1 writes first but commits last: its event comes after T2's. (SQLite has one
    writer at a time, so there transactions cannot interleave at all.)"""
    if not is_postgres:
        pytest.skip("SQLite runs one writing transaction at a time")
    scope = Scope(workspace.id, actor_id=workspace.admin_key_id)
    first, second = Organisation(name="Began first"), Organisation(name="Committed first")
    with SqlUnitOfWork(engine, scope) as t1:
        t1.organisations.add(first)
        with SqlUnitOfWork(engine, scope) as t2:
            t2.organisations.add(second)
            t2.commit()
        t1.commit()
    changes, _ = feed(client)
    assert [c["entity_id"] for c in changes] == [str(second.id), str(first.id)]


@pytest.mark.parametrize("since", ["nonsense", "YzEuLTE", "eDEuMQ"])
def test_a_cursor_the_feed_did_not_give_is_refused(client, since):
    response = client.get(CHANGES, query_string={"since": since})
    assert_problem(response, 422)
    assert "query.since" in response.json["errors"]
