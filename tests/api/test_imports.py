"""POST /imports: a whole project document, a file of one kind of row, or the export
workbook edited in a spreadsheet program; upserted by natural keys, all or nothing; the
report kept at /imports/{id}."""

from __future__ import annotations

import json
from io import BytesIO
from uuid import UUID

import pytest
from openpyxl import load_workbook
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from tests import builders
from tests.client import assert_problem
from tests.contract.estate import footprint

IMPORTS = "/api/v1/imports"
NDJSON, CSV = "application/x-ndjson", "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(api, body: str | bytes, content_type: str, headers=None, **query):
    data = body.encode() if isinstance(body, str) else body
    return api.post(
        IMPORTS,
        data=data,
        headers={"Content-Type": content_type, **(headers or {})},
        query_string=query,
    )


def ndjson(*rows) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def errors_of(response) -> dict[str, list[str]]:
    return assert_problem(response, 422)["errors"]


def export(api, project_id):
    return api.ok("GET", f"/api/v1/projects/{project_id}/export")


@pytest.fixture
def organisation(client):
    organisation = builders.organisation(client)
    builders.team(client, organisation["id"], "Support")
    return organisation


def people_of(client, organisation):
    people = client.ok("GET", f"/api/v1/organisations/{organisation['id']}/people?page_size=100")
    return {p["external_id"]: p for p in people}


# --- the project document ---------------------------------------------------------------


