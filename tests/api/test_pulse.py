"""Pulse surveys: anonymous answers, once per participant and round, shown once the round
is closed and from 3 answers on."""

import json

from sqlalchemy import select

from repositories import tables as t
from tests import builders
from tests.client import assert_problem

QUESTIONS = [
    {"kind": "scale", "topic": "trust", "text": "I can say what I think here."},
    {"kind": "open", "topic": "mt_complaints", "text": "What does the MT complain about?"},
]


def surveys(project) -> str:
    return f"/api/v1/projects/{project['id']}/surveys"


def setup(client, members=4):
    project, people = builders.project_in(client, "intake", members=members)
    survey = client.ok("POST", surveys(project), {"title": "Pulse", "questions": QUESTIONS})
    return project, people, survey


def answer(client, project, survey, participant, value, text=None, status=None):
    scale, open_ = survey["questions"]
    answers = [{"question_id": scale["id"], "value": value}]
    if text is not None:
        answers.append({"question_id": open_["id"], "text": text})
    return client.ok(
        "POST",
        f"{surveys(project)}/{survey['id']}/responses",
        {"participant_id": participant["id"], "answers": answers},
        status=status,
    )


def results(client, project, survey):
    return client.ok("GET", f"{surveys(project)}/{survey['id']}/results")


def close_round(client, project, survey):
    return client.ok("POST", f"{surveys(project)}/{survey['id']}/rounds", status=200)


def test_results_are_withheld_below_three_answers(client):
    project, people, survey = setup(client)
    answer(client, project, survey, people[0], 5, "Slow answers")
    answer(client, project, survey, people[1], 1)
    close_round(client, project, survey)

    first, _second = results(client, project, survey)

    assert first == {
        "round": 1,
        "answers": 2,
        "open": False,
        "withheld": "fewer than 3 answers",
        "questions": [],
    }


def test_an_open_round_shows_only_its_count_however_many_answered(client):
    project, people, survey = setup(client, members=5)
    seen = []
    for person, value in zip(people, (5, 1, 4, 2, 3), strict=True):
        answer(client, project, survey, person, value, "Why")
        seen.append(results(client, project, survey))

    # Read after every answer, nothing moved but the count: no answer can be told apart.
    assert [[(r["answers"], r["open"], r["questions"]) for r in s] for s in seen] == [
        [(n, True, [])] for n in range(1, 6)
    ]
    assert seen[-1][0]["withheld"].startswith("the round is still open")


def test_from_three_answers_each_question_of_a_closed_round_is_aggregated(client):
    project, people, survey = setup(client)
    for person, value, text in zip(people, (5, 4, 4), ("Slow", "Late", "Vague"), strict=False):
        answer(client, project, survey, person, value, text)
    close_round(client, project, survey)

    first, second = results(client, project, survey)

    scale, open_ = first["questions"]
    assert (first["answers"], first["open"], first["withheld"]) == (3, False, None)
    assert (second["round"], second["open"], second["questions"]) == (2, True, [])
    assert (scale["count"], scale["mean"], scale["withheld"]) == (3, 4.33, None)
    assert scale["distribution"] == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}
    assert (open_["count"], open_["answers"]) == (3, ["Late", "Slow", "Vague"])


def test_a_question_answered_fewer_than_three_times_is_withheld_in_a_shown_round(client):
    """Three answered the round, two of them the open question: their texts could be told
    apart by the one who did not, so they are withheld like a round of two."""
    project, people, survey = setup(client)
    for person, value, text in zip(people, (5, 4, 4), ("Slow", "Late", None), strict=False):
        answer(client, project, survey, person, value, text)
    close_round(client, project, survey)

    first, _ = results(client, project, survey)

    scale, open_ = first["questions"]
    assert (first["answers"], first["withheld"], scale["mean"]) == (3, None, 4.33)
    assert open_ == {
        **open_,
        "count": 2,
        "answers": None,
        "mean": None,
        "distribution": None,
        "withheld": "fewer than 3 answers",
    }


def test_a_participant_answers_once_per_round_and_again_in_the_next(client):
    project, people, survey = setup(client)
    answer(client, project, survey, people[0], 5)

    again = client.post(
        f"{surveys(project)}/{survey['id']}/responses",
        {
            "participant_id": people[0]["id"],
            "answers": [{"question_id": survey["questions"][0]["id"], "value": 2}],
        },
    )
    assert_problem(again, 409)
    opened = close_round(client, project, survey)
    receipt = answer(client, project, survey, people[0], 2)

    assert (opened["round"], receipt["round"]) == (2, 2)
    assert [r["answers"] for r in results(client, project, survey)] == [1, 1]


