"""People of an organisation: created, read and changed by hand or by an integration."""

import json

import pytest

from tests import builders
from tests.client import assert_problem


def people_path(organisation):
    return f"/api/v1/organisations/{organisation['id']}/people"


@pytest.fixture
def organisation(client):
    return builders.organisation(client)


def test_creating_a_person_answers_201_with_location_and_all_fields(client, organisation):
    team = builders.team(client, organisation["id"])
    body = {
        "external_id": "E-1042",
        "name": "Fatima el Amrani",
        "email": "f.elamrani@example.nl",
        "team_id": team["id"],
    }

    response = client.post(people_path(organisation), body)

    assert response.status_code == 201
    person = response.get_json()
    assert {k: person[k] for k in body} == body
    assert (person["active"], person["erased"]) == (True, False)
    assert person["organisation_id"] == organisation["id"]
    assert client.ok("GET", response.headers["Location"]) == person


def test_a_person_may_be_created_without_external_id_or_email(client, organisation):
    person = client.ok("POST", people_path(organisation), {"name": "Joost de Vries"})

    assert (person["external_id"], person["email"], person["team_id"]) == (None, None, None)


def test_getting_an_unknown_person_is_404(client):
    assert_problem(client.get("/api/v1/people/7c9e6679-7425-40de-944b-e07fc1f90ae7"), 404)


def test_patching_a_person_changes_only_the_fields_sent(client, organisation):
    person = builders.person(client, organisation["id"], name="Fatima el Amrani")

    changed = client.ok(
        "PATCH", f"/api/v1/people/{person['id']}", {"email": "fatima@example.nl", "active": False}
    )

    assert (changed["email"], changed["active"]) == ("fatima@example.nl", False)
    assert (changed["name"], changed["external_id"]) == ("Fatima el Amrani", person["external_id"])
    assert changed["version"] == person["version"] + 1


def test_a_patch_that_changes_nothing_keeps_the_version(client, organisation):
    person = builders.person(client, organisation["id"], name="Fatima el Amrani")

    same = client.ok("PATCH", f"/api/v1/people/{person['id']}", {"name": "Fatima el Amrani"})

    assert (same["version"], same["updated_at"]) == (person["version"], person["updated_at"])


def test_an_invalid_email_is_refused(client, organisation):
    body = assert_problem(
        client.post(people_path(organisation), {"name": "X", "email": "not-an-address"}), 422
    )

    assert "email" in body["errors"]


def test_external_id_is_unique_within_an_organisation(client, organisation):
    builders.person(client, organisation["id"], external_id="E-1042")

    body = assert_problem(
        client.post(people_path(organisation), {"name": "Someone else", "external_id": "E-1042"}),
        422,
    )

    assert "external_id" in body["errors"]
    assert len(client.ok("GET", people_path(organisation))) == 1


def test_changing_external_id_to_one_taken_in_the_organisation_is_refused(client, organisation):
    builders.person(client, organisation["id"], external_id="E-1042")
    other = builders.person(client, organisation["id"], external_id="E-1043")

    body = assert_problem(
        client.patch(f"/api/v1/people/{other['id']}", {"external_id": "E-1042"}), 422
    )

    assert "external_id" in body["errors"]
    assert client.ok("GET", f"/api/v1/people/{other['id']}")["external_id"] == "E-1043"


def test_the_same_external_id_may_be_used_in_two_organisations(client, organisation):
    other = builders.organisation(client)
    first = builders.person(client, organisation["id"], external_id="E-1042")

    second = builders.person(client, other["id"], external_id="E-1042")

    assert first["id"] != second["id"]
    assert second["external_id"] == "E-1042"


def test_team_id_must_name_a_team_of_the_same_organisation(client, organisation):
    foreign_team = builders.team(client, builders.organisation(client)["id"])

    body = assert_problem(
        client.post(people_path(organisation), {"name": "X", "team_id": foreign_team["id"]}), 422
    )

    assert "team_id" in body["errors"]
    assert client.ok("GET", people_path(organisation)) == []


def test_a_patch_cannot_move_a_person_into_a_team_of_another_organisation(client, organisation):
    person = builders.person(client, organisation["id"])
    foreign_team = builders.team(client, builders.organisation(client)["id"])

    body = assert_problem(
        client.patch(f"/api/v1/people/{person['id']}", {"team_id": foreign_team["id"]}), 422
    )

    assert "team_id" in body["errors"]