def test_an_export_imported_into_an_empty_workspace_exports_the_same(client, other_workspace):
    project, _team = builders.rich_project(client)
    exported = export(client, project["id"])
    elsewhere = other_workspace.admin

    response = elsewhere.post(IMPORTS, exported)

    assert response.status_code == 201, response.get_json()
    report = response.get_json()
    assert export(elsewhere, report["target_id"]) == exported
    assert report["counts"]["people"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert report["counts"]["levels"]["created"] == len(exported["project"]["levels"])
    assert response.headers["Location"].endswith(f"/imports/{report['id']}")
    assert elsewhere.ok("GET", f"{IMPORTS}/{report['id']}") == report


def test_the_same_document_twice_changes_nothing_the_second_time(client, engine):
    project, _team = builders.rich_project(client)
    exported = export(client, project["id"])
    before = footprint(engine)

    report = client.ok("POST", IMPORTS, exported)

    assert all(c["created"] == c["updated"] == 0 for c in report["counts"].values()), report
    after = footprint(engine)
    changed = {k for k in after if after[k] != before[k]}
    assert changed <= {
        "imports rows",
        "imports versions",
        "audit_records rows",
        "events rows",  # import.completed
        "events versions",
    }
    assert export(client, project["id"]) == exported


def test_a_document_updates_what_it_names_and_says_so(client):
    project, _team = builders.rich_project(client)
    exported = export(client, project["id"])
    exported["project"]["levels"][0]["level"] = (
        0 if exported["project"]["levels"][0]["level"] else 1
    )
    exported["people"][0]["email"] = "new@example.nl"

    report = client.ok("POST", IMPORTS, exported)

    assert report["counts"]["levels"]["updated"] == 1
    assert report["counts"]["people"]["updated"] == 1
    assert (report["target_id"], report["organisation_id"]) == (
        project["id"],
        project["organisation_id"],
    )
    again = export(client, project["id"])
    assert again["project"]["levels"] == exported["project"]["levels"]
    assert again["people"][0]["email"] == "new@example.nl"


def test_a_bad_document_is_refused_whole_with_every_problem_at_its_json_pointer(
    client, other_workspace, engine
):
    project, _team = builders.rich_project(client)
    document = export(client, project["id"])
    document["people"][1]["email"] = "not an e-mail"
    document["project"]["levels"][0]["level"] = 7
    document["project"]["wishes"] = [{"person": "nobody", "competence": "FB"}]
    elsewhere = other_workspace.admin
    before = footprint(engine)

    refused = elsewhere.post(IMPORTS, document)
    first = errors_of(refused)
    pointers = {(v["location"], v["field"]) for v in refused.get_json()["violations"]}
    document["people"][1]["email"] = None
    document["project"]["levels"][0]["level"] = 2
    second = errors_of(elsewhere.post(IMPORTS, document))

    assert set(first) == {"people.1.email", "project.levels.0.level"}
    assert pointers == {("/people/1", "email"), ("/project/levels/0", "level")}
    assert set(second) == {"project.wishes.0.person"}
    assert "nobody" in second["project.wishes.0.person"][0]
    assert footprint(engine) == before


def test_a_document_of_another_format_is_refused(client):
    problem = assert_problem(client.post(IMPORTS, {"format": "csv", "version": 2}), 422)

    assert {"format", "version", "organisation", "project"} <= set(problem["errors"])
    assert {"field": "format", "location": "/"} in [
        {k: v[k] for k in ("field", "location")} for v in problem["violations"]
    ]


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(client, other_workspace, engine):
    project, _team = builders.rich_project(client)
    document = export(client, project["id"])
    elsewhere = other_workspace.admin
    before = footprint(engine)

    response = elsewhere.post(f"{IMPORTS}?dry_run=true", document)

    assert response.status_code == 200
    report = response.get_json()
    assert report["dry_run"] is True
    assert report["counts"]["people"]["created"] == 3
    assert (report["target_id"], report["organisation_id"]) == (None, None)  # none was made
    after = footprint(engine)
    report_alone = {
        "imports rows": 1,
        "imports versions": 1,
        "audit_records rows": 1,
        "events rows": 1,
        "events versions": 1,
    }
    for measure, more in report_alone.items():  # the report, its record and its event
        assert after.pop(measure) == before.pop(measure) + more
    assert after == before
    assert elsewhere.ok("GET", response.headers["Location"]) == report


def test_a_dry_run_of_rows_keeps_its_report_readable_at_its_id(client, organisation):
    rows = ndjson({"external_id": "E-1", "name": "Anna"})

    response = upload(
        client, rows, NDJSON, kind="people", organisation_id=organisation["id"], dry_run="true"
    )

    assert response.status_code == 200
    report = response.get_json()
    assert client.ok("GET", f"{IMPORTS}/{report['id']}") == report
    assert report["dry_run"] is True
    assert people_of(client, organisation) == {}


# --- rows of one kind: NDJSON and CSV -----------------------------------------------------


def test_people_from_ndjson_are_created_then_updated_by_external_id(client, organisation):
    rows = [
        {"external_id": "E-1", "name": "Anna", "email": "anna@example.nl", "team": "Support"},
        {"external_id": "E-2", "name": "Bram"},
    ]
    first = upload(client, ndjson(*rows), NDJSON, kind="people", organisation_id=organisation["id"])
    rows[1]["name"] = "Bram de Vries"
    second = upload(
        client, ndjson(*rows), NDJSON, kind="people", organisation_id=organisation["id"]
    )

    assert first.status_code == second.status_code == 201
    assert first.get_json()["counts"] == {"people": {"created": 2, "updated": 0, "unchanged": 0}}
    assert second.get_json()["counts"] == {"people": {"created": 0, "updated": 1, "unchanged": 1}}
    assert [(i["index"], i["key"], i["outcome"]) for i in second.get_json()["items"]] == [
        (1, "E-1", "unchanged"),
        (2, "E-2", "updated"),
    ]
    people = people_of(client, organisation)
    assert people["E-2"]["name"] == "Bram de Vries"
    assert people["E-1"]["team_id"] is not None


def test_an_ndjson_line_that_is_not_json_is_named_not_a_server_error(client, organisation):
    """Python's reader refuses an integer of over 4,300 digits with a plain ValueError,
    not the decode error of malformed JSON; both are the file's fault."""
    body = '{"external_id": "E-1", "name": "Anna"}\n{"external_id": 1' + "9" * 5000 + "}\n{x\n"

    errors = errors_of(
        upload(client, body, NDJSON, kind="people", organisation_id=organisation["id"])
    )

    messages = [m for ms in errors.values() for m in ms]
    assert len(messages) == 2, errors
    assert all(m.startswith("Not valid JSON: ") for m in messages)
    assert any("digits" in m for m in messages)
    assert people_of(client, organisation) == {}


def test_people_from_csv_with_a_byte_order_mark_and_columns_in_any_order(client, organisation):
    body = "\ufeffname,external_id,active,email\nAnna,E-1,false,\nBram,E-2,,bram@example.nl\n"

    report = upload(client, body, CSV, kind="people", organisation_id=organisation["id"])

    assert report.status_code == 201, report.get_json()
    people = people_of(client, organisation)
    assert (people["E-1"]["active"], people["E-1"]["email"]) == (False, None)
    assert (people["E-2"]["active"], people["E-2"]["email"]) == (True, "bram@example.nl")


def _stored_anna(client, organisation):
    first = ndjson(
        {"external_id": "E-1", "name": "Anna", "email": "anna@example.nl", "team": "Support"},
        {"external_id": "E-2", "name": "Bram", "email": "bram@example.nl", "active": False},
    )
    upload(client, first, NDJSON, kind="people", organisation_id=organisation["id"])
    return people_of(client, organisation)


def test_a_people_csv_keeps_what_its_header_leaves_out(client, organisation):
    before = _stored_anna(client, organisation)

    report = upload(
        client,
        "external_id,name\nE-1,Anna\nE-2,Bram\n",
        CSV,
        kind="people",
        organisation_id=organisation["id"],
    )

    assert report.get_json()["counts"]["people"]["unchanged"] == 2
    assert people_of(client, organisation) == before


def test_an_empty_cell_of_a_people_csv_clears_the_email_or_team(client, organisation):
    before = _stored_anna(client, organisation)

    report = upload(
        client,
        "external_id,name,email,team,active\nE-1,Anna,,,\nE-2,Bram,,,\n",
        CSV,
        kind="people",
        organisation_id=organisation["id"],
    )

    assert report.status_code == 201, report.get_json()
    people = people_of(client, organisation)
    assert (people["E-1"]["email"], people["E-1"]["team_id"]) == (None, None)
    # active cannot be empty: an empty cell is a missing value, and keeps it
    assert (people["E-1"]["active"], people["E-2"]["active"]) == (True, False)
    assert before["E-1"]["team_id"] is not None


def test_people_ndjson_keeps_absent_keys_and_clears_null_ones(client, organisation):
    before = _stored_anna(client, organisation)

    upload(
        client,
        ndjson(
            {"external_id": "E-1", "name": "Anna"},
            {"external_id": "E-2", "name": "Bram", "email": None, "team": None},
        ),
        NDJSON,
        kind="people",
        organisation_id=organisation["id"],
    )

    people = people_of(client, organisation)
    assert people["E-1"] == before["E-1"]
    assert (people["E-2"]["email"], people["E-2"]["team_id"], people["E-2"]["active"]) == (
        None,
        None,
        False,
    )


def test_every_bad_row_of_a_csv_is_named_by_line_and_field_and_nothing_is_written(
    client, organisation, engine
):
    body = (
        "external_id,name,email,team\n"
        "E-1,Anna,anna@example.nl,Support\n"
        "E-2,,bram@example.nl,\n"
        "E-3,Carla,not-an-email,\n"
        "E-1,Anna again,,\n"
        "E-4,Dirk,,Nowhere\n"
    )
    before = footprint(engine)

    errors = errors_of(upload(client, body, CSV, kind="people", organisation_id=organisation["id"]))

    assert set(errors) == {
        "line 3: name",
        "line 4: email",
        "line 5: external_id",
        "line 6: team",
    }
    assert "line 2" in errors["line 5: external_id"][0]
    assert footprint(engine) == before


def test_a_csv_with_an_unknown_column_is_refused_at_its_header(client, organisation):
    body = "external_id,name,salary\nE-1,Anna,100\n"

    errors = errors_of(upload(client, body, CSV, kind="people", organisation_id=organisation["id"]))

    assert list(errors) == ["line 1: header"]
    assert "salary" in errors["line 1: header"][0]


def test_a_failing_last_row_after_thousands_of_good_ones_leaves_nothing_behind(
    client, organisation, engine
):
    rows = [{"external_id": f"E-{n}", "name": f"Person {n}"} for n in range(1, 4501)]
    rows.append({"external_id": "E-last", "name": "Last", "active": "perhaps"})
    before = footprint(engine)

    errors = errors_of(
        upload(client, ndjson(*rows), NDJSON, kind="people", organisation_id=organisation["id"])
    )

    assert list(errors) == ["line 4501: active"]
    assert footprint(engine) == before


def test_a_database_error_mid_import_leaves_nothing_behind(client, organisation, engine):
    """The database fails on the second chunk's insert: the first chunk goes too."""
    rows = [{"external_id": f"E-{n}", "name": f"Person {n}"} for n in range(1, 3001)]
    inserts = []

    def fail_second_insert(conn, cursor, statement, *args):
        if statement.startswith("INSERT INTO people"):
            inserts.append(statement)
            if len(inserts) == 2:
                raise OperationalError(statement, {}, Exception("the disk is full"))

    before = footprint(engine)
    event.listen(engine, "before_cursor_execute", fail_second_insert)
    try:
        response = upload(
            client, ndjson(*rows), NDJSON, kind="people", organisation_id=organisation["id"]
        )
    finally:
        event.remove(engine, "before_cursor_execute", fail_second_insert)

    problem = assert_problem(response, 503)
    assert "disk" not in json.dumps(problem)
    assert len(inserts) == 2
    assert footprint(engine) == before


def test_the_statements_of_an_import_grow_with_chunks_not_rows(
    client, organisation, count_statements
):
    def statements(how_many: int, start: int) -> int:
        rows = [{"external_id": f"S-{start + n}", "name": "Someone"} for n in range(how_many)]
        with count_statements() as counter:
            response = upload(
                client, ndjson(*rows), NDJSON, kind="people", organisation_id=organisation["id"]
            )
        assert response.status_code == 201
        return counter.count

    assert statements(10, 0) == statements(1500, 100)


def test_levels_wishes_and_contributions_by_external_id_code_and_service_name(client):
    project, (anna, bram) = builders.project_in(client, "competence_mapping")
    fb = builders.competence(client, "FB")
    builders.service(client, project, [anna, bram], needs=[(fb, 3)], name="Advice")
    ref = {
        p["id"]: client.ok("GET", f"/api/v1/people/{p['person_id']}")["external_id"]
        for p in (anna, bram)
    }
    a, b = ref[anna["id"]], ref[bram["id"]]
    target = {"project_id": project["id"]}

    levels = upload(
        client,
        ndjson(
            {"person": a, "competence": "FB", "level": 3, "source": "coach"},
            {"person": b, "competence": "FB", "level": 1},
        ),
        NDJSON,
        kind="levels",
        **target,
    )
    wishes = upload(
        client, f"person,competence,motivation\n{b},FB,I want to\n", CSV, kind="wishes", **target
    )
    contributions = upload(
        client,
        f"service,person,contribution\nAdvice,{a},Leads the intake\n",
        CSV,
        kind="contributions",
        **target,
    )

    assert [r.status_code for r in (levels, wishes, contributions)] == [201, 201, 201]
    assert contributions.get_json()["counts"]["contributions"]["updated"] == 1
    doc = export(client, project["id"])["project"]
    assert {"person": a, "competence": "FB", "level": 3, "source": "coach"} in doc["levels"]
    assert {"person": b, "competence": "FB", "level": 1, "source": "import"} in doc["levels"]
    assert {"person": b, "competence": "FB", "motivation": "I want to"} in doc["wishes"]
    advice = next(s for s in doc["services"] if s["name"] == "Advice")
    assert {"person": a, "contribution": "Leads the intake"} in advice["contributors"]
    history = client.ok(
        "GET", f"/api/v1/projects/{project['id']}/matrix/history?competence_id={fb['id']}"
    )
    assert sorted((h["level"], h["source"]) for h in history) == [(1, "import"), (3, "coach")]


def test_rows_naming_what_the_project_does_not_hold_are_located(client, engine):
    project, _team = builders.project_in(client, "competence_mapping")
    builders.competence(client, "FB")
    before = footprint(engine)

    errors = errors_of(
        upload(
            client,
            ndjson(
                {"person": "ghost", "competence": "FB", "level": 3},
                {"person": "ghost", "competence": "NOPE", "level": 2.5},
                "not an object",
            )
            + "{broken\n",
            NDJSON,
            kind="levels",
            project_id=project["id"],
        )
    )

    assert set(errors) == {"line 1: person", "line 2: level", "line 3", "line 4"}
    assert footprint(engine) == before


def test_competences_from_csv_with_parents_before_children(client):
    body = "code,name,parent\nCOMM,Communication,\nCOMM.FB,Giving feedback,COMM\n"

    report = upload(client, body, CSV, kind="competences")

    assert report.status_code == 201, report.get_json()
    competences = {c["code"]: c for c in client.ok("GET", "/api/v1/competences")}
    assert competences["COMM.FB"]["parent_id"] == competences["COMM"]["id"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({}, "query.kind"), ({"kind": "people"}, "query.organisation_id")],
    ids=["no kind", "no organisation"],
)
def test_a_file_of_rows_needs_its_kind_and_target(client, query, field):
    assert field in errors_of(upload(client, '{"name": "x"}\n', NDJSON, **query))


