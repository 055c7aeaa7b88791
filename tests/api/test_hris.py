"""What an HRIS calls: one employee by external id (PUT), or the full list at once (sync).

An HRIS resends freely, so a repeated call must change nothing: no new version, no new
audit record.
"""

import json

import pytest

from tests import builders
from tests.client import assert_problem


@pytest.fixture
def organisation(client):
    return builders.organisation(client)


def external(organisation, external_id):
    return f"/api/v1/organisations/{organisation['id']}/people/external/{external_id}"


def sync_path(organisation):
    return f"/api/v1/organisations/{organisation['id']}/people/sync"


def sync(client, organisation, people, **options):
    return client.ok("POST", sync_path(organisation), {"people": people, **options}, status=200)


def people_total(client, organisation):
    response = client.get(f"/api/v1/organisations/{organisation['id']}/people")
    return json.loads(response.headers["X-Pagination"])["total"]


def audit_total(client, **filters):
    response = client.get("/api/v1/audit", query_string=filters)
    assert response.status_code == 200
    return json.loads(response.headers["X-Pagination"])["total"]


# --- PUT by external id ----------------------------------------------------------------


def test_put_of_an_unknown_external_id_creates_the_person_with_201_and_location(
    client, organisation
):
    response = client.put(
        external(organisation, "E-1042"),
        {"name": "Fatima el Amrani", "email": "f.elamrani@example.nl"},
    )

    assert response.status_code == 201
    person = response.get_json()
    assert (person["external_id"], person["name"]) == ("E-1042", "Fatima el Amrani")
    assert response.headers["Location"].endswith(f"/api/v1/people/{person['id']}")
    assert client.ok("GET", response.headers["Location"]) == person


def test_put_of_a_known_external_id_updates_the_person_with_200(client, organisation):
    first = client.ok("PUT", external(organisation, "E-1042"), {"name": "Fatima"}, status=201)

    response = client.put(external(organisation, "E-1042"), {"name": "Fatima el Amrani"})

    assert response.status_code == 200
    person = response.get_json()
    assert (person["id"], person["name"]) == (first["id"], "Fatima el Amrani")
    assert response.headers["ETag"] == f'"v{first["version"] + 1}"'


def test_put_updates_a_person_made_by_hand_with_that_external_id(client, organisation):
    made = builders.person(client, organisation["id"], external_id="E-7")

    person = client.ok("PUT", external(organisation, "E-7"), {"name": "Renamed by HRIS"})

    assert (person["id"], person["name"]) == (made["id"], "Renamed by HRIS")
    assert people_total(client, organisation) == 1


def test_the_same_put_twice_keeps_version_etag_and_updated_at(client, organisation):
    body = {"name": "Fatima el Amrani", "email": "f.elamrani@example.nl", "active": True}
    first = client.put(external(organisation, "E-1042"), body)

    second = client.put(external(organisation, "E-1042"), body)

    assert second.status_code == 200
    assert second.headers["ETag"] == first.headers["ETag"]
    for field in ("version", "updated_at"):
        assert second.get_json()[field] == first.get_json()[field]


def test_the_same_put_twice_writes_no_second_audit_record(client, organisation):
    team = builders.team(client, organisation["id"])
    body = {"name": "Fatima el Amrani", "email": "f.elamrani@example.nl", "team_id": team["id"]}
    person = client.ok("PUT", external(organisation, "E-1042"), body, status=201)
    client.ok("PUT", external(organisation, "E-1042"), {**body, "name": "Fatima"})
    before = audit_total(client, entity_id=person["id"])

    client.ok("PUT", external(organisation, "E-1042"), {**body, "name": "Fatima"})

    assert before == 2
    assert audit_total(client, entity_id=person["id"]) == before


def test_put_keeps_the_email_team_and_active_it_leaves_out(client, organisation):
    team = builders.team(client, organisation["id"])
    stored = client.ok(
        "PUT",
        external(organisation, "E-1042"),
        {"name": "Fatima", "email": "f@example.nl", "team_id": team["id"], "active": False},
        status=201,
    )

    person = client.ok("PUT", external(organisation, "E-1042"), {"name": "Fatima el Amrani"})

    assert (person["email"], person["team_id"], person["active"]) == (
        "f@example.nl",
        team["id"],
        False,
    )
    assert person["version"] == stored["version"] + 1  # the name changed, nothing else


