"""Each participant's progress through a theme a project works on, and the project's
summary of it (seed 001: "0 of 4 steps done, 0%")."""

import pytest

from tests import builders
from tests.client import assert_problem


@pytest.fixture
def working(client):
    """A project working on a three-step theme, with Anna taking part."""
    project = builders.project(client)
    anna = builders.participant(client, project)
    theme = builders.theme(client, steps=3)
    client.ok("POST", f"/api/v1/projects/{project['id']}/themes", {"theme_id": theme["id"]})
    return project, theme, anna


def in_project(project, theme):
    return f"/api/v1/projects/{project['id']}/themes/{theme['id']}"


def step_ids(theme, *positions):
    return [theme["steps"][i]["id"] for i in positions]


def test_a_step_of_another_theme_is_refused_where_it_is_sent(client, working):
    project, theme, anna = working
    other = builders.theme(client, steps=1)

    response = client.put(
        f"{in_project(project, theme)}/progress/{anna['id']}",
        {"steps_done": [*step_ids(theme, 0), other["steps"][0]["id"]]},
    )

    assert list(assert_problem(response, 422)["errors"]) == ["steps_done.1"]
    assert (
        client.ok("GET", f"{in_project(project, theme)}/progress/{anna['id']}")["steps_done"] == []
    )


def test_progress_of_a_participant_of_another_project_is_not_found(client, working):
    project, theme, _anna = working
    stranger = builders.participant(client, builders.project(client))
    path = f"{in_project(project, theme)}/progress/{stranger['id']}"

    assert_problem(client.get(path), 404)
    assert_problem(client.put(path, {"steps_done": step_ids(theme, 0)}), 404)


def test_progress_in_a_theme_the_project_does_not_work_on_is_not_found(client, working):
    project, _theme, anna = working
    other = builders.theme(client, steps=2)
    path = f"{in_project(project, other)}/progress/{anna['id']}"

    assert_problem(client.get(path), 404)
    assert_problem(client.put(path, {"steps_done": step_ids(other, 0)}), 404)
    assert_problem(client.get(in_project(project, other)), 404)


def test_putting_progress_replaces_the_steps_done(client, working):
    project, theme, anna = working
    path = f"{in_project(project, theme)}/progress/{anna['id']}"
    client.ok("PUT", path, {"steps_done": step_ids(theme, 0, 1)})

    client.ok("PUT", path, {"steps_done": step_ids(theme, 2)})

    assert client.ok("GET", path)["steps_done"] == step_ids(theme, 2)


def test_the_project_summary_over_three_participants(client, working):
    project, theme, anna = working
    bram, carla = builders.participant(client, project), builders.participant(client, project)
    base = in_project(project, theme)
    client.ok("PUT", f"{base}/progress/{anna['id']}", {"steps_done": step_ids(theme, 0)})
    client.ok("PUT", f"{base}/progress/{bram['id']}", {"steps_done": step_ids(theme, 0, 1, 2)})

    overview = client.ok("GET", base)

    # Anna 1 of 3 = 33%, Bram 3 of 3 = 100%, Carla 0%: (33 + 100 + 0) / 3 = 44.3
    assert overview["summary"] == {"participants": 3, "average_percent": 44.3, "finished": 1}
    percent = {p["participant_id"]: p["percent"] for p in overview["progress"]}
    assert percent == {anna["id"]: 33, bram["id"]: 100, carla["id"]: 0}


def test_unassigning_a_theme_removes_the_progress_made_in_it(client, working):
    project, theme, anna = working
    base = in_project(project, theme)
    client.ok("PUT", f"{base}/progress/{anna['id']}", {"steps_done": step_ids(theme, 0, 1)})

    client.ok("DELETE", base)

    assert_problem(client.get(f"{base}/progress/{anna['id']}"), 404)
    client.ok("POST", f"/api/v1/projects/{project['id']}/themes", {"theme_id": theme["id"]})
    again = client.ok("GET", f"{base}/progress/{anna['id']}")
    assert (again["steps_done"], again["percent"]) == ([], 0)


def test_unassigning_leaves_the_progress_in_other_projects(client, working):
    project, theme, _anna = working
    other = builders.project(client)
    bram = builders.participant(client, other)
    client.ok("POST", f"/api/v1/projects/{other['id']}/themes", {"theme_id": theme["id"]})
    client.ok(
        "PUT",
        f"{in_project(other, theme)}/progress/{bram['id']}",
        {"steps_done": step_ids(theme, 0)},
    )

    client.ok("DELETE", in_project(project, theme))

    kept = client.ok("GET", f"{in_project(other, theme)}/progress/{bram['id']}")
    assert kept["steps_done"] == step_ids(theme, 0)
