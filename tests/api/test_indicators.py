"""Indicators of a service measured over time: the latest value and the trend."""

from uuid import uuid4

from tests import builders
from tests.client import assert_problem


def setup(client):
    project, people = builders.project_in(client, "service_definition")
    service = builders.service(
        client, project, people, indicators=["Days until the workplace is ready", "Satisfaction"]
    )
    return project, service


def indicators(project, service) -> str:
    return f"/api/v1/projects/{project['id']}/services/{service['id']}/indicators"


def measure(client, project, service, indicator, value, date, source="Survey"):
    return client.ok(
        "POST",
        f"{indicators(project, service)}/{indicator['id']}/measurements",
        {"value": value, "date": date, "source": source},
    )


def test_each_indicator_has_an_id_that_stays_while_its_text_does(client):
    project, service = setup(client)

    first = client.ok("GET", indicators(project, service))
    client.ok(
        "PATCH",
        f"/api/v1/projects/{project['id']}/services/{service['id']}",
        {"indicators": ["Satisfaction", "Complaints"]},
    )
    second = client.ok("GET", indicators(project, service))

    assert [i["name"] for i in first] == ["Days until the workplace is ready", "Satisfaction"]
    assert second[0]["id"] == first[1]["id"]
    assert second[1]["id"] not in {i["id"] for i in first}


def test_the_service_shows_each_indicators_latest_measurement_and_trend(client):
    project, service = setup(client)
    days = client.ok("GET", indicators(project, service))[0]
    measure(client, project, service, days, 10, "2026-06-01")
    measure(client, project, service, days, 12, "2026-01-01", source="HR report")
    measure(client, project, service, days, 4, "2026-09-01")

    shown = client.ok("GET", f"/api/v1/projects/{project['id']}/services/{service['id']}")
    listed = client.ok("GET", f"{indicators(project, service)}/{days['id']}/measurements")

    days_shown, satisfaction = shown["measured_indicators"]
    assert (days_shown["latest"]["value"], days_shown["latest"]["date"]) == (4.0, "2026-09-01")
    assert (days_shown["first"]["source"], days_shown["measurements"]) == ("HR report", 3)
    assert (days_shown["change"], days_shown["trend"]) == (-6.0, "down")
    assert (satisfaction["latest"], satisfaction["trend"]) == (None, None)
    assert [m["date"] for m in listed] == ["2026-01-01", "2026-06-01", "2026-09-01"]
    assert shown["indicators"] == ["Days until the workplace is ready", "Satisfaction"]


def test_an_indicator_the_service_does_not_have_is_404(client):
    project, service = setup(client)

    response = client.post(
        f"{indicators(project, service)}/{uuid4()}/measurements",
        {"value": 1, "date": "2026-01-01"},
    )

    assert_problem(response, 404)


def test_a_measurement_needs_a_finite_value_and_a_date(client):
    project, service = setup(client)
    days = client.ok("GET", indicators(project, service))[0]

    response = client.post(
        f"{indicators(project, service)}/{days['id']}/measurements", {"value": "NaN"}
    )

    body = assert_problem(response, 422)
    assert {"value", "date"} <= set(body["errors"])


def test_measurements_go_into_the_export_and_come_back_from_it(client, other_workspace):
    project, service = setup(client)
    days = client.ok("GET", indicators(project, service))[0]
    measure(client, project, service, days, 10, "2026-06-01")
    document = client.ok("GET", f"/api/v1/projects/{project['id']}/export")

    other = other_workspace.admin
    other.ok("POST", "/api/v1/imports", document, status=201)
    copy = other.ok("GET", "/api/v1/projects")[0]

    exported = next(s for s in document["project"]["services"] if s["name"] == service["name"])
    assert exported["measurements"] == [
        {"indicator": days["name"], "value": 10.0, "date": "2026-06-01", "source": "Survey"}
    ]
    assert other.ok("GET", f"/api/v1/projects/{copy['id']}/export") == document
