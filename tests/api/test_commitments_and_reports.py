"""Commitments made at a meeting, and the action reports given on them at a later one:
"what did you do to realise the agreements?" (seed 000)."""

from dataclasses import dataclass

import pytest

from tests import builders
from tests.client import ApiClient, assert_problem


@dataclass
class Joint:
    """A joint meeting of Anna and Bram, and a later evaluation meeting of both."""

    client: ApiClient
    project: dict
    anna: dict
    bram: dict
    joint: dict
    evaluation: dict

    def path(self, meeting: dict, what: str) -> str:
        return f"/api/v1/projects/{self.project['id']}/meetings/{meeting['id']}/{what}"

    def report(self, meeting: dict, by: dict, on: dict):
        return self.client.post(
            self.path(meeting, "action-reports"),
            {"participant_id": by["id"], "commitment_id": on["id"], "text": "I did."},
        )

    def round(self) -> dict:
        return self.client.ok("GET", self.path(self.evaluation, "round"))


@pytest.fixture
def joint(client):
    project = builders.project(client)
    anna, bram = builders.participant(client, project), builders.participant(client, project)
    return Joint(
        client,
        project,
        anna,
        bram,
        builders.meeting(client, project, [anna, bram], date="2014-03-10"),
        builders.meeting(client, project, [anna, bram], kind="evaluation", date="2014-05-13"),
    )


def violation_codes(body: dict) -> list[str]:
    return [v["code"] for v in body["violations"]]


# --- commitments -----------------------------------------------------------------------


def test_a_named_owner_must_have_attended_the_meeting(client, joint):
    absent = builders.participant(client, joint.project)

    response = client.post(
        joint.path(joint.joint, "commitments"),
        {"text": "Visit the other layer.", "owner_ids": [joint.anna["id"], absent["id"]]},
    )

    assert list(assert_problem(response, 422)["errors"]) == ["owner_ids.1"]


def test_named_owners_are_kept(client, joint):
    made = builders.commitment(client, joint.project, joint.joint, owners=[joint.bram])

    listed = client.ok("GET", joint.path(joint.joint, "commitments"))

    assert [(c["id"], c["owner_ids"]) for c in listed] == [(made["id"], [joint.bram["id"]])]


def test_without_owners_the_round_expects_every_attendee(client, joint):
    made = builders.commitment(client, joint.project, joint.joint)

    [entry] = joint.round()["entries"]

    assert made["owner_ids"] == []
    assert entry["not_reported"] == [joint.anna["id"], joint.bram["id"]]


def test_with_named_owners_the_round_expects_only_them(client, joint):
    builders.commitment(client, joint.project, joint.joint, owners=[joint.bram])

    [entry] = joint.round()["entries"]

    assert entry["not_reported"] == [joint.bram["id"]]


# --- action reports --------------------------------------------------------------------


def test_only_an_attendee_of_the_meeting_gives_a_report_at_it(client, joint):
    made = builders.commitment(client, joint.project, joint.joint)
    carla = builders.participant(client, joint.project)

    response = joint.report(joint.evaluation, carla, made)

    assert "participant_id" in assert_problem(response, 422)["errors"]


def test_no_report_on_a_commitment_of_the_same_meeting(client, joint):
    made_there = builders.commitment(client, joint.project, joint.evaluation)

    body = assert_problem(joint.report(joint.evaluation, joint.anna, made_there), 422)

    assert "commitment_id" in body["errors"]
    assert violation_codes(body) == ["not_earlier"]


def test_no_report_on_a_commitment_of_a_later_meeting(client, joint):
    made_later = builders.commitment(client, joint.project, joint.evaluation)

    body = assert_problem(joint.report(joint.joint, joint.anna, made_later), 422)

    assert violation_codes(body) == ["not_earlier"]


def test_no_report_on_a_commitment_of_another_project(client, joint):
    other = builders.project(client)
    someone = builders.participant(client, other)
    foreign = builders.commitment(client, other, builders.meeting(client, other, [someone]))

    body = assert_problem(joint.report(joint.evaluation, joint.anna, foreign), 422)

    assert "commitment_id" in body["errors"]


def test_the_same_attendee_reports_once_per_commitment_at_a_meeting(client, joint):
    made = builders.commitment(client, joint.project, joint.joint)
    assert joint.report(joint.evaluation, joint.anna, made).status_code == 201

    body = assert_problem(joint.report(joint.evaluation, joint.anna, made), 422)

    assert "commitment_id" in body["errors"]
    assert len(client.ok("GET", joint.path(joint.evaluation, "action-reports"))) == 1


