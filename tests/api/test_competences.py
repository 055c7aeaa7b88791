"""The workspace's competence catalogue: a unique code per workspace, groups without
cycles, and a competence in use archived instead of deleted."""

from uuid import uuid4

import pytest

from tests import builders
from tests.client import assert_problem

COMPETENCES = "/api/v1/competences"


def codes(listed):
    return sorted(c["code"] for c in listed)


def regroup(client, competence, parent):
    return client.patch(f"{COMPETENCES}/{competence['id']}", {"parent_id": parent["id"]})


# --- codes ---------------------------------------------------------------------------


def test_a_code_is_unique_in_the_workspace(client):
    builders.competence(client, "COMM-FB")

    refused = client.post(COMPETENCES, {"code": "COMM-FB", "name": "Feedback, again"})

    assert list(assert_problem(refused, 422)["errors"]) == ["code"]
    assert codes(client.ok("GET", COMPETENCES)) == ["COMM-FB"]


def test_renaming_to_a_code_in_use_is_refused(client):
    builders.competence(client, "COMM-FB")
    planning = builders.competence(client, "PLAN")

    refused = client.patch(f"{COMPETENCES}/{planning['id']}", {"code": "COMM-FB"})

    assert list(assert_problem(refused, 422)["errors"]) == ["code"]


def test_another_workspace_may_use_the_same_code(client, other_workspace):
    builders.competence(client, "COMM-FB")

    theirs = builders.competence(other_workspace.admin, "COMM-FB")

    assert theirs["code"] == "COMM-FB"
    assert codes(other_workspace.admin.ok("GET", COMPETENCES)) == ["COMM-FB"]


@pytest.mark.parametrize("code", ["COMM FB", "-COMM", ".COMM", "COMM/FB", "C" * 65, ""])
def test_a_code_is_letters_digits_dots_underscores_and_dashes(client, code):
    refused = client.post(COMPETENCES, {"code": code, "name": "Giving feedback"})

    assert "code" in assert_problem(refused, 422)["errors"]
    assert client.ok("GET", COMPETENCES) == []


def test_a_code_may_mix_every_allowed_character(client):
    assert builders.competence(client, "Comm.FB_2-b")["code"] == "Comm.FB_2-b"


# --- groups --------------------------------------------------------------------------


