"""The published contract: generated from the code, committed, valid, and complete."""

import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_the_committed_document_is_what_the_app_serves(spec):
    committed = json.loads(COMMITTED.read_text())
    assert committed == spec, "openapi/openapi.json is stale: run `make openapi` and commit it"


def test_behind_a_path_prefix_the_document_and_its_docs_page_name_the_prefix(app):
    """A proxy that mounts the API under /od (SCRIPT_NAME): the docs page loads its files
    and the contract from there, and the calls tried out on it go there too."""
    client = app.test_client()
    prefixed = "http://localhost/od"
    spec = client.get("/api/v1/openapi.json", base_url=prefixed).get_json()
    assert [server["url"] for server in spec["servers"]] == ["/od/"]
    assert client.get("/api/v1/openapi.json").get_json()["servers"][0]["url"] == "/"
    page = client.get("/api/v1/docs", base_url=prefixed).get_data(as_text=True)
    assert 'data-spec-url="/od/api/v1/openapi.json"' in page
    assert 'src="/od/api/v1/docs/swagger-ui-bundle.js"' in page


def test_the_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_every_operation_has_an_id_a_summary_and_its_errors(spec):
    ids = []
    for path, method, operation in operations(spec):
        where = f"{method.upper()} {path}"
        ids.append(operation.get("operationId"))
        assert operation.get("operationId"), where
        assert operation.get("summary"), where
        errors = [code for code in operation["responses"] if str(code).startswith(("4", "5"))]
        assert errors or path == "/health", where  # liveness answers 200 or nothing at all
    assert len(ids) == len(set(ids)), "operationIds must be unique"


def test_every_request_body_and_error_has_an_example(spec):
    for path, method, operation in operations(spec):
        body = operation.get("requestBody")
        if body:
            assert "example" in body["content"]["application/json"], f"{method.upper()} {path}"
    for name, response in spec["components"]["responses"].items():
        assert "example" in response["content"]["application/problem+json"], name


def test_every_error_is_documented_as_problem_json(spec):
    for name, response in spec["components"]["responses"].items():
        assert list(response["content"]) == ["application/problem+json"], name