def test_an_empty_file_is_refused(client, organisation):
    errors = errors_of(
        upload(client, "\n", NDJSON, kind="people", organisation_id=organisation["id"])
    )

    assert "body" in errors


def test_an_upload_of_another_type_is_415(client):
    response = upload(client, "a,b", "text/plain", kind="people")

    assert_problem(response, 415)
    assert CSV in response.headers["Accept-Post"]


def test_a_retried_upload_with_the_same_idempotency_key_applies_once(client, organisation):
    body = ndjson({"external_id": "E-1", "name": "Anna"})
    key = {"Idempotency-Key": "people-2026-11-23"}
    query = {"kind": "people", "organisation_id": organisation["id"]}

    first = upload(client, body, NDJSON, headers=key, **query)
    again = upload(client, body, NDJSON, headers=key, **query)

    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.get_json()["counts"]["people"]["created"] == 1


def test_an_import_report_of_another_workspace_is_not_found(client, other_workspace, organisation):
    report = upload(
        client,
        ndjson({"external_id": "E-1", "name": "A"}),
        NDJSON,
        kind="people",
        organisation_id=organisation["id"],
    ).get_json()

    assert_problem(other_workspace.admin.get(f"{IMPORTS}/{report['id']}"), 404)


def test_people_go_only_into_an_organisation_of_the_workspace(client, other_workspace):
    theirs = builders.organisation(other_workspace.admin)

    response = upload(
        client,
        ndjson({"external_id": "E-1", "name": "A"}),
        NDJSON,
        kind="people",
        organisation_id=theirs["id"],
    )

    assert_problem(response, 404)


