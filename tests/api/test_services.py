"""Services of a project (seed 004, phase 2): defined from service_definition on, a unique
name in the project, the competences they need at a level of 0–4, and the gate's
explanation of what each one still lacks."""

from uuid import uuid4

import pytest

from tests import builders
from tests.client import assert_problem

MOST_STATEMENTS_PER_READ = 8


@pytest.fixture
def defining(client):
    """A project in service_definition and its two members."""
    return builders.project_in(client, "service_definition")


def services_of(project):
    return f"/api/v1/projects/{project['id']}/services"


def one_service(project, service):
    return f"{services_of(project)}/{service['id']}"


def names(listed):
    return sorted(s["name"] for s in listed)


# --- when and where a service can be defined ----------------------------------------


def test_a_project_in_intake_cannot_define_services_yet(client):
    project, _members = builders.project_in(client, "intake")

    refused = client.post(services_of(project), {"name": "Onboarding"})

    assert assert_problem(refused, 409)["code"] == "phase_not_reached"
    assert client.ok("GET", services_of(project)) == []


def test_a_service_just_defined_counts_every_status_of_its_feedback_at_zero(client, defining):
    project, _members = defining

    created = builders.service(client, project, [], name="Onboarding")

    assert created["feedback_counts"] == {"open": 0, "processed": 0}
    assert created["contributors"] == []


def test_a_service_name_is_unique_in_the_project(client, defining):
    project, _members = defining
    builders.service(client, project, [], name="Onboarding")

    refused = client.post(services_of(project), {"name": "Onboarding"})

    assert list(assert_problem(refused, 422)["errors"]) == ["name"]
    assert names(client.ok("GET", services_of(project))) == ["Onboarding"]


def test_renaming_a_service_to_a_name_in_use_is_refused(client, defining):
    project, _members = defining
    builders.service(client, project, [], name="Onboarding")
    advice = builders.service(client, project, [], name="HR advice")

    refused = client.patch(one_service(project, advice), {"name": "Onboarding"})

    assert list(assert_problem(refused, 422)["errors"]) == ["name"]


def test_another_project_may_use_the_same_service_name(client, defining):
    project, _members = defining
    other, _ = builders.project_in(client, "service_definition")
    builders.service(client, project, [], name="Onboarding")

    assert builders.service(client, other, [], name="Onboarding")["name"] == "Onboarding"


def test_a_viewer_can_list_services_but_not_define_one(client, workspace, defining):
    project, _members = defining
    builders.service(client, project, [], name="Onboarding")
    viewer = workspace.client("viewer")

    assert names(viewer.ok("GET", services_of(project))) == ["Onboarding"]
    assert_problem(viewer.post(services_of(project), {"name": "HR advice"}), 403)
    assert names(client.ok("GET", services_of(project))) == ["Onboarding"]


# --- required competences -----------------------------------------------------------


