"""The team works in the platform itself: a consultant and three participants sign in
through the local OpenID provider (a real one, ``tests/oidc``); the participants enter
their readiness, contributions, levels and wishes themselves, the phase gates see their
input, and what a participant may not do is refused (403, or 404 outside their project).
An anonymous grievance filed by a participant can be traced to nobody.
"""

import json
import uuid

import pytest
from sqlalchemy import select

from repositories import tables as t
from tests import builders
from tests.client import assert_problem
from tests.contract.estate import database_content


@pytest.fixture
def team(workspace, oidc):
    consultant = workspace.user(oidc, "consultant")
    project = builders.project(consultant)
    participants = [builders.participant(consultant, project) for _ in range(3)]
    users = [workspace.user(oidc, "participant", person_id=p["person_id"]) for p in participants]
    return consultant, project, participants, users


def test_participants_do_their_own_part_and_the_gates_see_it(team, workspace):
    consultant, project, participants, users = team
    base = f"/api/v1/projects/{project['id']}"
    consultant.ok("POST", f"{base}/intake/findings", {"text": "Nobody shares knowledge."})

    # Each finds their own project and participant, then rates their readiness.
    for user, participant in zip(users, participants, strict=True):
        me = user.ok("GET", "/api/v1/users/me")
        assert me["participations"] == [
            {"project_id": project["id"], "participant_id": participant["id"]}
        ]
        rating = {"desire": 4, "energy": 4, "feasibility": 3}
        user.ok("PUT", f"{base}/intake/readiness/{participant['id']}", rating, status=201)
        summary = user.ok("GET", f"{base}/intake/readiness")
        rated = users.index(user) + 1
        assert summary["desire"]["count"] == rated
        assert (summary["desire"]["withheld"] is None) is (rated >= 3)
        assert (summary["desire"]["mean"] is None) is (rated < 3)

    intake = consultant.ok("GET", f"{base}/intake")
    assert intake["readiness"]["members_rated"] == 3
    consultant.ok("PUT", f"{base}/intake/conclusion", {"ready": True, "text": "Ready."})
    builders.move(consultant, project, "service_definition")

    # Each says what they can contribute, then assesses their own level.
    skill = builders.competence(consultant)
    service = builders.service(consultant, project, [], needs=[(skill, 1)])
    for user, participant in zip(users, participants, strict=True):
        user.ok(
            "POST",
            f"{base}/services/{service['id']}/contributors",
            {"participant_id": participant["id"], "contribution": "I arrange the workplace."},
        )
    builders.move(consultant, project, "competence_mapping")
    senior = builders.participant(consultant, project, roles=("senior",))
    coached = {"participant_id": senior["id"], "competence_id": skill["id"], "level": 4}
    builders.set_levels(consultant, project, [{**coached, "source": "coach"}])
    for user, participant in zip(users, participants, strict=True):
        cell = {"participant_id": participant["id"], "competence_id": skill["id"], "level": 2}
        user.ok("PUT", f"{base}/matrix/levels", {"levels": [{**cell, "source": "self"}]})
        wish = {"participant_id": participant["id"], "competence_id": skill["id"]}
        user.ok("POST", f"{base}/wishes", {**wish, "motivation": "I want to grow."})

    matrix = consultant.ok("GET", f"{base}/matrix")
    assert {p["id"] for p in matrix["participants"]} == {p["id"] for p in [*participants, senior]}
    builders.move(consultant, project, "development")  # the gate saw levels and wishes

    # Of the others, each sees the team view; of themselves, their own row and history.
    for user, participant in zip(users, participants, strict=True):
        team = user.ok("GET", f"{base}/matrix/team")
        (column,) = team["competences"]
        assert (column["id"], column["rated"], column["withheld"]) == (skill["id"], 4, None)
        assert column["holders"] == {"0": 0, "1": 0, "2": 3, "3": 0, "4": 1}
        assert column["seniors"] == [{"participant_id": senior["id"], "name": senior["name"]}]
        others = {p["id"] for p in participants} - {participant["id"]}
        assert not others & set(json.dumps(team).split('"')), "the team view names no one else"

        mine = {"participant_id": participant["id"]}
        (row,) = user.ok("GET", f"{base}/matrix", query_string=mine)["participants"]
        assert (row["id"], row["levels"]) == (
            participant["id"],
            {skill["id"]: {"level": 2, "source": "self"}},
        )
        assert row["contributions"] == {service["id"]: "I arrange the workplace."}
        (change,) = user.ok("GET", f"{base}/matrix/history", query_string=mine)
        assert (change["participant_id"], change["level"], change["source"]) == (
            participant["id"],
            2,
            "self",
        )
        assert change["actor_id"] == user.user["id"]


