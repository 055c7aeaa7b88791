"""Coordinators are derived, never stored: whoever contributes to two or more services
has a coordination task, and the list follows the service groups at once."""

import pytest

from tests import builders

MOST_STATEMENTS_PER_READ = 8


@pytest.fixture
def team(client):
    """A project in service_definition with three members: Anna, Bram and Carla."""
    return builders.project_in(client, "service_definition", members=3)


def coordinators_of(client, project):
    return client.ok("GET", f"/api/v1/projects/{project['id']}/coordinators")


def tasks(coordinators):
    """participant id → the names of the services they coordinate."""
    return {c["participant_id"]: sorted(s["name"] for s in c["services"]) for c in coordinators}


def test_a_participant_in_two_services_coordinates_both(client, team):
    project, (anna, bram, carla) = team
    builders.service(client, project, [anna, bram], name="Onboarding")
    builders.service(client, project, [anna, carla], name="HR advice")

    (coordinator,) = coordinators_of(client, project)

    assert coordinator["participant_id"] == anna["id"]
    assert coordinator["name"] == anna["name"]
    assert tasks([coordinator]) == {anna["id"]: ["HR advice", "Onboarding"]}


def test_leaving_one_of_two_services_ends_the_coordination_at_once(client, team):
    project, (anna, bram, carla) = team
    builders.service(client, project, [anna, bram], name="Onboarding")
    advice = builders.service(client, project, [anna, carla], name="HR advice")

    client.ok(
        "DELETE",
        f"/api/v1/projects/{project['id']}/services/{advice['id']}/contributors/{anna['id']}",
    )

    assert coordinators_of(client, project) == []


def test_joining_a_second_service_makes_a_coordinator_at_once(client, team):
    project, (anna, bram, carla) = team
    builders.service(client, project, [anna, bram], name="Onboarding")
    advice = builders.service(client, project, [carla], name="HR advice")
    assert coordinators_of(client, project) == []

    builders.contributor(client, project, advice, bram)

    assert tasks(coordinators_of(client, project)) == {bram["id"]: ["HR advice", "Onboarding"]}


def test_a_participant_in_three_services_coordinates_all_three(client, team):
    project, (anna, bram, carla) = team
    builders.service(client, project, [anna, bram], name="Onboarding")
    builders.service(client, project, [anna, carla], name="HR advice")
    builders.service(client, project, [anna], name="Payroll")

    assert tasks(coordinators_of(client, project)) == {
        anna["id"]: ["HR advice", "Onboarding", "Payroll"]
    }


def test_nobody_coordinates_when_everyone_contributes_once(client, team):
    project, (anna, bram, carla) = team
    builders.service(client, project, [anna, bram], name="Onboarding")
    builders.service(client, project, [carla], name="HR advice")

    assert coordinators_of(client, project) == []


def test_deleting_a_service_ends_the_coordination_it_caused(client, team):
    project, (anna, bram, carla) = team
    builders.service(client, project, [anna, bram], name="Onboarding")
    advice = builders.service(client, project, [anna, carla], name="HR advice")

    client.ok("DELETE", f"/api/v1/projects/{project['id']}/services/{advice['id']}")

    assert coordinators_of(client, project) == []


def statements_of(app, client, count_statements, path):
    """The statements one GET of ``path`` runs, after a warm-up request that verifies the
    API key afresh, so the key cache cannot expire between it and the counted request."""
    app.extensions["od"].key_cache.clear()
    client.ok("GET", path)
    with count_statements() as counter:
        client.ok("GET", path)
    return counter.statements


def test_coordinators_cost_the_same_few_statements_for_60_services_as_for_6(
    app, client, count_statements, team
):
    project, members = team
    people = members + [builders.participant(client, project) for _ in range(3)]
    needs = [builders.competence(client), builders.competence(client)]
    path = f"/api/v1/projects/{project['id']}/coordinators"

    builders.busy_services(client, project, 6, people, needs)
    small = statements_of(app, client, count_statements, path)
    builders.busy_services(client, project, 54, people, needs)
    large = statements_of(app, client, count_statements, path)

    assert len(coordinators_of(client, project)) == len(people)
    assert len(large) == len(small), (small, large)
    assert len(small) <= MOST_STATEMENTS_PER_READ, small
