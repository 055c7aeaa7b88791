"""Dutch and English: every text the platform writes is answered in the language the
request asks for (Accept-Language), else in the workspace's own, and says which."""

from __future__ import annotations

import uuid
from io import BytesIO

from openpyxl import load_workbook

from tests import builders
from tests.client import ApiClient, assert_problem

DUTCH = {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def project_path(project) -> str:
    return f"/api/v1/projects/{project['id']}"


def test_a_404_is_in_english_by_default_and_in_dutch_when_asked(client):
    path = f"/api/v1/projects/{uuid.uuid4()}"

    english = client.get(path)
    dutch = client.get(path, headers=DUTCH)

    assert assert_problem(english, 404)["detail"].startswith("No project ")
    assert english.headers["Content-Language"] == "en"
    body = assert_problem(dutch, 404)
    assert (body["title"], body["detail"]) == (
        "Niet gevonden",
        f"Geen project {path[-36:]} gevonden.",
    )
    assert body["type"] == "urn:od:problem:not-found"  # codes stay as they are
    assert dutch.headers["Content-Language"] == "nl"
    assert "Accept-Language" in dutch.headers["Vary"]


def test_a_validation_problem_names_each_field_in_the_asked_language(client):
    wrong = {"name": "Team", "organisation_id": "not a uuid", "extra": 1}

    english = assert_problem(client.post("/api/v1/projects", wrong), 422)
    dutch = assert_problem(client.post("/api/v1/projects", wrong, headers=DUTCH), 422)

    assert english["errors"]["organisation_id"] == ["Not a valid UUID."]
    assert english["errors"]["extra"] == ["Unknown field."]
    assert dutch["detail"] == "Het verzoek is niet geldig: zie errors voor elk veld."
    assert dutch["errors"]["organisation_id"] == ["Geen geldige UUID."]
    assert dutch["errors"]["extra"] == ["Onbekend veld."]
    assert set(dutch["errors"]) == set(english["errors"])  # the keys are not translated


def test_a_problem_before_any_key_is_known_follows_the_request(app):
    response = app.test_client().get("/api/v1/projects", headers=DUTCH)

    body = assert_problem(response, 401)
    assert body["detail"].startswith("Stuur een geldige API-sleutel of toegangstoken")
    assert response.headers["Content-Language"] == "nl"


def test_the_workspace_language_is_the_default_an_admin_sets(workspace):
    admin, viewer = workspace.admin, workspace.client("viewer")
    assert admin.ok("GET", "/api/v1/workspace")["language"] == "en"

    changed = admin.ok("PATCH", "/api/v1/workspace", {"language": "nl"})

    assert changed["language"] == "nl"
    missing = f"/api/v1/projects/{uuid.uuid4()}"
    unasked = viewer.get(missing)  # another key of the workspace: the same default
    assert unasked.headers["Content-Language"] == "nl"
    assert assert_problem(unasked, 404)["title"] == "Niet gevonden"
    asked = viewer.get(missing, headers=ENGLISH)  # the request's own language wins
    assert (asked.headers["Content-Language"], asked.get_json()["title"]) == ("en", "Not found")
    other = viewer.get(missing, headers={"Accept-Language": "fr"})  # neither: the default
    assert other.headers["Content-Language"] == "nl"
    assert builders.audit_trail(admin, entity_type="workspace")[0]["changed_fields"] == ["language"]


def test_only_a_language_of_the_catalogue_can_be_the_default(client):
    body = assert_problem(client.patch("/api/v1/workspace", {"language": "fr"}, headers=DUTCH), 422)

    assert body["errors"]["language"] == ["Moet een van deze waarden zijn: en, nl."]
    assert client.ok("GET", "/api/v1/workspace")["language"] == "en"


def test_every_answer_names_its_language(client):
    organisation = client.ok("POST", "/api/v1/organisations", {"name": "Gemeente"})
    answers = [
        client.get("/api/v1/organisations", headers=DUTCH),
        client.get(f"/api/v1/organisations/{organisation['id']}"),
        client.post("/api/v1/organisations", {"name": "Provincie"}, headers=DUTCH),
    ]

    assert [a.headers["Content-Language"] for a in answers] == ["nl", "en", "nl"]
    assert all("Accept-Language" in a.headers["Vary"] for a in answers)


def test_a_replayed_answer_keeps_the_language_it_was_written_in(client):
    key = {"Idempotency-Key": "org-1"}
    client.post("/api/v1/organisations", {"name": "Gemeente"}, headers={**key, **DUTCH})

    replay = client.post("/api/v1/organisations", {"name": "Gemeente"}, headers=key)

    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.headers["Content-Language"] == "nl"


def test_a_refused_transition_lists_its_unmet_conditions_in_dutch(client):
    project = builders.project(client)
    transitions = f"{project_path(project)}/transitions"

    english = assert_problem(client.post(transitions, {"to": "service_definition"}), 409)
    dutch = assert_problem(
        client.post(transitions, {"to": "service_definition"}, headers=DUTCH), 409
    )

    assert english["detail"] == (
        "The project cannot move to service definition yet: 3 conditions unmet."
    )
    assert dutch["title"] == "Nog niet klaar voor de volgende fase"
    assert dutch["detail"] == (
        "Het project kan nog niet door naar de fase dienstdefinitie: aan 3 voorwaarden is nog "
        "niet voldaan."
    )
    assert [u["code"] for u in dutch["unmet"]] == [u["code"] for u in english["unmet"]]
    assert dutch["unmet"][0]["message"] == (
        "Leg minimaal één constatering over de actuele situatie vast."
    )
    checklist = client.ok("GET", f"{project_path(project)}/checklist", headers=DUTCH)
    assert checklist["unmet"] == dutch["unmet"]


def test_a_rule_violation_is_answered_in_dutch_field_by_field(client):
    project, _members = builders.project_in(client, "service_definition")
    back = f"{project_path(project)}/transitions"

    body = assert_problem(client.post(back, {"to": "intake"}, headers=DUTCH), 422)

    message = "Voor het terugzetten van een project naar de vorige fase is een reden nodig."
    assert body["errors"] == {"reason": [message]}
    assert body["violations"][0]["code"] == "required"
    assert body["detail"] == f"reason: {message}"


def test_priorities_give_their_reasons_in_the_asked_language(client):
    team = builders.coached_team(client)
    path = f"{project_path(team.project)}/priorities"

    [english] = client.ok("GET", path)
    [dutch] = client.ok("GET", path, headers=DUTCH)

    assert english["reason"].startswith("Needed by 1 service and held by 1 team member")
    assert dutch["reason"].startswith(
        "Nodig voor 1 dienst en op het vereiste niveau beheerst door 1 teamlid; nummer 1 van 1"
    )
    assert dutch["reason"].endswith(
        "Een kwetsbare plek: het team leunt op één persoon of op niemand."
    )
    assert {k: v for k, v in dutch.items() if k != "reason"} == {
        k: v for k, v in english.items() if k != "reason"
    }


def test_theme_progress_reads_as_seed_001_writes_it_in_dutch(client):
    made = builders.theme(client, steps=4)
    project = builders.project(client)
    anna = builders.participant(client, project)
    client.ok("POST", f"{project_path(project)}/themes", {"theme_id": made["id"]})
    progress = f"{project_path(project)}/themes/{made['id']}/progress/{anna['id']}"
    client.ok("PUT", progress, {"steps_done": [made["steps"][0]["id"]]})

    assert client.ok("GET", progress)["text"] == "1 of 4 steps done, 25%"
    assert client.ok("GET", progress, headers=DUTCH)["text"] == "1 van 4 stappen gedaan, 25%"


def test_the_workbook_is_in_dutch_and_reads_back_as_an_update(client):
    project, _team = builders.rich_project(client)
    path = f"{project_path(project)}/export.xlsx"

    response = client.get(path, headers=DUTCH)

    assert response.headers["Content-Language"] == "nl"
    book = load_workbook(BytesIO(response.get_data()))
    assert book.sheetnames == [
        "Competentiematrix",
        "Diensten",
        "Afhankelijkheden",
        "Ontwikkelafspraken",
        "Bijeenkomsten",
    ]
    assert [c.value for c in book["Diensten"][1]][:4] == [
        "Dienst",
        "Interne klanten",
        "Concrete bijdragen",
        "Indicatoren",
    ]
    matrix = book["Competentiematrix"]
    assert matrix.cell(row=matrix.max_row, column=1).value == "Kwetsbare plek"
    english = load_workbook(BytesIO(client.get(path).get_data()))
    assert english.sheetnames[:2] == ["Matrix", "Services"]

    matrix["D2"] = "hoog"  # a Dutch workbook is read back, its cells named as they are
    edited = BytesIO()
    book.save(edited)
    refused = client.post(
        f"/api/v1/imports?project_id={project['id']}",
        data=edited.getvalue(),
        headers={"Content-Type": XLSX, **DUTCH},
    )
    body = assert_problem(refused, 422)
    assert body["detail"] == (
        "Er is niets geïmporteerd: 1 probleem in het bestand; bij elk staat waar het zit."
    )
    assert body["errors"] == {
        "Competentiematrix!D2: level": ["Een niveau is een geheel getal van 0 tot en met 4."]
    }


def test_an_import_names_its_problems_in_dutch(client):
    organisation = builders.organisation(client)
    refused = client.post(
        f"/api/v1/imports?kind=people&organisation_id={organisation['id']}",
        data=b"external_id,name,colour\nE-1,Anna,blue\n",
        headers={"Content-Type": "text/csv", **DUTCH},
    )

    body = assert_problem(refused, 422)
    assert body["errors"] == {
        "line 1: header": [
            "Onbekende kolom 'colour'; de kolommen zijn: external_id, name, email, active, team."
        ]
    }


def test_a_pulse_survey_refuses_a_second_answer_and_withholds_results_in_dutch(client):
    project, people = builders.project_in(client, "intake", members=3)
    question = {"kind": "scale", "topic": "trust", "text": "Ik kan hier zeggen wat ik denk."}
    survey = client.ok(
        "POST", f"{project_path(project)}/surveys", {"title": "Puls", "questions": [question]}
    )
    path = f"{project_path(project)}/surveys/{survey['id']}"
    body = {
        "participant_id": people[0]["id"],
        "answers": [{"question_id": survey["questions"][0]["id"], "value": 4}],
    }
    client.ok("POST", f"{path}/responses", body)

    again = client.post(f"{path}/responses", body, headers=DUTCH)
    still_open = client.get(f"{path}/results", headers=DUTCH)
    client.ok("POST", f"{path}/rounds", status=200)  # closes round 1
    closed = client.get(f"{path}/results", headers=DUTCH)

    assert assert_problem(again, 409)["detail"] == (
        "Deze deelnemer heeft in deze ronde al geantwoord."
    )
    assert still_open.get_json()[0]["withheld"].startswith("de ronde loopt nog")
    assert closed.get_json()[0]["withheld"] == "minder dan 3 antwoorden"
    assert client.ok("GET", f"{path}/results")[0]["withheld"] == "fewer than 3 answers"


def test_a_refused_access_token_says_why_in_dutch(app, workspace, oidc):
    app.extensions["od"].tokens.trust(oidc.issuer("a"), workspace.id)
    stranger = ApiClient(app.test_client(), oidc.token(oidc.account("niemand@example.nl")))

    response = stranger.get("/api/v1/organisations", headers=DUTCH)

    assert assert_problem(response, 401)["detail"].startswith(
        "De houder van dit toegangstoken is geen gebruiker van deze werkomgeving"
    )
    assert response.headers["Content-Language"] == "nl"


def test_the_competence_scale_of_the_matrix_reads_in_dutch(client):
    project, _people = builders.project_in(client, "competence_mapping")

    matrix = client.get(f"{project_path(project)}/matrix", headers=DUTCH).get_json()

    assert matrix["scale"]["3"] == "vaardig (kan het zelfstandig)"
    assert client.ok("GET", f"{project_path(project)}/matrix")["scale"]["3"] == (
        "proficient (can do it alone)"
    )


def test_a_webhook_target_that_is_no_web_address_is_refused_in_dutch(client):
    response = client.post("/api/v1/webhooks", json={"url": "ftp://example.nl/hook"}, headers=DUTCH)

    body = assert_problem(response, 422)
    assert body["errors"]["url"] == [
        "Alleen http- en https-URL's met een host kunnen webhooks ontvangen."
    ]
