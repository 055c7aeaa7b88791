"""GDPR erasure of a person: name and contact data gone everywhere, history kept unattributed."""

from uuid import UUID

import pytest
from sqlalchemy import select

from repositories.tables import audit_records, idempotency_records, people
from tests import builders
from tests.client import assert_problem


@pytest.fixture
def project(client):
    return builders.project(client)


def take_part(client, project, **person_fields):
    """A person of the project's organisation who takes part in it: (person, participant)."""
    person = builders.person(client, project["organisation_id"], **person_fields)
    participant = client.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/participants",
        {"person_id": person["id"], "roles": ["member"]},
    )
    return person, participant


def stored_replays(engine):
    with engine.connect() as connection:
        return [row.body or "" for row in connection.execute(select(idempotency_records))]


def test_erasing_a_participant_answers_204_and_forgets_who_they_were(client, project):
    person, _ = take_part(client, project, name="Fatima el Amrani", external_id="E-1042")

    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    erased = client.ok("GET", f"/api/v1/people/{person['id']}")
    assert (erased["name"], erased["email"], erased["external_id"]) == (None, None, None)
    assert (erased["erased"], erased["active"], erased["team_id"]) == (True, False, None)


def test_an_erased_participant_stays_in_the_project_without_a_name(client, project):
    person, participant = take_part(client, project)

    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    listed = client.ok("GET", f"/api/v1/projects/{project['id']}/participants")
    assert [(p["id"], p["name"], p["roles"]) for p in listed] == [
        (participant["id"], None, ["member"])
    ]


def test_erasure_leaves_nulls_in_the_stored_row(client, project, engine):
    person, _ = take_part(client, project)

    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    with engine.connect() as connection:
        row = connection.execute(select(people).where(people.c.id == UUID(person["id"]))).one()
    assert (row.name, row.email, row.external_id) == (None, None, None)
    assert row.erased_at is not None
    assert person["name"] not in str(tuple(row))


def test_an_erased_persons_external_id_is_free_for_the_hris_again(client, project):
    person, _ = take_part(client, project, external_id="E-1042")
    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    assert_problem(
        client.get(f"/api/v1/organisations/{project['organisation_id']}/people/external/E-1042"),
        404,
    )
    again = builders.person(client, project["organisation_id"], external_id="E-1042")
    assert again["id"] != person["id"]


def test_an_erased_person_cannot_be_edited(client, project):
    person, _ = take_part(client, project)
    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    body = assert_problem(client.patch(f"/api/v1/people/{person['id']}", {"name": "Back"}), 422)

    assert "erased" in body["detail"]
    assert client.ok("GET", f"/api/v1/people/{person['id']}")["name"] is None


def test_erasing_an_erased_person_again_changes_nothing(client, project):
    person, _ = take_part(client, project)
    client.ok("DELETE", f"/api/v1/people/{person['id']}")
    erased = client.ok("GET", f"/api/v1/people/{person['id']}")

    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    assert client.ok("GET", f"/api/v1/people/{person['id']}") == erased


def test_an_erased_person_whose_project_is_gone_is_deleted_when_erased_again(client, project):
    person, _ = take_part(client, project)
    client.ok("DELETE", f"/api/v1/people/{person['id']}")
    client.ok("DELETE", f"/api/v1/projects/{project['id']}")

    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    assert_problem(client.get(f"/api/v1/people/{person['id']}"), 404)


def test_erasing_with_an_outdated_if_match_is_refused(client, project):
    person, _ = take_part(client, project)
    client.ok("PATCH", f"/api/v1/people/{person['id']}", {"email": "new@example.nl"})

    assert_problem(
        client.delete(f"/api/v1/people/{person['id']}", headers={"If-Match": '"v1"'}), 412
    )

    assert client.ok("GET", f"/api/v1/people/{person['id']}")["erased"] is False


def test_a_person_in_no_project_is_deleted(client, project):
    person = builders.person(client, project["organisation_id"])

    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    assert_problem(client.get(f"/api/v1/people/{person['id']}"), 404)


def test_erasure_purges_a_stored_idempotent_response_that_names_the_person(client, project, engine):
    created = client.post(
        f"/api/v1/organisations/{project['organisation_id']}/people",
        {"name": "Fatima el Amrani", "email": "f.elamrani@example.nl"},
        headers={"Idempotency-Key": "import-42"},
    )
    person = created.get_json()
    client.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/participants",
        {"person_id": person["id"], "roles": ["member"]},
    )
    assert any("Fatima el Amrani" in body for body in stored_replays(engine))

    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    assert not any("Fatima el Amrani" in body for body in stored_replays(engine))
    assert not any("f.elamrani@example.nl" in body for body in stored_replays(engine))


def test_deleting_a_person_in_no_project_purges_their_stored_idempotent_response(
    client, project, engine
):
    created = client.post(
        f"/api/v1/organisations/{project['organisation_id']}/people",
        {"name": "Fatima el Amrani", "email": "f.elamrani@example.nl"},
        headers={"Idempotency-Key": "import-43"},
    )
    assert any("Fatima el Amrani" in body for body in stored_replays(engine))

    client.ok("DELETE", f"/api/v1/people/{created.get_json()['id']}")

    assert not any("Fatima el Amrani" in body for body in stored_replays(engine))


def test_erasure_keeps_stored_responses_about_other_people(client, project, engine):
    client.post(
        f"/api/v1/organisations/{project['organisation_id']}/people",
        {"name": "Joost de Vries"},
        headers={"Idempotency-Key": "import-44"},
    )
    person, _ = take_part(client, project)

    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    assert any("Joost de Vries" in body for body in stored_replays(engine))


def test_the_audit_trail_keeps_the_names_of_changed_fields_never_their_values(
    client, project, engine
):
    person, _ = take_part(client, project, name="Fatima el Amrani", email="fatima@example.nl")
    client.ok(
        "PATCH",
        f"/api/v1/people/{person['id']}",
        {"name": "Fatima Bakker", "email": "f.bakker@example.nl"},
    )
    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    with engine.connect() as connection:
        rows = connection.execute(
            select(audit_records)
            .where(audit_records.c.entity_id == UUID(person["id"]))
            .order_by(audit_records.c.created_at)
        ).all()
        everything = str(connection.execute(select(audit_records)).all())

    assert [(r.action, sorted(r.changed_fields)) for r in rows if r.action != "create"] == [
        ("update", ["email", "name"]),
        ("erase", ["active", "email", "erased_at", "external_id", "name"]),
    ]
    for value in ("Fatima", "Bakker", "example.nl", person["external_id"]):
        assert value not in everything