def test_an_unknown_competence_is_refused_where_it_is_listed_and_nothing_is_written(
    client, defining
):
    project, _members = defining
    known = builders.competence(client)

    refused = client.post(
        services_of(project),
        {
            "name": "Onboarding",
            "required_competences": [
                {"competence_id": known["id"]},
                {"competence_id": str(uuid4())},
            ],
        },
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["required_competences.1.competence_id"]
    assert client.ok("GET", services_of(project)) == []


def test_a_competence_of_another_workspace_is_unknown(client, other_workspace, defining):
    project, _members = defining
    theirs = builders.competence(other_workspace.admin)

    refused = client.post(
        services_of(project),
        {"name": "Onboarding", "required_competences": [{"competence_id": theirs["id"]}]},
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["required_competences.0.competence_id"]


def test_a_competence_required_twice_is_refused(client, defining):
    project, _members = defining
    skill = builders.competence(client)

    refused = client.post(
        services_of(project),
        {
            "name": "Onboarding",
            "required_competences": [
                {"competence_id": skill["id"], "level": 2},
                {"competence_id": skill["id"], "level": 4},
            ],
        },
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["required_competences.1.competence_id"]


@pytest.mark.parametrize("level", [-1, 5])
def test_a_required_level_lies_between_0_and_4(client, defining, level):
    project, _members = defining
    skill = builders.competence(client)

    refused = client.post(
        services_of(project),
        {
            "name": "Onboarding",
            "required_competences": [{"competence_id": skill["id"], "level": level}],
        },
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["required_competences.0.level"]
    assert client.ok("GET", services_of(project)) == []


@pytest.mark.parametrize("level", [0, 4])
def test_the_ends_of_the_scale_are_valid_levels(client, defining, level):
    project, _members = defining
    skill = builders.competence(client)

    made = builders.service(client, project, [], needs=[(skill, level)])

    assert made["required_competences"] == [{"competence_id": skill["id"], "level": level}]


def test_a_required_level_defaults_to_proficient(client, defining):
    project, _members = defining
    skill = builders.competence(client)
    made = builders.service(client, project, [])

    changed = client.ok(
        "PATCH",
        one_service(project, made),
        {"required_competences": [{"competence_id": skill["id"]}]},
    )

    assert changed["required_competences"] == [{"competence_id": skill["id"], "level": 3}]


def test_required_competences_keep_the_order_they_were_given(client, defining):
    project, _members = defining
    first, second, third = (builders.competence(client) for _ in range(3))
    order = [third, first, second]
    made = builders.service(client, project, [], needs=[(c, 2) for c in order])

    stored = client.ok("GET", one_service(project, made))["required_competences"]

    assert [r["competence_id"] for r in stored] == [c["id"] for c in order]


def test_patching_required_competences_replaces_them_in_the_new_order(client, defining):
    project, _members = defining
    first, second, third = (builders.competence(client) for _ in range(3))
    made = builders.service(client, project, [], needs=[(first, 2), (second, 2)])

    client.ok(
        "PATCH",
        one_service(project, made),
        {
            "required_competences": [
                {"competence_id": third["id"], "level": 1},
                {"competence_id": first["id"], "level": 4},
            ]
        },
    )

    assert client.ok("GET", one_service(project, made))["required_competences"] == [
        {"competence_id": third["id"], "level": 1},
        {"competence_id": first["id"], "level": 4},
    ]


# --- deliverables, indicators and deletion ------------------------------------------


def test_patching_deliverables_replaces_the_list(client, defining):
    project, _members = defining
    made = builders.service(
        client, project, [], deliverables=["Workplace ready", "Accounts"], indicators=["Days"]
    )

    client.ok("PATCH", one_service(project, made), {"deliverables": ["Introduction programme"]})

    stored = client.ok("GET", one_service(project, made))
    assert stored["deliverables"] == ["Introduction programme"]
    assert stored["indicators"] == ["Days"]


def test_deleting_a_service_removes_it_with_its_group_and_feedback(client, defining):
    project, (anna, bram) = defining
    onboarding = builders.service(client, project, [anna, bram])
    builders.service(client, project, [anna])
    builders.feedback(client, project, onboarding)

    client.ok("DELETE", one_service(project, onboarding))

    assert_problem(client.get(one_service(project, onboarding)), 404)
    assert_problem(client.get(f"{one_service(project, onboarding)}/contributors"), 404)
    assert client.ok("GET", f"/api/v1/projects/{project['id']}/feedback") == []
    assert client.ok("GET", f"/api/v1/projects/{project['id']}/coordinators") == []


def test_deleting_a_service_leaves_the_other_services_groups(client, defining):
    project, (anna, bram) = defining
    onboarding = builders.service(client, project, [anna, bram])
    advice = builders.service(client, project, [anna, bram])

    client.ok("DELETE", one_service(project, onboarding))

    (left,) = client.ok("GET", services_of(project))
    assert left["id"] == advice["id"]
    assert sorted(c["participant_id"] for c in left["contributors"]) == sorted(
        [anna["id"], bram["id"]]
    )


# --- editing only while the project is in or past service definition ---------------


@pytest.fixture
def moved_back(client, defining):
    """A project with a service, moved back from service_definition to intake."""
    project, (anna, bram) = defining
    made = builders.service(client, project, [anna])
    client.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/transitions",
        {"to": "intake", "reason": "The team wants to talk about trust first."},
        status=201,
    )
    return project, made, anna, bram


EDITS = {
    "change the service": lambda p, s, anna, bram: (
        "PATCH",
        one_service(p, s),
        {"description": "Changed"},
    ),
    "delete the service": lambda p, s, anna, bram: ("DELETE", one_service(p, s), None),
    "define another service": lambda p, s, anna, bram: (
        "POST",
        services_of(p),
        {"name": "HR advice"},
    ),
    "add a contributor": lambda p, s, anna, bram: (
        "POST",
        f"{one_service(p, s)}/contributors",
        {"participant_id": bram["id"]},
    ),
    "reword a contribution": lambda p, s, anna, bram: (
        "PATCH",
        f"{one_service(p, s)}/contributors/{anna['id']}",
        {"contribution": "Changed"},
    ),
    "remove a contributor": lambda p, s, anna, bram: (
        "DELETE",
        f"{one_service(p, s)}/contributors/{anna['id']}",
        None,
    ),
    "give feedback": lambda p, s, anna, bram: (
        "POST",
        f"{one_service(p, s)}/feedback",
        {"text": "More please.", "author_name": "Director"},
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_project_moved_back_to_intake_refuses_service_edits(client, moved_back, edit):
    project, made, anna, bram = moved_back
    method, path, body = EDITS[edit](project, made, anna, bram)

    refused = client.request(method, path, json=body)

    assert assert_problem(refused, 409)["code"] == "phase_not_reached"
    (unchanged,) = client.ok("GET", services_of(project))
    assert unchanged["version"] == made["version"]
    assert [c["participant_id"] for c in unchanged["contributors"]] == [anna["id"]]


def test_a_project_moved_back_to_intake_still_shows_its_services(client, moved_back):
    project, made, *_ = moved_back

    assert client.ok("GET", one_service(project, made))["name"] == made["name"]


# --- the gate into competence_mapping, per service ----------------------------------


def test_a_refused_transition_tells_per_service_what_is_missing_and_why(client, defining):
    project, (anna, _bram) = defining
    made = client.ok("POST", services_of(project), {"name": "Onboarding"})
    builders.contributor(client, project, made, anna)
    builders.feedback(client, project, made)

    refused = client.post(
        f"/api/v1/projects/{project['id']}/transitions", {"to": "competence_mapping"}
    )

    unmet = {u["code"]: u for u in assert_problem(refused, 409)["unmet"]}
    assert sorted(unmet) == [
        "feedback_open",
        "no_deliverables",
        "no_indicators",
        "too_few_contributors",
    ]
    for condition in unmet.values():
        assert condition["subject"] == {"service_id": made["id"]}
        assert "'Onboarding'" in condition["message"]
    assert "1 contributor" in unmet["too_few_contributors"]["message"]
    assert "alone" in unmet["too_few_contributors"]["message"]
    assert "what does the client receive?" in unmet["no_deliverables"]["message"]
    assert "what does the client look at" in unmet["no_indicators"]["message"]
    assert "response" in unmet["feedback_open"]["message"]


def test_the_checklist_lists_only_the_service_that_lacks_something(client, defining):
    project, (anna, bram) = defining
    builders.service(client, project, [anna, bram], name="Onboarding")
    lonely = builders.service(client, project, [anna], name="HR advice")

    checklist = client.ok("GET", f"/api/v1/projects/{project['id']}/checklist")

    assert [(u["code"], u["subject"]) for u in checklist["unmet"]] == [
        ("too_few_contributors", {"service_id": lonely["id"]})
    ]


# --- no N+1 -------------------------------------------------------------------------


def statements_of(app, client, count_statements, path):
    """The statements one GET of ``path`` runs, after a warm-up request that verifies the
    API key afresh, so the key cache cannot expire between it and the counted request."""
    app.extensions["od"].key_cache.clear()
    client.ok("GET", path)
    with count_statements() as counter:
        client.ok("GET", path)
    return counter.statements


def test_listing_services_costs_the_same_few_statements_for_60_as_for_6(
    app, client, count_statements, defining
):
    project, members = defining
    people = members + [builders.participant(client, project) for _ in range(4)]
    needs = [builders.competence(client), builders.competence(client)]
    path = f"{services_of(project)}?page_size=100"

    builders.busy_services(client, project, 6, people, needs)
    small = statements_of(app, client, count_statements, path)
    builders.busy_services(client, project, 54, people, needs)
    listed = client.ok("GET", path)
    large = statements_of(app, client, count_statements, path)

    assert len(listed) == 60
    assert all(len(s["contributors"]) == 2 for s in listed)
    assert all(s["feedback_counts"] == {"open": 1, "processed": 0} for s in listed)
    assert len(large) == len(small), (small, large)
    assert len(small) <= MOST_STATEMENTS_PER_READ, small
