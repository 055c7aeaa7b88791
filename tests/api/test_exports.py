"""Both exports hold what the project holds: the JSON document and the workbook."""

import csv
import shutil
import subprocess
import uuid
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, update

from repositories import tables as t
from tests import builders

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def rich_project(client):
    return builders.rich_project(client)


def person_ref(client, participant):
    return client.ok("GET", f"/api/v1/people/{participant['person_id']}")["external_id"]


def test_the_json_export_holds_the_whole_project_by_natural_keys(client, rich_project):
    project, team = rich_project
    doc = client.ok("GET", f"/api/v1/projects/{project['id']}/export")
    anna = person_ref(client, team["anna"])
    carla = person_ref(client, team["carla"])

    assert (doc["format"], doc["version"]) == ("od-platform/project", 1)
    assert {p["ref"] for p in doc["people"]} == {person_ref(client, p) for p in team.values()}
    assert "FB" in [c["code"] for c in doc["competences"]]
    p = doc["project"]
    assert p["phase"] == "development"
    assert [t["to"] for t in p["transitions"]] == [
        "service_definition",
        "competence_mapping",
        "development",
    ]
    assert {"text": "Nobody listens.", "anonymous": True, "author": None} in p["intake"][
        "grievances"
    ]
    advice = next(s for s in p["services"] if s["name"] == "Advice")
    assert advice["required_competences"] == [{"competence": "FB", "level": 3}]
    assert {c["person"] for c in advice["contributors"]} == {anna, carla}
    assert advice["feedback"][0]["author_name"] == "CFO"
    assert {"person": carla, "competence": "FB", "level": 4, "source": "coach"} in p["levels"]
    agreement = p["agreements"][0]
    assert (agreement["person"], agreement["coach"], agreement["meeting"]) == (
        anna,
        carla,
        "meeting-1",
    )
    assert agreement["check_ins"][0]["date"] == "2026-11-20"
    assert [(a["coach"], a["external_coach"], a["training"]) for a in p["agreements"][1:]] == [
        (None, {"name": "Ineke de Vries", "organisation": "Coachbureau"}, None),
        (
            None,
            None,
            {
                "title": "Feedback geven",
                "provider": "Academie West",
                "starts_on": "2027-02-01",
                "ends_on": None,
            },
        ),
    ]
    assert p["meetings"][0]["commitments"][0]["text"] == "Share the budget."
    [heard] = p["actions"]
    assert (heard["text"], heard["grievance"], heard["owners"], heard["status"]) == (
        "Nobody listens.",
        "Nobody listens.",
        [carla],
        "done",
    )
    assert heard["status_by"] == person_ref(client, team["bram"])
    assert p["meetings"][1]["action_reports"] == [
        {"person": anna, "commitment": None, "text": "I shared what I knew."}
    ]
    assert p["themes"] == [
        {"theme": "Trust", "progress": [{"person": anna, "steps_done": ["One"]}]}
    ]
    assert not any(key in str(doc) for key in ("'id'", "created_at", "version': 2")), (
        "rows' ids stay out"
    )


def test_the_workbook_reads_back_with_the_matrix_coloured_and_the_spof_marked(client, rich_project):
    project, team = rich_project
    response = client.get(f"/api/v1/projects/{project['id']}/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.get_data()))
    assert book.sheetnames == ["Matrix", "Services", "Dependencies", "Agreements", "Meetings"]

    matrix = book["Matrix"]
    header = [c.value for c in matrix[1]]
    column = header.index("FB") + 1
    rows = {matrix.cell(row=r, column=1).value: r for r in range(2, matrix.max_row + 1)}
    carla_row = rows[person_ref(client, team["carla"])]
    assert matrix.cell(row=carla_row, column=column).value == 4
    assert matrix.cell(row=carla_row, column=column).fill.start_color.rgb.endswith("70AD47")
    assert matrix.cell(row=1, column=column).fill.start_color.rgb.endswith("FF7C80"), (
        "FB hangs on Carla alone"
    )
    assert matrix.cell(row=rows["Single point of failure"], column=column).value == "yes"

    services = {row[0]: row for row in book["Services"].iter_rows(min_row=2, values_only=True)}
    assert services["Advice"][6] == "FB (3)"
    dependencies = list(book["Dependencies"].iter_rows(min_row=2, values_only=True))
    assert (dependencies[0][1], dependencies[0][7]) == ("FB", "yes")
    agreement = next(book["Agreements"].iter_rows(min_row=2, values_only=True))
    assert agreement[:4] == (person_ref(client, team["anna"]), "FB", 1, 3)
    meeting = next(book["Meetings"].iter_rows(min_row=2, values_only=True))
    assert (meeting[1], meeting[2], meeting[5]) == ("joint", "Budget", "Share the budget.")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook_and_reads_the_matrix(client, rich_project, tmp_path):
    project, team = rich_project
    workbook = tmp_path / "project.xlsx"
    workbook.write_bytes(client.get(f"/api/v1/projects/{project['id']}/export.xlsx").get_data())
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader((tmp_path / "project-Matrix.csv").read_text().splitlines()))
    fb = rows[0].index("FB")
    levels = {row[0]: row[fb] for row in rows[1:]}
    assert levels[person_ref(client, team["carla"])] == "4"
    assert levels["Single point of failure"] == "yes"


def test_an_export_is_one_moment_of_a_project_that_changes_meanwhile(app, client, rich_project):
    """An import reads an export back, so its parts must agree even when the project
    changes while it is read: every statement sees what the first one saw. Here the
    project and its services are renamed, in one transaction, right after the export
    has read the project."""
    project, _ = rich_project
    engine = app.extensions["od"].engine
    project_id = uuid.UUID(project["id"])
    changed: list[bool] = []

    def change_after_the_project_is_read(_conn, _cursor, statement, *_args):
        if changed or "FROM projects" not in statement:
            return
        changed.append(True)
        with engine.begin() as other:
            other.execute(
                update(t.projects).where(t.projects.c.id == project_id).values(name="Renamed")
            )
            other.execute(
                update(t.services)
                .where(t.services.c.project_id == project_id)
                .values(name=t.services.c.name + " (renamed)")
            )

    event.listen(engine, "after_cursor_execute", change_after_the_project_is_read)
    try:
        doc = client.ok("GET", f"/api/v1/projects/{project['id']}/export")
    finally:
        event.remove(engine, "after_cursor_execute", change_after_the_project_is_read)

    assert changed
    assert doc["project"]["name"] == project["name"]
    assert all(not s["name"].endswith("(renamed)") for s in doc["project"]["services"])
    later = client.ok("GET", f"/api/v1/projects/{project['id']}/export")["project"]
    assert later["name"] == "Renamed"
    assert all(s["name"].endswith("(renamed)") for s in later["services"])
