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
    for user, participant in zip(users, participants, strict=True):
        cell = {"participant_id": participant["id"], "competence_id": skill["id"], "level": 2}
        user.ok("PUT", f"{base}/matrix/levels", {"levels": [{**cell, "source": "self"}]})
        wish = {"participant_id": participant["id"], "competence_id": skill["id"]}
        user.ok("POST", f"{base}/wishes", {**wish, "motivation": "I want to grow."})

    matrix = consultant.ok("GET", f"{base}/matrix")
    assert {p["id"] for p in matrix["participants"]} == {p["id"] for p in participants}
    builders.move(consultant, project, "development")  # the gate saw levels and wishes


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
        ("GET", f"{base}/matrix", None),
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
    _consultant, project, _participants, users = team
    anna = users[0]
    anna_id = uuid.UUID(anna.user["id"])
    anna.ok("GET", "/api/v1/users/me")  # signed in: the link itself is audited, not this
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
    assert row.participant_id is None
    assert [(a.action, a.actor_id) for a in audit] == [("create", None)]
    assert claims == []
    assert not any(grievance["id"] in (body or "") for body in all_claims)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    filed = [line for line in lines if line.get("route", "").endswith("/grievances")]
    assert filed
    assert all(line["key_id"] is None for line in filed)
    assert str(anna_id) not in json.dumps(filed)


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
