"""What an operator runs: `flask workspace create`, `flask keys create` and the first-run
`flask setup`."""

from dataclasses import replace

from api import create_app


def test_workspace_create_prints_a_working_admin_key_on_its_last_line(app):
    result = app.test_cli_runner().invoke(args=["workspace", "create", "Bureau Noord"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    response = app.test_client().get("/api/v1/api-keys", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert [k["role"] for k in response.get_json()] == ["admin"]


def test_setup_on_an_empty_database_migrates_and_bootstraps_the_given_key(settings, tmp_path):
    key = "odk_bootstrap_for_scripts_0123456789"
    fresh = create_app(
        replace(settings, database_url=f"sqlite:///{tmp_path}/first.db", bootstrap_api_key=key)
    )
    output = fresh.test_cli_runner().invoke(args=["setup"]).output
    assert key in output
    assert "http://testserver/api/v1/docs" in output
    assert f"curl -H 'Authorization: Bearer {key}'" in output
    client = fresh.test_client()
    assert client.get("/ready").status_code == 200
    listed = client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {key}"})
    assert listed.status_code == 200

    again = fresh.test_cli_runner().invoke(args=["setup"]).output
    assert key not in again, "a second run must not create another workspace"
    fresh.extensions["od"].engine.dispose()


def _workspace(app, name):
    result = app.test_cli_runner().invoke(args=["workspace", "create", name])
    assert result.exit_code == 0, result.output
    workspace_id = result.output.split("(", 1)[1].split(")", 1)[0]
    return workspace_id, result.output.strip().splitlines()[-1]


def _keys(app, key):
    response = app.test_client().get("/api/v1/api-keys", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    return response.get_json()


def test_keys_create_gives_a_lost_admin_key_back_to_its_own_workspace(app):
    """A new admin key for the workspace the operator names, beside its first one, not a
    new tenant: the key sees that workspace's data and nothing else."""
    _workspace(app, "Bureau Zuid")
    workspace_id, first = _workspace(app, "Bureau Noord")
    organisation = app.test_client().post(
        "/api/v1/organisations",
        json={"name": "Gemeente Assen"},
        headers={"Authorization": f"Bearer {first}"},
    )
    assert organisation.status_code == 201

    for ref in (workspace_id, "Bureau Noord"):
        result = app.test_cli_runner().invoke(
            args=["keys", "create", "--workspace", ref, "--name", "Recovered"]
        )
        assert result.exit_code == 0, result.output
        key = result.output.strip().splitlines()[-1]
        assert key not in result.output.strip().splitlines()[0], "the secret is printed once"
        listed = app.test_client().get(
            "/api/v1/organisations", headers={"Authorization": f"Bearer {key}"}
        )
        assert [o["name"] for o in listed.get_json()] == ["Gemeente Assen"]
    keys = _keys(app, first)
    assert sorted((k["name"], k["role"]) for k in keys) == [
        ("First admin key", "admin"),
        ("Recovered", "admin"),
        ("Recovered", "admin"),
    ]
    assert workspace_id in result.output


def test_keys_create_issues_the_role_asked_for(app):
    _, first = _workspace(app, "Bureau West")
    result = app.test_cli_runner().invoke(
        args=["keys", "create", "--workspace", "Bureau West", "--role", "viewer"]
    )
    assert result.exit_code == 0, result.output
    viewer = result.output.strip().splitlines()[-1]
    created = app.test_client().post(
        "/api/v1/organisations", json={"name": "X"}, headers={"Authorization": f"Bearer {viewer}"}
    )
    assert created.status_code == 403
    assert sorted(k["role"] for k in _keys(app, first)) == ["admin", "viewer"]


def test_keys_create_refuses_an_unknown_or_ambiguous_workspace_and_issues_nothing(app):
    _, first = _workspace(app, "Bureau Oost")
    _, second = _workspace(app, "Bureau Oost")
    runner = app.test_cli_runner()

    unknown = runner.invoke(args=["keys", "create", "--workspace", "Bureau Nergens"])
    assert unknown.exit_code == 1
    assert "No workspace 'Bureau Nergens' here." in unknown.output

    ambiguous = runner.invoke(args=["keys", "create", "--workspace", "Bureau Oost"])
    assert ambiguous.exit_code == 1
    assert "2 workspaces are named 'Bureau Oost'; give its id" in ambiguous.output

    bad_role = runner.invoke(args=["keys", "create", "--workspace", "Bureau Oost", "--role", "x"])
    assert bad_role.exit_code == 2
    assert len(_keys(app, first)) == len(_keys(app, second)) == 1
