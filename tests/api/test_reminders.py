"""Reminders: what a project agreed and forgot, shown now and announced once as events."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest
from sqlalchemy import update

from domain.base import utcnow
from repositories import tables as t
from tests import builders
from worker.reminders import announce_all

TODAY = date.today()


@pytest.fixture
def team(client):
    return builders.coached_team(client, member_level=1)


def in_progress(client, team):
    agreement = builders.agreement(client, team)
    return builders.move_agreement(client, team, agreement, "agreed", "in_progress")


def made_days_ago(engine, agreement, days):
    with engine.begin() as connection:
        connection.execute(
            update(t.agreements)
            .where(t.agreements.c.id == UUID(agreement["id"]))
            .values(created_at=utcnow() - timedelta(days=days))
        )


def reminders(client, team):
    return client.ok("GET", f"{team.base}/reminders")


def test_an_agreement_without_a_check_in_for_the_project_s_days_is_due_one(client, engine, team):
    agreement = in_progress(client, team)
    assert reminders(client, team) == []
    made_days_ago(engine, agreement, 15)

    (due,) = reminders(client, team)

    assert (due["kind"], due["subject_type"], due["subject_id"]) == (
        "check_in_due",
        "agreement",
        agreement["id"],
    )
    # A check-in puts it off; a shorter interval brings it back.
    client.ok(
        "POST",
        f"{team.base}/agreements/{agreement['id']}/check-ins",
        {
            "participant_id": team.members[1]["id"],
            "status": "on_track",
            "date": (TODAY - timedelta(days=3)).isoformat(),
        },
    )
    assert reminders(client, team) == []
    client.ok("PATCH", team.base, {"check_in_days": 2})
    assert [r["kind"] for r in reminders(client, team)] == ["check_in_due"]


def test_overdue_commitments_and_an_evaluation_next_week_are_due(client, team):
    project = team.project
    joint = builders.meeting(client, project, team.members, date="2026-03-10")
    commitments = f"{team.base}/meetings/{joint['id']}/commitments"
    overdue = client.ok(
        "POST", commitments, {"text": "Send the notes", "due_date": str(TODAY - timedelta(1))}
    )
    client.ok("POST", commitments, {"text": "Plan the day", "due_date": str(TODAY + timedelta(5))})
    evaluation = builders.meeting(
        client, project, team.members, kind="evaluation", date=str(TODAY + timedelta(days=3))
    )
    kinds = {(r["kind"], r["subject_id"]) for r in reminders(client, team)}
    assert kinds == {
        ("commitment_overdue", overdue["id"]),
        ("evaluation_upcoming", evaluation["id"]),
    }


def test_the_worker_announces_each_reminder_once_as_an_event(client, engine, team):
    agreement = in_progress(client, team)
    made_days_ago(engine, agreement, 20)

    assert announce_all(engine, TODAY) == 1
    assert announce_all(engine, TODAY) == 0  # the next round: nothing new

    changes = client.ok("GET", "/api/v1/changes", query_string={"types": "reminder.check_in_due"})
    (event,) = changes["changes"]
    assert (event["entity_id"], event["project_id"]) == (agreement["id"], team.project["id"])


def make_due(client, engine, team, count):
    """``count`` of each kind due: agreements long without a check-in, overdue actions,
    evaluation meetings in the coming days."""
    joint = builders.meeting(client, team.project, team.members, date="2026-03-10")
    for _ in range(count):
        made_days_ago(engine, in_progress(client, team), 30)
        client.ok(
            "POST",
            f"{team.base}/meetings/{joint['id']}/commitments",
            {"text": "Send the notes", "due_date": str(TODAY - timedelta(days=2))},
        )
        builders.meeting(
            client, team.project, team.members, kind="evaluation", date=str(TODAY + timedelta(2))
        )


def test_what_is_due_costs_as_many_statements_for_many_agreements_and_actions(
    client, engine, team, count_statements
):
    def statements() -> tuple[int, int]:
        reminders(client, team)  # the key is verified and remembered
        with count_statements() as counter:
            shown = reminders(client, team)
        return counter.count, len(shown)

    make_due(client, engine, team, 1)
    few, shown = statements()
    assert shown == 3
    make_due(client, engine, team, 6)
    many, shown = statements()
    assert shown == 21
    assert many == few


def test_the_worker_s_round_costs_as_many_statements_for_many_projects_and_reminders(
    client, engine, team, count_statements
):
    make_due(client, engine, team, 1)
    with count_statements() as few:
        assert announce_all(engine, TODAY) == 3

    other = builders.coached_team(client, member_level=1)
    make_due(client, engine, team, 4)
    make_due(client, engine, other, 3)
    with count_statements() as many:
        assert announce_all(engine, TODAY) == 21

    assert many.count == few.count
