"""The workspace's learning themes (seed 001): ordered steps that keep their identity,
and the projects that work on them."""

from tests import builders
from tests.client import assert_problem


def theme_path(theme):
    return f"/api/v1/themes/{theme['id']}"


def titles(theme):
    return [s["title"] for s in theme["steps"]]


def test_a_theme_name_is_unique_in_the_workspace(client):
    builders.theme(client, name="Cultuur van vertrouwen")

    response = client.post("/api/v1/themes", {"name": "Cultuur van vertrouwen"})

    assert "name" in assert_problem(response, 422)["errors"]


def test_another_workspace_may_use_the_same_theme_name(client, other_workspace):
    builders.theme(client, name="Cultuur van vertrouwen")

    assert builders.theme(other_workspace.admin, name="Cultuur van vertrouwen")


def test_renaming_a_theme_to_a_name_in_use_is_refused(client):
    builders.theme(client, name="Cultuur van vertrouwen")
    other = builders.theme(client, name="Feedback")

    response = client.patch(theme_path(other), {"name": "Cultuur van vertrouwen"})

    assert "name" in assert_problem(response, 422)["errors"]


def test_steps_keep_the_order_they_were_given_in(client):
    made = client.ok(
        "POST",
        "/api/v1/themes",
        {"name": "Trust", "steps": [{"title": "Why"}, {"title": "What"}, {"title": "How"}]},
    )

    assert titles(client.ok("GET", theme_path(made))) == ["Why", "What", "How"]


def test_patching_the_steps_reorders_them_and_keeps_their_ids(client):
    made = builders.theme(client, steps=3)
    first, second, third = made["steps"]

    client.ok("PATCH", theme_path(made), {"steps": [third, first, second]})

    stored = client.ok("GET", theme_path(made))
    assert stored["steps"] == [third, first, second]


def test_a_step_sent_without_an_id_is_added_with_a_new_one(client):
    made = builders.theme(client, steps=1)
    [kept] = made["steps"]

    stored = client.ok("PATCH", theme_path(made), {"steps": [kept, {"title": "New"}]})

    assert stored["steps"][0] == kept
    assert stored["steps"][1]["title"] == "New"
    assert stored["steps"][1]["id"] != kept["id"]


def test_a_step_of_another_theme_is_refused_where_it_is_sent(client):
    made, other = builders.theme(client, steps=2), builders.theme(client, steps=1)

    response = client.patch(theme_path(made), {"steps": [made["steps"][0], other["steps"][0]]})

    assert list(assert_problem(response, 422)["errors"]) == ["steps.1.id"]
    assert client.ok("GET", theme_path(made))["steps"] == made["steps"]


def test_the_same_step_sent_twice_is_refused(client):
    made = builders.theme(client, steps=2)
    first = made["steps"][0]

    response = client.patch(theme_path(made), {"steps": [first, first]})

    assert "steps.1.id" in assert_problem(response, 422)["errors"]


def test_a_step_left_out_is_removed_and_no_longer_counts_in_progress(client):
    made = builders.theme(client, steps=3)
    first, second, third = made["steps"]
    project = builders.project(client)
    anna = builders.participant(client, project)
    base = f"/api/v1/projects/{project['id']}/themes/{made['id']}"
    client.ok("POST", f"/api/v1/projects/{project['id']}/themes", {"theme_id": made["id"]})
    client.ok("PUT", f"{base}/progress/{anna['id']}", {"steps_done": [first["id"], second["id"]]})

    client.ok("PATCH", theme_path(made), {"steps": [first, third]})

    assert client.ok("GET", theme_path(made))["steps"] == [first, third]
    progress = client.ok("GET", f"{base}/progress/{anna['id']}")
    assert (progress["steps_done"], progress["text"]) == ([first["id"]], "1 of 2 steps done, 50%")
    assert client.ok("GET", base)["summary"]["average_percent"] == 50.0


def test_a_theme_a_project_works_on_cannot_be_deleted(client):
    made = builders.theme(client)
    project = builders.project(client)
    client.ok("POST", f"/api/v1/projects/{project['id']}/themes", {"theme_id": made["id"]})

    body = assert_problem(client.delete(theme_path(made)), 409)

    assert body["code"] == "in_use"
    assert client.ok("GET", theme_path(made))["id"] == made["id"]


def test_a_theme_no_project_works_on_can_be_deleted(client):
    made = builders.theme(client)

    client.ok("DELETE", theme_path(made))

    assert_problem(client.get(theme_path(made)), 404)


def test_a_project_takes_up_a_theme_once(client):
    made = builders.theme(client)
    project = builders.project(client)
    themes = f"/api/v1/projects/{project['id']}/themes"
    client.ok("POST", themes, {"theme_id": made["id"]})

    response = client.post(themes, {"theme_id": made["id"]})

    assert "theme_id" in assert_problem(response, 422)["errors"]
    assert len(client.ok("GET", themes)) == 1


def test_an_unknown_theme_cannot_be_taken_up(client):
    project = builders.project(client)

    response = client.post(
        f"/api/v1/projects/{project['id']}/themes",
        {"theme_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
    )

    assert "theme_id" in assert_problem(response, 422)["errors"]


def test_a_theme_of_another_workspace_cannot_be_taken_up(client, other_workspace):
    foreign = builders.theme(other_workspace.admin)
    project = builders.project(client)

    response = client.post(f"/api/v1/projects/{project['id']}/themes", {"theme_id": foreign["id"]})

    assert "theme_id" in assert_problem(response, 422)["errors"]
