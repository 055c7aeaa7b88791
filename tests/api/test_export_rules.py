"""Rules of the project export that an importing script relies on: every person has one
ref used everywhere, erased people stay referenced, parents come before children, other
workspaces' projects stay hidden, and reading a project costs the same whatever its size."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests import builders
from tests.client import assert_problem


def export(client, project):
    return client.ok("GET", f"/api/v1/projects/{project['id']}/export")


def ref_of(doc, name):
    [person] = [p for p in doc["people"] if p["name"] == name]
    return person["ref"]


def test_a_person_without_external_id_gets_one_ref_used_everywhere(client):
    project = builders.project(client)
    anna = builders.participant(client, project, external_id=None, name="Anna Zonder")
    base = f"/api/v1/projects/{project['id']}"
    client.ok(
        "PUT",
        f"{base}/intake/readiness/{anna['id']}",
        {"desire": 4, "energy": 3, "feasibility": 3},
        status=201,
    )
    client.ok(
        "POST",
        f"{base}/intake/grievances",
        {"text": "Nobody listens.", "anonymous": False, "participant_id": anna["id"]},
    )
    joint = builders.meeting(client, project, [anna], date="2014-03-10")
    trust = builders.commitment(client, project, joint, owners=[anna])
    evaluation = builders.meeting(client, project, [anna], kind="evaluation", date="2014-05-13")
    builders.action_report(client, project, evaluation, anna, trust)
    theme = builders.theme(client, steps=2)
    client.ok("POST", f"{base}/themes", {"theme_id": theme["id"]})
    client.ok(
        "PUT",
        f"{base}/themes/{theme['id']}/progress/{anna['id']}",
        {"steps_done": [theme["steps"][0]["id"]]},
    )

    doc = export(client, project)

    ref = ref_of(doc, "Anna Zonder")
    assert ref.startswith("person-")
    p = doc["project"]
    assert [x["person"] for x in p["participants"]] == [ref]
    assert [x["person"] for x in p["intake"]["readiness"]] == [ref]
    assert [x["author"] for x in p["intake"]["grievances"]] == [ref]
    joint_doc, evaluation_doc = p["meetings"]
    assert [a["person"] for a in evaluation_doc["attendees"]] == [ref]
    assert joint_doc["commitments"][0]["owners"] == [ref]
    assert [x["person"] for x in evaluation_doc["action_reports"]] == [ref]
    assert [x["person"] for x in p["themes"][0]["progress"]] == [ref]


def test_people_without_external_id_get_distinct_refs(client):
    project = builders.project(client)
    for name in ("Anna", "Bram", "Carla"):
        builders.participant(client, project, external_id=None, name=name)

    doc = export(client, project)

    refs = [p["ref"] for p in doc["people"]]
    assert len(set(refs)) == 3
    assert {x["person"] for x in doc["project"]["participants"]} == set(refs)


def test_a_made_up_ref_never_equals_someone_elses_external_id(client):
    project = builders.project(client)
    builders.participant(client, project, external_id=None, name="Anna")
    builders.participant(client, project, external_id="person-1", name="Bram")
    builders.participant(client, project, external_id="person-2", name="Carla")

    doc = export(client, project)

    refs = [p["ref"] for p in doc["people"]]
    assert len(set(refs)) == 3, refs
    assert (ref_of(doc, "Bram"), ref_of(doc, "Carla")) == ("person-1", "person-2")


def test_an_erased_participant_stays_referenced_without_a_name(client):
    project, (anna, bram) = builders.project_in(client, "service_definition")
    builders.service(client, project, [anna, bram], name="Advice")
    client.ok("DELETE", f"/api/v1/people/{anna['person_id']}")

    doc = export(client, project)

    [erased] = [p for p in doc["people"] if p["name"] is None]
    assert (erased["external_id"], erased["email"]) == (None, None)
    assert erased["ref"] in [x["person"] for x in doc["project"]["participants"]]
    [advice] = doc["project"]["services"]
    assert len(advice["contributors"]) == 2, "the contribution is kept"
    assert erased["ref"] in [c["person"] for c in advice["contributors"]]
    assert "Anna" not in str(doc)
    assert anna["person_id"] not in str(doc)


def test_competences_needed_through_a_child_bring_their_parents_first(client):
    project, (anna, bram) = builders.project_in(client, "service_definition")
    top = builders.competence(client, "Z-TOP")
    middle = builders.competence(client, "M-MIDDLE", parent_id=top["id"])
    leaf = builders.competence(client, "A-LEAF", parent_id=middle["id"])
    builders.service(client, project, [anna, bram], needs=[(leaf, 3)])

    codes = [c["code"] for c in export(client, project)["competences"]]

    assert codes.index("Z-TOP") < codes.index("M-MIDDLE") < codes.index("A-LEAF")
    by_code = {c["code"]: c for c in export(client, project)["competences"]}
    assert (by_code["M-MIDDLE"]["parent"], by_code["A-LEAF"]["parent"]) == ("Z-TOP", "M-MIDDLE")


def test_competences_nobody_in_the_project_refers_to_stay_out(client):
    project, (anna, bram) = builders.project_in(client, "service_definition")
    builders.competence(client, "UNUSED")
    needed = builders.competence(client, "NEEDED")
    builders.service(client, project, [anna, bram], needs=[(needed, 3)])

    codes = [c["code"] for c in export(client, project)["competences"]]

    assert "NEEDED" in codes
    assert "UNUSED" not in codes


@pytest.mark.parametrize("path", ["export", "export.xlsx"])
def test_the_export_of_another_workspaces_project_is_not_found(client, other_workspace, path):
    foreign = builders.project(other_workspace.admin)

    assert_problem(client.get(f"/api/v1/projects/{foreign['id']}/{path}"), 404)


# --- the cost of an export does not grow with the project -------------------------------


def grown(client, members: int) -> dict:
    """A project in development with ``members`` participants who each contribute, hold
    a level, attend two meetings, report, and made progress in a theme."""
    project, people = builders.project_in(client, "development", members=members)
    joint = builders.meeting(client, project, people, date="2014-03-10")
    trust = builders.commitment(client, project, joint)
    evaluation = builders.meeting(client, project, people, kind="evaluation", date="2014-05-13")
    theme = builders.theme(client, steps=2)
    base = f"/api/v1/projects/{project['id']}"
    client.ok("POST", f"{base}/themes", {"theme_id": theme["id"]})
    for someone in people:
        builders.action_report(client, project, evaluation, someone, trust)
        client.ok(
            "PUT",
            f"{base}/themes/{theme['id']}/progress/{someone['id']}",
            {"steps_done": [theme["steps"][0]["id"]]},
        )
    return project


@pytest.mark.parametrize("path", ["export", "export.xlsx"])
def test_an_export_costs_the_same_statements_for_3_and_30_participants(
    client, count_statements, path
):
    small, large = grown(client, 3), grown(client, 30)
    counts = {}
    client.ok("GET", f"/api/v1/projects/{small['id']}/{path}")  # warm-up: the key is cached
    for size, project in (("small", small), ("large", large)):
        with count_statements() as counter:
            response = client.get(f"/api/v1/projects/{project['id']}/{path}")
        assert response.status_code == 200
        counts[size] = counter.count

    assert counts["small"] == counts["large"], counts


def test_the_workbook_names_people_by_the_same_refs_as_the_document(client):
    project = builders.project(client)
    for name, external_id in (("Anna", None), ("Bram", "person-1"), ("Carla", None)):
        builders.participant(client, project, external_id=external_id, name=name)
    doc = export(client, project)

    response = client.get(f"/api/v1/projects/{project['id']}/export.xlsx")

    matrix = load_workbook(BytesIO(response.get_data()))["Matrix"]
    named = {row[1]: row[0] for row in matrix.iter_rows(min_row=2, values_only=True) if row[1]}
    assert named == {p["name"]: p["ref"] for p in doc["people"]}