def test_a_participant_is_refused_everything_beyond_their_own_part(team, workspace, oidc):
    consultant, project, participants, users = team
    base = f"/api/v1/projects/{project['id']}"
    me, colleague = participants[0], participants[1]
    anna = users[0]
    skill = builders.competence(consultant)
    elsewhere = builders.project(consultant)
    rating = {"desire": 4, "energy": 4, "feasibility": 3}
    cell = {"competence_id": skill["id"], "level": 2, "source": "self"}

    forbidden = [
        ("PUT", f"{base}/intake/readiness/{colleague['id']}", rating),
        ("GET", f"{base}/intake/readiness/{colleague['id']}", None),
        ("PUT", f"{base}/matrix/levels", {"levels": [{**cell, "participant_id": colleague["id"]}]}),
        (
            "PUT",
            f"{base}/matrix/levels",
            {"levels": [{**cell, "participant_id": me["id"], "source": "coach"}]},
        ),
        (
            "POST",
            f"{base}/wishes",
            {"participant_id": colleague["id"], "competence_id": skill["id"]},
        ),
        (
            "POST",
            f"{base}/intake/grievances",
            {"text": "Signed as another.", "participant_id": colleague["id"]},
        ),
        ("POST", f"{base}/transitions", {"to": "service_definition"}),
        ("PATCH", f"{base}", {"name": "Renamed"}),
        ("PATCH", f"{base}/participants/{colleague['id']}", {"roles": ["senior"]}),
        ("GET", f"{base}/participants/{colleague['id']}", None),
        ("GET", f"{base}/intake/grievances", None),
        ("GET", f"{base}/matrix", None),  # the team's rows: the team view is theirs
        ("GET", f"{base}/matrix?participant_id={colleague['id']}", None),
        ("GET", f"{base}/matrix/history", None),
        ("GET", f"{base}/matrix/history?participant_id={colleague['id']}", None),
        ("GET", f"{base}/dependencies", None),  # names who holds what
        ("GET", f"{base}/priorities", None),  # names who wishes what
        ("GET", f"{base}/agreements", None),  # only with participant_id set to their own
        ("GET", f"{base}/export", None),
        ("GET", "/api/v1/organisations", None),
        ("GET", "/api/v1/projects", None),
        ("GET", f"/api/v1/people/{colleague['person_id']}", None),
        ("POST", "/api/v1/users", {"email": "x@example.nl", "display_name": "X", "role": "admin"}),
        ("GET", "/api/v1/audit", None),
    ]
    for method, url, body in forbidden:
        assert_problem(anna.request(method, url, json=body), 403)

    for method, url, body in [
        ("GET", f"/api/v1/projects/{elsewhere['id']}", None),
        ("GET", f"/api/v1/projects/{elsewhere['id']}/intake/readiness", None),
        ("PUT", f"/api/v1/projects/{elsewhere['id']}/intake/readiness/{me['id']}", rating),
    ]:
        assert_problem(anna.request(method, url, json=body), 404)

    # What is theirs stays theirs to do.
    anna.ok("PUT", f"{base}/intake/readiness/{me['id']}", rating, status=201)
    anna.ok("GET", f"{base}/agreements", query_string={"participant_id": me["id"]})


def test_an_anonymous_grievance_of_a_participant_names_nobody_anywhere(
    team, workspace, engine, capsys
):
    _consultant, project, participants, users = team
    anna = users[0]
    anna_id = uuid.UUID(anna.user["id"])
    anna.ok("GET", "/api/v1/users/me")  # signed in: the link itself is audited, not this
    with engine.connect() as connection:
        user_row = connection.execute(select(t.users).where(t.users.c.id == anna_id)).one()
    her = {str(anna_id), participants[0]["id"], participants[0]["person_id"]}
    her |= {user_row.subject, user_row.email}
    before = database_content(engine)
    capsys.readouterr()

    grievance = anna.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/intake/grievances",
        {"text": "Conflicts are never addressed.", "anonymous": True},
        headers={"Idempotency-Key": "anonymous-1"},
    )

    with engine.connect() as connection:
        row = connection.execute(
            select(t.grievances).where(t.grievances.c.id == uuid.UUID(grievance["id"]))
        ).one()
        audit = connection.execute(
            select(t.audit_records).where(t.audit_records.c.entity_id == uuid.UUID(grievance["id"]))
        ).all()
        claims = connection.execute(
            select(t.idempotency_records).where(t.idempotency_records.c.api_key_id == anna_id)
        ).all()
        all_claims = connection.execute(select(t.idempotency_records.c.body)).scalars().all()
    # Nothing the filing wrote, in any table (the grievance, its audit record, the outbox
    # event the change feed and webhooks read, the idempotency store), names her.
    after = database_content(engine)
    written = {name: set(rows) - set(before[name]) for name, rows in after.items()}
    assert all(written[name] for name in ("grievances", "audit_records", "events"))
    assert not [(n, r) for n, rows in written.items() for r in rows if any(h in r for h in her)]
    assert row.participant_id is None
    assert [(a.action, a.actor_id) for a in audit] == [("create", None)]
    assert claims == []
    assert not any(grievance["id"] in (body or "") for body in all_claims)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    filed = [line for line in lines if line.get("route", "").endswith("/grievances")]
    assert filed
    assert all(line["key_id"] is None for line in filed)
    assert not [h for h in her if h in json.dumps(filed)]