def test_put_clears_the_email_and_team_it_sends_as_null(client, organisation):
    team = builders.team(client, organisation["id"])
    body = {"name": "Fatima", "email": "f@example.nl", "team_id": team["id"]}
    client.ok("PUT", external(organisation, "E-1042"), body, status=201)

    person = client.ok(
        "PUT", external(organisation, "E-1042"), {"name": "Fatima", "email": None, "team_id": None}
    )

    assert (person["email"], person["team_id"]) == (None, None)
    assert client.ok("GET", external(organisation, "E-1042")) == person


def test_put_of_a_new_person_without_the_optional_fields_gives_the_defaults(client, organisation):
    person = client.ok("PUT", external(organisation, "E-1042"), {"name": "Fatima"}, status=201)

    assert (person["email"], person["team_id"], person["active"]) == (None, None, True)


def test_put_refuses_active_null(client, organisation):
    response = client.put(external(organisation, "E-1042"), {"name": "Fatima", "active": None})

    assert list(assert_problem(response, 422)["errors"]) == ["active"]


def test_a_put_that_leaves_fields_out_resent_changes_nothing(client, organisation):
    team = builders.team(client, organisation["id"])
    body = {"name": "Fatima", "email": "f@example.nl", "team_id": team["id"]}
    first = client.ok("PUT", external(organisation, "E-1042"), body, status=201)

    again = client.ok("PUT", external(organisation, "E-1042"), {"name": "Fatima"})

    assert again == first


def test_put_with_an_outdated_if_match_is_refused_and_changes_nothing(client, organisation):
    client.ok("PUT", external(organisation, "E-1042"), {"name": "Fatima"}, status=201)
    client.ok("PUT", external(organisation, "E-1042"), {"name": "Fatima el Amrani"})

    assert_problem(
        client.put(
            external(organisation, "E-1042"), {"name": "Mine"}, headers={"If-Match": '"v1"'}
        ),
        412,
    )

    assert client.ok("GET", external(organisation, "E-1042"))["name"] == "Fatima el Amrani"


def test_put_with_the_current_if_match_updates(client, organisation):
    first = client.put(external(organisation, "E-1042"), {"name": "Fatima"})

    response = client.put(
        external(organisation, "E-1042"),
        {"name": "Fatima el Amrani"},
        headers={"If-Match": first.headers["ETag"]},
    )

    assert response.status_code == 200
    assert response.get_json()["name"] == "Fatima el Amrani"


def test_put_needs_a_name(client, organisation):
    body = assert_problem(client.put(external(organisation, "E-1"), {"email": "a@b.nl"}), 422)

    assert "name" in body["errors"]
    assert people_total(client, organisation) == 0


def test_put_takes_the_external_id_from_the_path_only(client, organisation):
    body = assert_problem(
        client.put(external(organisation, "E-1"), {"name": "X", "external_id": "E-2"}), 422
    )

    assert "external_id" in body["errors"]


def test_put_refuses_a_team_of_another_organisation(client, organisation):
    foreign_team = builders.team(client, builders.organisation(client)["id"])

    body = assert_problem(
        client.put(external(organisation, "E-1"), {"name": "X", "team_id": foreign_team["id"]}),
        422,
    )

    assert "team_id" in body["errors"]
    assert people_total(client, organisation) == 0


def test_a_person_can_be_read_by_external_id(client, organisation):
    made = builders.person(client, organisation["id"], external_id="E-1042")

    assert client.ok("GET", external(organisation, "E-1042")) == made


def test_reading_an_unknown_external_id_is_404(client, organisation):
    builders.person(client, organisation["id"], external_id="E-1042")

    body = assert_problem(client.get(external(organisation, "E-9999")), 404)

    assert "E-9999" in body["detail"]


def test_an_external_id_of_another_organisation_is_not_found_in_this_one(client, organisation):
    builders.person(client, builders.organisation(client)["id"], external_id="E-1042")

    assert_problem(client.get(external(organisation, "E-1042")), 404)


# --- sync --------------------------------------------------------------------------


