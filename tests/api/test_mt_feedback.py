"""MT feedback on a presented service: given by an MT member (a participant with the
mt_member role, or one named from outside), processed by the service group with a
response, and never reopened."""

from uuid import uuid4

import pytest

from tests import builders
from tests.client import assert_problem


@pytest.fixture
def presented(client):
    """A project in service_definition with a service, its members and an MT member."""
    project, members = builders.project_in(client, "service_definition")
    director = builders.participant(client, project, roles=("mt_member",))
    service = builders.service(client, project, members, name="Onboarding")
    return project, service, director


def feedback_of(project, service):
    return f"/api/v1/projects/{project['id']}/services/{service['id']}/feedback"


def item(project, service, feedback):
    return f"{feedback_of(project, service)}/{feedback['id']}"


def project_feedback(project):
    return f"/api/v1/projects/{project['id']}/feedback"


# --- who gives it -------------------------------------------------------------------


def test_an_mt_member_taking_part_gives_feedback(client, presented):
    project, service, director = presented

    given = client.ok(
        "POST",
        feedback_of(project, service),
        {"text": "Add the security training.", "participant_id": director["id"]},
    )

    assert (given["participant_id"], given["author_name"]) == (director["id"], None)
    assert (given["status"], given["response"]) == ("open", None)


def test_an_mt_member_from_outside_gives_feedback_by_name(client, presented):
    project, service, _director = presented

    given = client.ok(
        "POST",
        feedback_of(project, service),
        {"text": "Add the security training.", "author_name": "Director of operations"},
    )

    assert (given["participant_id"], given["author_name"]) == (None, "Director of operations")
    assert given["status"] == "open"