def test_a_signed_grievance_names_its_author_to_consultants_only(team, workspace):
    consultant, project, participants, users = team
    url = f"/api/v1/projects/{project['id']}/intake/grievances"
    signed = {"text": "Meetings run late.", "participant_id": participants[0]["id"]}
    made = users[0].ok("POST", url, signed)

    assert consultant.ok("GET", f"{url}/{made['id']}")["participant_id"] == participants[0]["id"]
    assert_problem(users[1].get(f"{url}/{made['id']}"), 403)
    assert_problem(workspace.client("viewer").get(url), 403)


def test_participants_answer_a_pulse_survey_themselves_and_only_for_themselves(team):
    consultant, project, participants, users = team
    surveys = f"/api/v1/projects/{project['id']}/surveys"
    question = {"kind": "scale", "text": "How much do you trust each other?", "topic": "trust"}
    survey = consultant.ok("POST", surveys, {"title": "Pulse", "questions": [question]})
    question_id = survey["questions"][0]["id"]

    def answer(user, participant, value):
        body = {
            "participant_id": participant["id"],
            "answers": [{"question_id": question_id, "value": value}],
        }
        return user.post(f"{surveys}/{survey['id']}/responses", json=body)

    problem = assert_problem(answer(users[0], participants[1], 1), 403)
    assert "someone else" in problem["detail"] or "yourself" in problem["detail"]
    for value, (user, participant) in enumerate(zip(users, participants, strict=True), 2):
        assert answer(user, participant, value).status_code == 201
    results = users[0].ok("GET", f"{surveys}/{survey['id']}/results")
    assert results[0]["answers"] == 3


def test_a_malformed_idempotency_key_is_refused_though_an_anonymous_request_is_never_kept(
    team, engine
):
    """Found by schemathesis signed in as a participant: the key was checked only for the
    requests it would keep, so an anonymous grievance (and a pulse answer) took any."""
    consultant, project, participants, users = team
    url = f"/api/v1/projects/{project['id']}/intake/grievances"
    body = {"text": "Conflicts are never addressed.", "anonymous": True}

    for key in ("", "x" * 256, "tab\there"):
        refused = users[0].post(url, body, headers={"Idempotency-Key": key})
        assert assert_problem(refused, 422)["errors"] == {
            "headers.Idempotency-Key": ["Must be 1 to 255 printable characters."]
        }

    surveys = f"/api/v1/projects/{project['id']}/surveys"
    question = {"kind": "scale", "text": "Trust?", "topic": "trust"}
    survey = consultant.ok("POST", surveys, {"title": "Pulse", "questions": [question]})
    answer = {
        "participant_id": participants[0]["id"],
        "answers": [{"question_id": survey["questions"][0]["id"], "value": 3}],
    }
    responses = f"{surveys}/{survey['id']}/responses"
    assert_problem(users[0].post(responses, answer, headers={"Idempotency-Key": ""}), 422)

    with engine.connect() as connection:
        assert connection.execute(select(t.grievances)).all() == []
        assert connection.execute(select(t.pulse_respondents)).all() == []


def test_a_pulse_answer_of_a_participant_names_nobody_anywhere(team, engine, capsys):
    consultant, project, participants, users = team
    anna, anna_id = users[0], uuid.UUID(users[0].user["id"])
    surveys = f"/api/v1/projects/{project['id']}/surveys"
    questions = [{"kind": "open", "text": "What does the MT complain about?"}]
    survey = consultant.ok("POST", surveys, {"title": "Pulse", "questions": questions})
    anna.ok("GET", "/api/v1/users/me")  # signed in: the link itself is audited, not this
    capsys.readouterr()

    anna.ok(
        "POST",
        f"{surveys}/{survey['id']}/responses",
        {
            "participant_id": participants[0]["id"],
            "answers": [{"question_id": survey["questions"][0]["id"], "text": "Deadlines"}],
        },
        headers={"Idempotency-Key": "pulse-1", "User-Agent": "Anna's browser"},
    )

    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    with engine.connect() as connection:
        (text,) = connection.execute(select(t.pulse_texts)).mappings().all()
        audit = connection.execute(
            select(t.audit_records).where(t.audit_records.c.action == "answer")
        ).all()
        events = connection.execute(
            select(t.events.c.actor_id).where(t.events.c.type == "pulse_survey.answer")
        ).all()
        claims = connection.execute(select(t.idempotency_records)).all()
    assert set(text) == {"id", "workspace_id", "survey_id", "round", "question_id", "text"}
    assert [(a.entity_id, a.actor_id) for a in audit] == [(uuid.UUID(survey["id"]), None)]
    assert events == [(None,)]
    assert claims == []
    answered = [line for line in lines if line.get("route", "").endswith("/responses")]
    assert [(line["key_id"], line["remote"], line["user_agent"]) for line in answered] == [
        (None, None, None)
    ]
    assert str(anna_id) not in json.dumps(answered)