# --- the workbook -------------------------------------------------------------------------


def edited(workbook: bytes, edit) -> bytes:
    book = load_workbook(BytesIO(workbook))
    edit(book)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_edited_workbook_updates_the_levels_and_services_it_names(client):
    project, _team = builders.rich_project(client)
    base = f"/api/v1/projects/{project['id']}"
    original = client.get(f"{base}/export.xlsx").data
    before = export(client, project["id"])

    unchanged = upload(client, original, XLSX, project_id=project["id"])
    after_unchanged = export(client, project["id"])

    def raise_first_level_and_add_an_indicator(book):
        matrix, services = book["Matrix"], book["Services"]
        matrix["D2"] = 4 if matrix["D2"].value != 4 else 3
        services["D2"] = (services["D2"].value or "") + "\nAnswered within a day"

    changed = upload(
        client,
        edited(original, raise_first_level_and_add_an_indicator),
        XLSX,
        project_id=project["id"],
    )

    assert unchanged.status_code == 201, unchanged.get_json()
    counts = unchanged.get_json()["counts"]
    assert all(c["created"] == c["updated"] == 0 for c in counts.values()), counts
    assert after_unchanged == before
    assert changed.status_code == 201, changed.get_json()
    assert changed.get_json()["counts"]["levels"]["updated"] == 1
    assert changed.get_json()["counts"]["services"]["updated"] == 1
    assert changed.get_json()["organisation_id"] == project["organisation_id"]
    after = export(client, project["id"])["project"]
    assert len(after["services"]) == len(before["project"]["services"])
    assert "Answered within a day" in after["services"][0]["indicators"]