def test_a_participant_without_the_mt_member_role_cannot_give_feedback(client, presented):
    project, service, _director = presented
    member = builders.participant(client, project, roles=("member", "senior"))

    refused = client.post(
        feedback_of(project, service), {"text": "Looks fine.", "participant_id": member["id"]}
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["participant_id"]
    assert client.ok("GET", feedback_of(project, service)) == []


def test_an_mt_member_of_another_project_cannot_give_feedback(client, presented):
    project, service, _director = presented
    other = builders.project(client, project["organisation_id"], project["team_id"])
    outsider = builders.participant(client, other, roles=("mt_member",))

    refused = client.post(
        feedback_of(project, service), {"text": "Looks fine.", "participant_id": outsider["id"]}
    )

    assert list(assert_problem(refused, 422)["errors"]) == ["participant_id"]


@pytest.mark.parametrize(
    "author",
    [
        pytest.param(lambda director: {}, id="neither"),
        pytest.param(lambda director: {"participant_id": None, "author_name": None}, id="nulls"),
        pytest.param(
            lambda director: {"participant_id": director["id"], "author_name": "Director"},
            id="both",
        ),
        pytest.param(lambda director: {"participant_id": str(uuid4())}, id="unknown"),
    ],
)
def test_feedback_names_exactly_one_mt_member(client, presented, author):
    project, service, director = presented

    refused = client.post(feedback_of(project, service), {"text": "Hm.", **author(director)})

    assert "participant_id" in assert_problem(refused, 422)["errors"]
    assert client.ok("GET", feedback_of(project, service)) == []


# --- processing it ------------------------------------------------------------------


def test_processing_without_a_response_is_refused(client, presented):
    project, service, _director = presented
    given = builders.feedback(client, project, service)

    refused = client.patch(item(project, service, given), {"status": "processed"})

    assert list(assert_problem(refused, 422)["errors"]) == ["response"]
    assert client.ok("GET", item(project, service, given))["status"] == "open"


def test_processing_with_a_blank_response_is_refused(client, presented):
    project, service, _director = presented
    given = builders.feedback(client, project, service)

    refused = client.patch(item(project, service, given), {"status": "processed", "response": " "})

    assert list(assert_problem(refused, 422)["errors"]) == ["response"]


def test_a_response_stored_earlier_lets_the_feedback_be_processed(client, presented):
    project, service, _director = presented
    given = builders.feedback(client, project, service)
    client.ok("PATCH", item(project, service, given), {"response": "We will add it."})

    processed = client.ok("PATCH", item(project, service, given), {"status": "processed"})

    assert (processed["status"], processed["response"]) == ("processed", "We will add it.")


def test_processed_feedback_cannot_be_reopened(client, presented):
    project, service, _director = presented
    given = builders.feedback(client, project, service)
    client.ok("PATCH", item(project, service, given), {"status": "processed", "response": "Done."})

    refused = client.patch(item(project, service, given), {"status": "open"})

    assert list(assert_problem(refused, 422)["errors"]) == ["status"]
    assert client.ok("GET", item(project, service, given))["status"] == "processed"


def test_processed_feedback_keeps_its_response(client, presented):
    project, service, _director = presented
    given = builders.feedback(client, project, service)
    client.ok("PATCH", item(project, service, given), {"status": "processed", "response": "Done."})

    refused = client.patch(item(project, service, given), {"response": None})

    assert list(assert_problem(refused, 422)["errors"]) == ["response"]
    assert client.ok("GET", item(project, service, given))["response"] == "Done."


# --- lists and counts ---------------------------------------------------------------


@pytest.fixture
def mixed(client, presented):
    """Onboarding with one open and one processed item; HR advice with one open item."""
    project, onboarding, _director = presented
    advice = builders.service(client, project, [], name="HR advice")
    still_open = builders.feedback(client, project, onboarding)
    done = builders.feedback(client, project, onboarding)
    client.ok(
        "PATCH", item(project, onboarding, done), {"status": "processed", "response": "Done."}
    )
    elsewhere = builders.feedback(client, project, advice)
    return project, onboarding, advice, still_open, done, elsewhere


def ids(listed):
    return sorted(f["id"] for f in listed)


def test_the_project_feedback_list_filters_on_status(client, mixed):
    project, _onboarding, _advice, still_open, done, elsewhere = mixed

    listed = client.ok("GET", project_feedback(project), query_string={"status": "open"})

    assert ids(listed) == sorted([still_open["id"], elsewhere["id"]])
    processed = client.ok("GET", project_feedback(project), query_string={"status": "processed"})
    assert ids(processed) == [done["id"]]


def test_the_project_feedback_list_filters_on_service(client, mixed):
    project, _onboarding, advice, _still_open, _done, elsewhere = mixed

    listed = client.ok("GET", project_feedback(project), query_string={"service_id": advice["id"]})

    assert ids(listed) == [elsewhere["id"]]


def test_the_project_feedback_list_combines_filters(client, mixed):
    project, onboarding, _advice, still_open, _done, _elsewhere = mixed

    listed = client.ok(
        "GET",
        project_feedback(project),
        query_string={"service_id": onboarding["id"], "status": "open"},
    )

    assert ids(listed) == [still_open["id"]]


def test_a_service_lists_only_its_own_feedback(client, mixed):
    project, onboarding, _advice, still_open, done, _elsewhere = mixed

    listed = client.ok("GET", feedback_of(project, onboarding))

    assert ids(listed) == sorted([still_open["id"], done["id"]])


def test_a_service_counts_its_open_and_processed_feedback(client, mixed):
    project, *_ = mixed

    listed = {s["name"]: s for s in client.ok("GET", f"/api/v1/projects/{project['id']}/services")}

    assert listed["Onboarding"]["feedback_counts"] == {"open": 1, "processed": 1}
    assert listed["HR advice"]["feedback_counts"] == {"open": 1, "processed": 0}


def test_a_service_without_feedback_counts_zero(client, presented):
    project, service, _director = presented

    shown = client.ok("GET", f"/api/v1/projects/{project['id']}/services/{service['id']}")

    assert shown["feedback_counts"] == {"open": 0, "processed": 0}


def test_feedback_of_one_service_is_not_found_under_another(client, mixed):
    project, _onboarding, advice, still_open, *_ = mixed

    assert_problem(client.get(item(project, advice, still_open)), 404)