def test_nothing_stored_links_an_answer_to_its_participant(client, engine):
    project, people, survey = setup(client)
    answer(client, project, survey, people[0], 3, "Only the MT knows", status=201)

    with engine.connect() as connection:
        counts = connection.execute(select(t.pulse_counts)).mappings().all()
        texts = connection.execute(select(t.pulse_texts)).mappings().all()
    stored = json.dumps([dict(r) for r in [*counts, *texts]], default=str)
    audit = client.ok("GET", "/api/v1/audit", query_string={"page_size": 100})

    assert set(counts[0]) == {"workspace_id", "survey_id", "round", "question_id", "value", "count"}
    assert set(texts[0]) == {"id", "workspace_id", "survey_id", "round", "question_id", "text"}
    assert people[0]["id"] not in stored
    answered = [a for a in audit if a["action"] == "answer"]
    assert [(a["entity_type"], a["entity_id"], a["actor_id"]) for a in answered] == [
        ("pulse_survey", survey["id"], None)
    ]
    assert str(texts[0]["id"]) not in json.dumps(audit)


def test_a_retry_with_an_idempotency_key_is_refused_as_a_second_answer_and_nothing_is_kept(
    client, engine
):
    project, people, survey = setup(client)
    body = {
        "participant_id": people[0]["id"],
        "answers": [{"question_id": survey["questions"][0]["id"], "value": 4}],
    }
    path = f"{surveys(project)}/{survey['id']}/responses"

    first = client.post(path, body, headers={"Idempotency-Key": "answer-1"})
    retry = client.post(path, body, headers={"Idempotency-Key": "answer-1"})

    assert first.status_code == 201
    assert_problem(retry, 409)
    with engine.connect() as connection:
        assert connection.execute(select(t.idempotency_records)).all() == []


def test_answers_must_fit_the_questions(client):
    project, people, survey = setup(client)
    scale, open_ = survey["questions"]

    response = client.post(
        f"{surveys(project)}/{survey['id']}/responses",
        {
            "participant_id": people[0]["id"],
            "answers": [
                {"question_id": scale["id"], "text": "five"},
                {"question_id": open_["id"], "value": 3},
            ],
        },
    )

    body = assert_problem(response, 422)
    assert {"answers.0.value", "answers.1.text"} <= set(body["errors"])
    assert results(client, project, survey)[0]["answers"] == 0


def test_a_round_nobody_answered_is_not_followed_by_another(client):
    project, _people, survey = setup(client)

    assert_problem(client.post(f"{surveys(project)}/{survey['id']}/rounds"), 409)


def test_rounds_shown_go_into_the_export_and_come_back_and_rounds_withheld_stay_out(
    client, other_workspace
):
    project, people, survey = setup(client)
    for person, value, text in zip(people, (5, 4, 4), ("Slow", "Late", None), strict=False):
        answer(client, project, survey, person, value, text)
    close_round(client, project, survey)
    answer(client, project, survey, people[0], 1, "Alone")
    document = client.ok("GET", f"/api/v1/projects/{project['id']}/export")

    other = other_workspace.admin
    other.ok("POST", "/api/v1/imports", document, status=201)
    copy = other.ok("GET", "/api/v1/projects")[0]
    again = other.ok("POST", "/api/v1/imports", document, status=201)

    (exported,) = document["project"]["surveys"]
    assert [r["round"] for r in exported["rounds"]] == [1]
    assert "Alone" not in str(document)
    assert other.ok("GET", f"/api/v1/projects/{copy['id']}/export") == document
    assert again["counts"]["surveys"] == {"created": 0, "updated": 0, "unchanged": 1}
    copied = other.ok("GET", f"/api/v1/projects/{copy['id']}/surveys")[0]
    shown = other.ok("GET", f"/api/v1/projects/{copy['id']}/surveys/{copied['id']}/results")
    assert shown[0]["questions"][0]["mean"] == 4.33


def test_an_open_round_stays_out_of_the_export_whatever_it_holds(client):
    project, people, survey = setup(client)
    for person, value, text in zip(people, (5, 4, 4), ("Slow", "Late", "Loud"), strict=False):
        answer(client, project, survey, person, value, text)

    document = client.ok("GET", f"/api/v1/projects/{project['id']}/export")

    # Exported after every answer, its respondents beside its counts would pair them up.
    (exported,) = document["project"]["surveys"]
    assert (exported["round"], exported["rounds"]) == (1, [])
    assert "Slow" not in str(document)


def test_a_malformed_idempotency_key_on_an_answer_is_refused_though_none_is_kept(client):
    project, people, survey = setup(client)

    response = client.post(
        f"{surveys(project)}/{survey['id']}/responses",
        {
            "participant_id": people[0]["id"],
            "answers": [{"question_id": survey["questions"][0]["id"], "value": 4}],
        },
        headers={"Idempotency-Key": "x" * 256},
    )

    assert "headers.Idempotency-Key" in assert_problem(response, 422)["errors"]
    assert results(client, project, survey)[0]["answers"] == 0