def test_the_same_commitment_can_be_reported_on_again_at_a_later_meeting(client, joint):
    made = builders.commitment(client, joint.project, joint.joint)
    builders.action_report(client, joint.project, joint.evaluation, joint.anna, made)
    closing = builders.meeting(
        client, joint.project, [joint.anna], kind="evaluation", date="2014-06-30"
    )

    assert joint.report(closing, joint.anna, made).status_code == 201


# --- the round of the table ------------------------------------------------------------


def test_the_round_lists_per_commitment_the_reports_and_who_has_not_reported(client, joint):
    trust = builders.commitment(client, joint.project, joint.joint)
    visits = builders.commitment(client, joint.project, joint.joint, owners=[joint.bram])
    given = builders.action_report(client, joint.project, joint.evaluation, joint.anna, trust)

    entries = {e["commitment"]["id"]: e for e in joint.round()["entries"]}

    assert [r["id"] for r in entries[trust["id"]]["reports"]] == [given["id"]]
    assert entries[trust["id"]]["not_reported"] == [joint.bram["id"]]
    assert (entries[visits["id"]]["reports"], entries[visits["id"]]["not_reported"]) == (
        [],
        [joint.bram["id"]],
    )


def test_the_round_names_the_silent_attendees(client, joint):
    trust = builders.commitment(client, joint.project, joint.joint)
    builders.action_report(client, joint.project, joint.evaluation, joint.anna, trust)

    round_ = joint.round()

    assert (round_["silent"], round_["complete"]) == ([joint.bram["id"]], False)


def test_an_attendee_who_owns_nothing_and_says_nothing_is_silent(client, joint):
    visits = builders.commitment(client, joint.project, joint.joint, owners=[joint.anna])
    builders.action_report(client, joint.project, joint.evaluation, joint.anna, visits)

    round_ = joint.round()

    assert round_["entries"][0]["not_reported"] == []
    assert (round_["silent"], round_["complete"]) == ([joint.bram["id"]], False)


def test_the_round_is_complete_once_everyone_has_reported(client, joint):
    trust = builders.commitment(client, joint.project, joint.joint)
    for someone in (joint.anna, joint.bram):
        builders.action_report(client, joint.project, joint.evaluation, someone, trust)

    round_ = joint.round()

    assert (round_["silent"], round_["complete"]) == ([], True)


# --- general answers (seed 000: "what did you do to realise the agreements?") -----------


def test_a_general_answer_names_no_commitment(client, joint):
    builders.commitment(client, joint.project, joint.joint)

    given = builders.action_report(client, joint.project, joint.evaluation, joint.anna, None)

    assert (given["commitment_id"], given["text"]) == (None, "I did my part.")
    assert [r["id"] for r in joint.round()["general"]] == [given["id"]]


def test_a_general_answer_answers_for_every_commitment_the_attendee_owns(client, joint):
    trust = builders.commitment(client, joint.project, joint.joint)
    visits = builders.commitment(client, joint.project, joint.joint)
    builders.action_report(client, joint.project, joint.evaluation, joint.anna, None)
    builders.action_report(client, joint.project, joint.evaluation, joint.bram, trust)

    round_ = joint.round()

    entries = {e["commitment"]["id"]: e["not_reported"] for e in round_["entries"]}
    assert entries == {trust["id"]: [], visits["id"]: [joint.bram["id"]]}
    assert (round_["silent"], round_["complete"]) == ([joint.bram["id"]], False)
    builders.action_report(client, joint.project, joint.evaluation, joint.bram, None)
    assert joint.round()["complete"] is True


def test_general_answers_complete_a_round_with_nothing_on_the_table(client, joint):
    for someone in (joint.anna, joint.bram):
        builders.action_report(client, joint.project, joint.evaluation, someone, None)

    assert joint.round()["complete"] is True


def test_one_general_answer_per_attendee_and_meeting(client, joint):
    builders.action_report(client, joint.project, joint.evaluation, joint.anna, None)

    again = client.post(
        joint.path(joint.evaluation, "action-reports"),
        {"participant_id": joint.anna["id"], "commitment_id": None, "text": "Again."},
    )

    assert violation_codes(assert_problem(again, 422)) == ["duplicate"]


def test_a_general_answer_comes_from_an_attendee(client, joint):
    absent = builders.participant(client, joint.project)

    response = client.post(
        joint.path(joint.evaluation, "action-reports"),
        {"participant_id": absent["id"], "text": "I was not there."},
    )

    assert violation_codes(assert_problem(response, 422)) == ["not_attendee"]