def test_a_parent_must_be_a_known_competence(client):
    refused = client.post(
        COMPETENCES,
        {"code": "COMM-FB", "name": "Giving feedback", "parent_id": str(uuid4())},
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["parent_id"]
    assert client.ok("GET", COMPETENCES) == []


def test_a_parent_of_another_workspace_is_unknown(client, other_workspace):
    theirs = builders.competence(other_workspace.admin, "COMM")

    refused = client.post(
        COMPETENCES, {"code": "COMM-FB", "name": "Giving feedback", "parent_id": theirs["id"]}
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["parent_id"]


def test_a_competence_can_be_grouped_under_another(client):
    communication = builders.competence(client, "COMM")
    feedback = builders.competence(client, "COMM-FB")

    grouped = client.ok(
        "PATCH", f"{COMPETENCES}/{feedback['id']}", {"parent_id": communication["id"]}
    )

    assert grouped["parent_id"] == communication["id"]


def test_a_competence_cannot_be_grouped_under_itself(client):
    communication = builders.competence(client, "COMM")

    refused = regroup(client, communication, communication)

    assert list(assert_problem(refused, 422)["errors"]) == ["parent_id"]
    assert client.ok("GET", f"{COMPETENCES}/{communication['id']}")["parent_id"] is None


def test_a_competence_cannot_be_grouped_under_its_own_child(client):
    communication = builders.competence(client, "COMM")
    feedback = builders.competence(client, "COMM-FB", parent_id=communication["id"])

    refused = regroup(client, communication, feedback)

    assert list(assert_problem(refused, 422)["errors"]) == ["parent_id"]


def test_a_competence_cannot_be_grouped_under_its_grandchild(client):
    communication = builders.competence(client, "COMM")
    feedback = builders.competence(client, "COMM-FB", parent_id=communication["id"])
    critical = builders.competence(client, "COMM-FB-CRIT", parent_id=feedback["id"])

    refused = regroup(client, communication, critical)

    assert list(assert_problem(refused, 422)["errors"]) == ["parent_id"]


def test_a_child_can_move_to_a_sibling_group(client):
    communication = builders.competence(client, "COMM")
    feedback = builders.competence(client, "COMM-FB", parent_id=communication["id"])
    listening = builders.competence(client, "COMM-LISTEN", parent_id=communication["id"])

    moved = client.ok("PATCH", f"{COMPETENCES}/{listening['id']}", {"parent_id": feedback["id"]})

    assert moved["parent_id"] == feedback["id"]


# --- deleting and archiving ----------------------------------------------------------


@pytest.fixture
def required(client):
    """A competence that a service of a project in service_definition requires."""
    project, _members = builders.project_in(client, "service_definition")
    skill = builders.competence(client, "COMM-FB")
    builders.service(client, project, [], needs=[(skill, 3)])
    return project, skill


def test_deleting_an_unused_competence_deletes_it(client):
    unused = builders.competence(client, "COMM-FB")

    client.ok("DELETE", f"{COMPETENCES}/{unused['id']}")

    assert_problem(client.get(f"{COMPETENCES}/{unused['id']}"), 404)
    assert client.ok("GET", COMPETENCES, query_string={"include_archived": "true"}) == []


def test_deleting_a_competence_a_service_requires_archives_it(client, required):
    _project, skill = required

    client.ok("DELETE", f"{COMPETENCES}/{skill['id']}")

    kept = client.ok("GET", f"{COMPETENCES}/{skill['id']}")
    assert kept["archived"] is True
    assert kept["archived_at"] is not None


def test_deleting_a_competence_that_groups_others_archives_it(client):
    communication = builders.competence(client, "COMM")
    builders.competence(client, "COMM-FB", parent_id=communication["id"])

    client.ok("DELETE", f"{COMPETENCES}/{communication['id']}")

    assert client.ok("GET", f"{COMPETENCES}/{communication['id']}")["archived"] is True


def test_an_archived_competence_is_listed_only_on_request(client, required):
    _project, skill = required
    builders.competence(client, "PLAN")
    client.ok("DELETE", f"{COMPETENCES}/{skill['id']}")

    assert codes(client.ok("GET", COMPETENCES)) == ["PLAN"]
    everything = client.ok("GET", COMPETENCES, query_string={"include_archived": "true"})
    assert codes(everything) == ["COMM-FB", "PLAN"]


def test_a_service_still_shows_the_archived_competence_it_required(client, required):
    project, skill = required
    client.ok("DELETE", f"{COMPETENCES}/{skill['id']}")

    (service,) = client.ok("GET", f"/api/v1/projects/{project['id']}/services")

    assert service["required_competences"] == [{"competence_id": skill["id"], "level": 3}]


def test_an_archived_competence_cannot_be_newly_required(client, required):
    project, skill = required
    client.ok("DELETE", f"{COMPETENCES}/{skill['id']}")

    refused = client.post(
        f"/api/v1/projects/{project['id']}/services",
        {"name": "HR advice", "required_competences": [{"competence_id": skill["id"]}]},
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["required_competences.0.competence_id"]


# --- search --------------------------------------------------------------------------


@pytest.fixture
def catalogue(client):
    builders.competence(client, "COMM-FB", name="Giving feedback")
    builders.competence(client, "PLAN", name="Planning the work")
    builders.competence(client, "HR-LAW", name="Labour law")


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("comm", ["COMM-FB"]),
        ("hr-", ["HR-LAW"]),
        ("Planning", ["PLAN"]),
        ("FEEDBACK", ["COMM-FB"]),
        ("la", ["HR-LAW", "PLAN"]),
        ("nothing like it", []),
    ],
)
def test_search_finds_part_of_the_code_or_the_name(client, catalogue, q, found):
    assert codes(client.ok("GET", COMPETENCES, query_string={"q": q})) == found


def test_a_service_may_keep_an_archived_competence_it_already_requires(client, required):
    project, skill = required
    client.ok("DELETE", f"{COMPETENCES}/{skill['id']}")
    (service,) = client.ok("GET", f"/api/v1/projects/{project['id']}/services")
    planning = builders.competence(client, "PLAN")

    changed = client.ok(
        "PATCH",
        f"/api/v1/projects/{project['id']}/services/{service['id']}",
        {
            "required_competences": [
                {"competence_id": skill["id"], "level": 3},
                {"competence_id": planning["id"], "level": 2},
            ]
        },
    )

    assert [r["competence_id"] for r in changed["required_competences"]] == [
        skill["id"],
        planning["id"],
    ]


def test_an_archived_competence_cannot_be_added_to_an_existing_service(client, required):
    project, skill = required
    client.ok("DELETE", f"{COMPETENCES}/{skill['id']}")
    advice = builders.service(client, project, [])

    refused = client.patch(
        f"/api/v1/projects/{project['id']}/services/{advice['id']}",
        {"required_competences": [{"competence_id": skill["id"]}]},
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["required_competences.0.competence_id"]


def test_deleting_a_competence_people_have_a_level_in_archives_it(client):
    project, members = builders.project_in(client, "competence_mapping")
    listening = builders.competence(client, "COMM-LISTEN")
    builders.set_levels(client, project, builders.cells(members, [listening], level=2))

    client.ok("DELETE", f"{COMPETENCES}/{listening['id']}")

    assert client.ok("GET", f"{COMPETENCES}/{listening['id']}")["archived"] is True


def test_deleting_a_competence_someone_wishes_to_develop_archives_it(client):
    project, (anna, _bram) = builders.project_in(client, "competence_mapping")
    listening = builders.competence(client, "COMM-LISTEN")
    client.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/wishes",
        {"participant_id": anna["id"], "competence_id": listening["id"]},
    )

    client.ok("DELETE", f"{COMPETENCES}/{listening['id']}")

    assert client.ok("GET", f"{COMPETENCES}/{listening['id']}")["archived"] is True