def test_sync_creates_everyone_listed_with_a_result_per_item(client, organisation):
    report = sync(
        client,
        organisation,
        [{"external_id": "E-1", "name": "Anna"}, {"external_id": "E-2", "name": "Bram"}],
    )

    assert report["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "deactivated": 0}
    assert [(r["index"], r["external_id"], r["outcome"]) for r in report["results"]] == [
        (0, "E-1", "created"),
        (1, "E-2", "created"),
    ]
    for result in report["results"]:
        assert (
            client.ok("GET", f"/api/v1/people/{result['id']}")["external_id"]
            == (result["external_id"])
        )


def test_sync_reports_updated_and_unchanged_people(client, organisation):
    sync(
        client,
        organisation,
        [{"external_id": "E-1", "name": "Anna"}, {"external_id": "E-2", "name": "Bram"}],
    )

    report = sync(
        client,
        organisation,
        [{"external_id": "E-1", "name": "Anna"}, {"external_id": "E-2", "name": "Bram Bos"}],
    )

    assert [r["outcome"] for r in report["results"]] == ["unchanged", "updated"]
    assert report["counts"] == {"created": 0, "updated": 1, "unchanged": 1, "deactivated": 0}
    assert client.ok("GET", external(organisation, "E-2"))["name"] == "Bram Bos"


def test_sync_updates_people_that_were_put_one_by_one(client, organisation):
    put = client.ok("PUT", external(organisation, "E-1"), {"name": "Anna"}, status=201)

    report = sync(client, organisation, [{"external_id": "E-1", "name": "Anna de Wit"}])

    assert [(r["id"], r["outcome"]) for r in report["results"]] == [(put["id"], "updated")]


def test_sync_with_deactivate_absent_deactivates_leavers_and_keeps_them(client, organisation):
    sync(
        client,
        organisation,
        [{"external_id": "E-1", "name": "Anna"}, {"external_id": "E-2", "name": "Bram"}],
    )

    report = sync(
        client, organisation, [{"external_id": "E-1", "name": "Anna"}], deactivate_absent=True
    )

    leaver = client.ok("GET", external(organisation, "E-2"))
    assert {"index": None, "external_id": "E-2", "outcome": "deactivated", "id": leaver["id"]} in (
        report["results"]
    )
    assert report["counts"]["deactivated"] == 1
    assert (leaver["active"], leaver["name"]) == (False, "Bram")


def test_sync_without_deactivate_absent_leaves_absent_people_active(client, organisation):
    sync(client, organisation, [{"external_id": "E-1", "name": "Anna"}])

    report = sync(client, organisation, [{"external_id": "E-2", "name": "Bram"}])

    assert report["counts"]["deactivated"] == 0
    assert client.ok("GET", external(organisation, "E-1"))["active"] is True


def test_sync_with_deactivate_absent_leaves_people_without_external_id_alone(client, organisation):
    by_hand = builders.person(client, organisation["id"], external_id=None)

    report = sync(
        client, organisation, [{"external_id": "E-1", "name": "Anna"}], deactivate_absent=True
    )

    assert by_hand["id"] not in {r["id"] for r in report["results"]}
    assert client.ok("GET", f"/api/v1/people/{by_hand['id']}") == by_hand


def test_a_full_list_sync_reactivates_a_leaver_who_is_listed_again(client, organisation):
    sync(client, organisation, [{"external_id": "E-1", "name": "Anna"}])
    sync(client, organisation, [], deactivate_absent=True)

    report = sync(
        client, organisation, [{"external_id": "E-1", "name": "Anna"}], deactivate_absent=True
    )

    assert report["results"][0]["outcome"] == "updated"
    assert client.ok("GET", external(organisation, "E-1"))["active"] is True


def test_a_sync_without_deactivate_absent_keeps_a_leaver_inactive_unless_told(client, organisation):
    sync(client, organisation, [{"external_id": "E-1", "name": "Anna"}])
    sync(client, organisation, [], deactivate_absent=True)

    kept = sync(client, organisation, [{"external_id": "E-1", "name": "Anna"}])
    told = sync(client, organisation, [{"external_id": "E-1", "name": "Anna", "active": True}])

    assert [kept["results"][0]["outcome"], told["results"][0]["outcome"]] == [
        "unchanged",
        "updated",
    ]
    assert client.ok("GET", external(organisation, "E-1"))["active"] is True


def test_a_full_list_sync_deactivates_someone_listed_with_active_false(client, organisation):
    sync(client, organisation, [{"external_id": "E-1", "name": "Anna"}])

    report = sync(
        client,
        organisation,
        [{"external_id": "E-1", "name": "Anna", "active": False}],
        deactivate_absent=True,
    )

    assert report["results"][0]["outcome"] == "updated"
    assert client.ok("GET", external(organisation, "E-1"))["active"] is False


def test_a_sync_item_keeps_the_email_and_team_it_leaves_out(client, organisation):
    team = builders.team(client, organisation["id"])
    full = {"external_id": "E-1", "name": "Anna", "email": "anna@example.nl", "team_id": team["id"]}
    sync(client, organisation, [full])

    report = sync(
        client, organisation, [{"external_id": "E-1", "name": "Anna"}], deactivate_absent=True
    )

    person = client.ok("GET", external(organisation, "E-1"))
    assert report["results"][0]["outcome"] == "unchanged"
    assert (person["email"], person["team_id"], person["active"]) == (
        "anna@example.nl",
        team["id"],
        True,
    )


def test_a_sync_item_clears_the_email_and_team_it_sends_as_null(client, organisation):
    team = builders.team(client, organisation["id"])
    full = {"external_id": "E-1", "name": "Anna", "email": "anna@example.nl", "team_id": team["id"]}
    sync(client, organisation, [full])

    report = sync(
        client,
        organisation,
        [{"external_id": "E-1", "name": "Anna", "email": None, "team_id": None}],
    )

    person = client.ok("GET", external(organisation, "E-1"))
    assert report["results"][0]["outcome"] == "updated"
    assert (person["email"], person["team_id"]) == (None, None)


def test_sync_refuses_a_duplicate_external_id_locating_it_and_writes_nothing(client, organisation):
    people = [{"external_id": f"E-{n}", "name": f"Person {n}"} for n in range(3)]
    people.append({"external_id": "E-1", "name": "Again"})

    body = assert_problem(client.post(sync_path(organisation), {"people": people}), 422)

    assert list(body["errors"]) == ["people.3.external_id"]
    assert people_total(client, organisation) == 0


def test_sync_refuses_an_unknown_team_locating_it_and_writes_nothing(client, organisation):
    foreign_team = builders.team(client, builders.organisation(client)["id"])
    people = [
        {"external_id": "E-0", "name": "Anna"},
        {"external_id": "E-1", "name": "Bram", "team_id": foreign_team["id"]},
    ]

    body = assert_problem(client.post(sync_path(organisation), {"people": people}), 422)

    assert list(body["errors"]) == ["people.1.team_id"]
    assert people_total(client, organisation) == 0


def test_sync_locates_every_error_of_the_list_at_once(client, organisation):
    foreign_team = builders.team(client, builders.organisation(client)["id"])
    people = [
        {"external_id": "E-0", "name": "Anna", "team_id": foreign_team["id"]},
        {"external_id": "E-1", "name": "Bram"},
        {"external_id": "E-0", "name": "Anna again"},
    ]

    body = assert_problem(client.post(sync_path(organisation), {"people": people}), 422)

    assert set(body["errors"]) == {"people.0.team_id", "people.2.external_id"}


def test_sync_locates_an_invalid_item_and_writes_nothing(client, organisation):
    people = [
        {"external_id": "E-0", "name": "Anna"},
        {"external_id": "E-1", "name": "Bram"},
        {"external_id": "E-2", "email": "not-an-address"},
    ]

    body = assert_problem(client.post(sync_path(organisation), {"people": people}), 422)

    assert set(body["errors"]) == {"people.2.name", "people.2.email"}
    assert people_total(client, organisation) == 0


def test_a_failed_sync_changes_no_one_already_there(client, organisation):
    sync(client, organisation, [{"external_id": "E-1", "name": "Anna"}])
    people = [
        {"external_id": "E-1", "name": "Anna de Wit"},
        {"external_id": "E-1", "name": "Twice"},
    ]

    assert_problem(
        client.post(sync_path(organisation), {"people": people, "deactivate_absent": True}), 422
    )

    assert client.ok("GET", external(organisation, "E-1"))["name"] == "Anna"


def test_a_sync_repeated_unchanged_reports_everyone_unchanged(client, organisation):
    people = [{"external_id": f"E-{n}", "name": f"Person {n}"} for n in range(5)]
    sync(client, organisation, people, deactivate_absent=True)

    report = sync(client, organisation, people, deactivate_absent=True)

    assert {r["outcome"] for r in report["results"]} == {"unchanged"}
    assert report["counts"] == {"created": 0, "updated": 0, "unchanged": 5, "deactivated": 0}


def test_a_sync_repeated_unchanged_writes_no_audit_record(client, organisation):
    team = builders.team(client, organisation["id"])
    people = [
        {"external_id": f"E-{n}", "name": f"Person {n}", "team_id": team["id"]} for n in range(5)
    ]
    sync(client, organisation, people, deactivate_absent=True)
    before = audit_total(client, entity_type="person")

    sync(client, organisation, people, deactivate_absent=True)

    assert before == 5
    assert audit_total(client, entity_type="person") == before


def test_a_sync_writes_one_audit_record_per_person_it_changes(client, organisation):
    sync(client, organisation, [{"external_id": f"E-{n}", "name": "X"} for n in range(3)])
    before = audit_total(client, entity_type="person")

    sync(
        client,
        organisation,
        [{"external_id": "E-0", "name": "X"}, {"external_id": "E-1", "name": "Y"}],
        deactivate_absent=True,
    )

    assert audit_total(client, entity_type="person") == before + 2  # E-1 renamed, E-2 left