def test_unknown_fields_are_refused(client, organisation):
    body = assert_problem(
        client.post(people_path(organisation), {"name": "X", "salary": 5000}), 422
    )

    assert "salary" in body["errors"]


# --- lists ---------------------------------------------------------------------------


def listed_names(client, organisation, **query):
    return [p["name"] for p in client.ok("GET", people_path(organisation), query_string=query)]


def test_people_of_another_organisation_are_not_listed(client, organisation):
    builders.person(client, builders.organisation(client)["id"])

    assert client.ok("GET", people_path(organisation)) == []


def test_people_can_be_filtered_by_team(client, organisation):
    support = builders.team(client, organisation["id"])
    builders.person(client, organisation["id"], name="Anna", team_id=support["id"])
    builders.person(client, organisation["id"], name="Bram")

    assert listed_names(client, organisation, team_id=support["id"]) == ["Anna"]


def test_people_can_be_filtered_by_active(client, organisation):
    builders.person(client, organisation["id"], name="Anna")
    builders.person(client, organisation["id"], name="Bram", active=False)

    assert listed_names(client, organisation, active="false") == ["Bram"]
    assert listed_names(client, organisation, active="true") == ["Anna"]


def test_q_finds_part_of_a_name_whatever_its_case(client, organisation):
    builders.person(client, organisation["id"], name="Fatima el Amrani")
    builders.person(client, organisation["id"], name="Joost de Vries")

    assert listed_names(client, organisation, q="AMRA") == ["Fatima el Amrani"]


def test_q_finds_part_of_an_email(client, organisation):
    builders.person(client, organisation["id"], name="Anna", email="anna@gemeente.nl")
    builders.person(client, organisation["id"], name="Bram", email="bram@provincie.nl")

    assert listed_names(client, organisation, q="provincie") == ["Bram"]


def test_q_finds_an_exact_external_id_not_a_part_of_one(client, organisation):
    builders.person(
        client, organisation["id"], name="Anna", external_id="7781", email="anna@example.nl"
    )
    builders.person(client, organisation["id"], name="Bram", external_id="77812", email=None)

    assert listed_names(client, organisation, q="7781") == ["Anna"]


def test_q_finds_an_exact_external_id_written_in_capitals(client, organisation):
    builders.person(
        client, organisation["id"], name="Anna", external_id="E-1042", email="anna@example.nl"
    )
    builders.person(client, organisation["id"], name="Bram", external_id="E-1043", email=None)

    assert listed_names(client, organisation, q="E-1042") == ["Anna"]


def test_updated_since_lists_only_people_changed_at_or_after_that_time(client, organisation):
    builders.person(client, organisation["id"], name="Anna")
    bram = builders.person(client, organisation["id"], name="Bram")
    builders.person(client, organisation["id"], name="Carla")
    changed = client.ok("PATCH", f"/api/v1/people/{bram['id']}", {"email": "bram@example.nl"})

    assert listed_names(client, organisation, updated_since=changed["updated_at"]) == ["Bram"]


def test_updated_since_needs_a_time_zone(client, organisation):
    body = assert_problem(
        client.get(people_path(organisation), query_string={"updated_since": "2024-01-01T00:00"}),
        422,
    )

    assert "query.updated_since" in body["errors"]


def test_a_page_of_people_carries_the_total_in_x_pagination(client, organisation):
    made = [builders.person(client, organisation["id"]) for _ in range(5)]

    response = client.get(people_path(organisation), query_string={"page": 2, "page_size": 2})

    assert [p["id"] for p in response.get_json()] == [p["id"] for p in made[2:4]]
    pagination = json.loads(response.headers["X-Pagination"])
    assert (pagination["total"], pagination["total_pages"]) == (5, 3)
    assert 'rel="next"' in response.headers["Link"]


def test_the_last_page_holds_the_rest_and_the_same_total(client, organisation):
    made = [builders.person(client, organisation["id"]) for _ in range(5)]

    response = client.get(people_path(organisation), query_string={"page": 3, "page_size": 2})

    assert [p["id"] for p in response.get_json()] == [made[4]["id"]]
    assert json.loads(response.headers["X-Pagination"])["total"] == 5
    assert 'rel="next"' not in response.headers["Link"]


def test_the_total_counts_only_what_the_filters_admit(client, organisation):
    for _ in range(3):
        builders.person(client, organisation["id"], active=False)
    builders.person(client, organisation["id"])

    response = client.get(
        people_path(organisation), query_string={"active": "false", "page_size": 2}
    )

    assert json.loads(response.headers["X-Pagination"])["total"] == 3