def test_a_workbook_cell_that_is_not_a_level_is_named_by_its_cell(client, engine):
    project, _team = builders.rich_project(client)
    original = client.get(f"/api/v1/projects/{project['id']}/export.xlsx").data

    def spoil(book):
        book["Matrix"]["D2"] = "high"

    before = footprint(engine)
    errors = errors_of(upload(client, edited(original, spoil), XLSX, project_id=project["id"]))

    assert list(errors) == ["Matrix!D2: level"]
    assert footprint(engine) == before


def test_a_file_that_is_not_a_workbook_is_refused(client):
    project, _team = builders.project_in(client, "competence_mapping")

    assert "body" in errors_of(upload(client, b"PK not really", XLSX, project_id=project["id"]))


def test_the_items_are_written_as_their_documented_schema_dumps_them():
    from api.resources.imports.schemas import ImportedItemSchema, ImportReportSchema
    from domain.imports import ImportedItem, Outcome

    items = [ImportedItem(3, "people", "E-1", Outcome.CREATED)]
    items.append(ImportedItem(4, "levels", "E-1/C-2", Outcome.UNCHANGED))
    dumped = ImportReportSchema(only=("items",)).dump({"items": items})["items"]
    assert dumped == ImportedItemSchema(many=True).dump(items)


def test_a_key_restricted_to_an_organisation_reads_only_the_import_reports_it_may_see(
    workspace, client
):
    mine, other = builders.organisation(client), builders.organisation(client)
    restricted = workspace.client("consultant", organisation_id=UUID(mine["id"]))
    person = {"external_id": "E-1", "name": "An Jansen"}
    into_mine = upload(client, ndjson(person), NDJSON, kind="people", organisation_id=mine["id"])
    into_other = upload(client, ndjson(person), NDJSON, kind="people", organisation_id=other["id"])
    competences = upload(
        client, ndjson({"code": "FAC", "name": "Facilitating"}), NDJSON, kind="competences"
    )

    assert (
        restricted.ok("GET", f"{IMPORTS}/{into_mine.get_json()['id']}")["organisation_id"]
        == (mine["id"])
    )
    assert (
        restricted.ok("GET", f"{IMPORTS}/{competences.get_json()['id']}")["organisation_id"] is None
    )
    assert_problem(restricted.get(f"{IMPORTS}/{into_other.get_json()['id']}"), 404)
    assert (
        client.ok("GET", f"{IMPORTS}/{into_other.get_json()['id']}")["organisation_id"]
        == (other["id"])
    )


def test_a_document_agreement_with_two_kinds_of_coaching_is_refused_at_its_pointer(
    client, other_workspace, engine
):
    project, _team = builders.rich_project(client)
    document = export(client, project["id"])
    document["project"]["agreements"][1]["training"] = {"title": "Course", "provider": "School"}
    document["project"]["agreements"][2]["training"] = None
    before = footprint(engine)

    refused = other_workspace.admin.post(IMPORTS, document)

    violations = assert_problem(refused, 422)["violations"]
    assert [(v["location"], v["code"]) for v in violations] == [
        ("/project/agreements/1", "coaching_ambiguous"),
        ("/project/agreements/2", "no_coaching"),
    ]
    assert footprint(engine) == before
