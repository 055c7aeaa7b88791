"""What an operator runs: `flask workspace create` and the first-run `flask setup`."""

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
