"""The service group: the participants contributing to a service, each with what they
contribute. A contributor is always a participant of the same project."""

from uuid import uuid4

import pytest

from tests import builders
from tests.client import assert_problem


@pytest.fixture
def onboarding(client):
    """A project in service_definition, its two members and a service without a group."""
    project, members = builders.project_in(client, "service_definition")
    return project, builders.service(client, project, [], name="Onboarding"), members


def group_of(project, service):
    return f"/api/v1/projects/{project['id']}/services/{service['id']}/contributors"


def member_of(project, service, participant):
    return f"{group_of(project, service)}/{participant['id']}"


def contributor_ids(client, project, service):
    return sorted(c["participant_id"] for c in client.ok("GET", group_of(project, service)))


def test_a_participant_of_another_project_cannot_contribute(client, onboarding):
    project, service, _members = onboarding
    other = builders.project(client, project["organisation_id"], project["team_id"])
    outsider = builders.participant(client, other)

    refused = client.post(group_of(project, service), {"participant_id": outsider["id"]})

    assert list(assert_problem(refused, 422)["errors"]) == ["participant_id"]
    assert contributor_ids(client, project, service) == []


def test_an_unknown_participant_cannot_contribute(client, onboarding):
    project, service, _members = onboarding

    refused = client.post(group_of(project, service), {"participant_id": str(uuid4())})

    assert list(assert_problem(refused, 422)["errors"]) == ["participant_id"]


def test_a_participant_joins_a_group_only_once(client, onboarding):
    project, service, (anna, _bram) = onboarding
    builders.contributor(client, project, service, anna)

    refused = client.post(group_of(project, service), {"participant_id": anna["id"]})

    assert list(assert_problem(refused, 422)["errors"]) == ["participant_id"]
    assert contributor_ids(client, project, service) == [anna["id"]]


def test_a_participant_may_contribute_to_several_services(client, onboarding):
    project, service, (anna, _bram) = onboarding
    advice = builders.service(client, project, [])
    builders.contributor(client, project, service, anna)

    joined = builders.contributor(client, project, advice, anna)

    assert joined["participant_id"] == anna["id"]


def test_the_service_shows_its_group_with_names_and_contributions(client, onboarding):
    project, service, (anna, bram) = onboarding
    builders.contributor(client, project, service, anna, "Arranges the workplace.")
    builders.contributor(client, project, service, bram, "Runs the introduction days.")

    shown = client.ok("GET", f"/api/v1/projects/{project['id']}/services/{service['id']}")

    assert sorted((c["name"], c["contribution"]) for c in shown["contributors"]) == sorted(
        [(anna["name"], "Arranges the workplace."), (bram["name"], "Runs the introduction days.")]
    )


def test_the_service_list_shows_each_group_with_names(client, onboarding):
    project, service, (anna, bram) = onboarding
    advice = builders.service(client, project, [bram], name="HR advice")
    builders.contributor(client, project, service, anna)

    listed = client.ok("GET", f"/api/v1/projects/{project['id']}/services")

    groups = {s["name"]: [c["name"] for c in s["contributors"]] for s in listed}
    assert groups == {"Onboarding": [anna["name"]], advice["name"]: [bram["name"]]}


def test_a_contribution_can_be_reworded(client, onboarding):
    project, service, (anna, _bram) = onboarding
    builders.contributor(client, project, service, anna, "Arranges the workplace.")

    client.ok(
        "PATCH",
        member_of(project, service, anna),
        {"contribution": "Arranges the workplace and the accounts."},
    )

    shown = client.ok("GET", member_of(project, service, anna))
    assert shown["contribution"] == "Arranges the workplace and the accounts."


def test_removing_a_contributor_takes_them_out_of_the_group(client, onboarding):
    project, service, (anna, bram) = onboarding
    for someone in (anna, bram):
        builders.contributor(client, project, service, someone)

    client.ok("DELETE", member_of(project, service, anna))

    assert contributor_ids(client, project, service) == [bram["id"]]
    assert_problem(client.get(member_of(project, service, anna)), 404)


def test_a_participant_removed_from_the_project_leaves_the_group(client, onboarding):
    project, service, (anna, bram) = onboarding
    for someone in (anna, bram):
        builders.contributor(client, project, service, someone)

    client.ok("DELETE", f"/api/v1/projects/{project['id']}/participants/{anna['id']}")

    shown = client.ok("GET", f"/api/v1/projects/{project['id']}/services/{service['id']}")
    assert [c["participant_id"] for c in shown["contributors"]] == [bram["id"]]


@pytest.mark.parametrize(
    ("method", "body"),
    [("GET", None), ("PATCH", {"contribution": "Something."}), ("DELETE", None)],
)
def test_a_participant_outside_the_group_is_not_found_in_it(client, onboarding, method, body):
    project, service, (anna, bram) = onboarding
    builders.contributor(client, project, service, anna)

    missing = client.request(method, member_of(project, service, bram), json=body)

    assert_problem(missing, 404)
    assert contributor_ids(client, project, service) == [anna["id"]]
