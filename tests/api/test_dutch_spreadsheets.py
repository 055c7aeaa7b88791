"""CSV files as Dutch spreadsheet programs write them import as they are: cells separated
by semicolons, text in Windows-1252 (Excel's "CSV") or UTF-8 with a byte-order mark
("CSV UTF-8"), lines ending in CRLF, ja/nee for yes and no, and decimal commas."""

from __future__ import annotations

import pytest

from tests import builders
from tests.api.test_imports import CSV, NDJSON, errors_of, people_of, upload


@pytest.fixture
def organisation(client):
    organisation = builders.organisation(client)
    builders.team(client, organisation["id"], "Klantcontact")
    builders.team(client, organisation["id"], "Zorg; thuis")
    return organisation


def dutch_excel(*lines: str, encoding: str = "cp1252") -> bytes:
    """What Dutch Excel saves: ; between cells, CRLF after each line, Windows-1252."""
    return "".join(line + "\r\n" for line in lines).encode(encoding)


PEOPLE = (
    "external_id;name;email;active;team",
    "E-1;Jeroen van 't Hof;j.vanthof@example.nl;ja;Klantcontact",
    "E-2;Zoë Çelik;;NEE;",
    'E-3;Ingrid Bröcker;i.brocker@example.nl;Waar;"Zorg; thuis"',
    "E-4;Daniël Sánchez-Müller;;onwaar;Klantcontact",
    "E-5;Fleur Smit;;1;",
    "E-6;Bas Jansen;;0;",
)


def test_a_people_file_saved_by_dutch_excel_imports_as_it_is(client, organisation):
    body = dutch_excel(*PEOPLE)
    assert b"Zo\xeb" in body  # Windows-1252 indeed, not UTF-8

    response = upload(client, body, CSV, kind="people", organisation_id=organisation["id"])

    assert response.status_code == 201, response.get_json()
    report = response.get_json()
    assert (report["encoding"], report["delimiter"]) == ("windows-1252", ";")
    assert report["counts"]["people"]["created"] == 6
    people = people_of(client, organisation)
    assert [people[f"E-{n}"]["name"] for n in range(1, 5)] == [
        "Jeroen van 't Hof",
        "Zoë Çelik",
        "Ingrid Bröcker",
        "Daniël Sánchez-Müller",
    ]
    assert [people[f"E-{n}"]["active"] for n in range(1, 7)] == [
        True,
        False,
        True,
        False,
        True,
        False,
    ]
    assert people["E-3"]["team_id"] != people["E-1"]["team_id"] is not None
    assert people["E-1"]["email"] == "j.vanthof@example.nl"
    assert client.ok("GET", f"/api/v1/imports/{report['id']}")["encoding"] == "windows-1252"


def test_a_csv_utf8_file_with_a_byte_order_mark_and_tabs_imports(client, organisation):
    body = b"\xef\xbb\xbf" + "\r\n".join(
        line.replace(";", "\t").replace('"Zorg\t thuis"', "Zorg; thuis") for line in PEOPLE
    ).encode("utf-8")

    response = upload(client, body, CSV, kind="people", organisation_id=organisation["id"])

    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["encoding"], response.get_json()["delimiter"]) == (
        "utf-8-sig",
        "\t",
    )
    assert people_of(client, organisation)["E-2"]["name"] == "Zoë Çelik"


def test_a_comma_separated_utf8_file_is_read_as_utf8(client, organisation):
    body = "external_id,name\nE-1,Zoë\n".encode()

    report = upload(client, body, CSV, kind="people", organisation_id=organisation["id"])

    assert (report.get_json()["encoding"], report.get_json()["delimiter"]) == ("utf-8", ",")
    assert people_of(client, organisation)["E-1"]["name"] == "Zoë"


def test_windows_1252_first_met_deep_into_the_file_is_still_read_as_such(client, organisation):
    lines = ["external_id;name"] + [f"E-{n};Person {n}" for n in range(5000)]
    body = dutch_excel(*lines, "E-zoe;Zoë")

    response = upload(client, body, CSV, kind="people", organisation_id=organisation["id"])

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["encoding"] == "windows-1252"
    assert people_of_one(client, organisation, "E-zoe")["name"] == "Zoë"


def people_of_one(client, organisation, external_id):
    return client.ok(
        "GET", f"/api/v1/organisations/{organisation['id']}/people/external/{external_id}"
    )


def test_a_utf8_file_with_a_windows_1252_byte_later_is_refused(client, organisation, engine):
    body = "external_id;name\r\nE-1;Zoë\r\n".encode() + "E-2;Daniël\r\n".encode("cp1252")

    errors = errors_of(upload(client, body, CSV, kind="people", organisation_id=organisation["id"]))

    assert any("neither UTF-8 nor Windows-1252" in m for ms in errors.values() for m in ms)
    assert people_of(client, organisation) == {}


def test_a_yes_or_no_that_is_neither_is_named(client, organisation):
    body = dutch_excel("external_id;name;active", "E-1;Anna;misschien")

    errors = errors_of(upload(client, body, CSV, kind="people", organisation_id=organisation["id"]))

    assert list(errors) == ["line 2: active"]


def test_ndjson_takes_ja_and_nee_too(client, organisation):
    body = '{"external_id": "E-1", "name": "Anna", "active": "Nee"}\n'

    upload(client, body, NDJSON, kind="people", organisation_id=organisation["id"])

    assert people_of(client, organisation)["E-1"]["active"] is False


def test_levels_written_with_a_decimal_comma_import_and_a_fraction_is_refused(client):
    project, (anna, bram) = builders.project_in(client, "competence_mapping")
    builders.competence(client, "FB")
    a, b = (
        client.ok("GET", f"/api/v1/people/{p['person_id']}")["external_id"] for p in (anna, bram)
    )
    good = dutch_excel("person;competence;level", f"{a};FB;3,0", f"{b};FB;2")
    bad = dutch_excel("person;competence;level", f"{a};FB;2,5")

    applied = upload(client, good, CSV, kind="levels", project_id=project["id"])
    refused = upload(client, bad, CSV, kind="levels", project_id=project["id"])

    assert applied.status_code == 201, applied.get_json()
    levels = client.ok("GET", f"/api/v1/projects/{project['id']}/export")["project"]["levels"]
    assert sorted((lv["person"], lv["level"]) for lv in levels if lv["competence"] == "FB") == (
        sorted([(a, 3), (b, 2)])
    )
    assert list(errors_of(refused)) == ["line 2: level"]
