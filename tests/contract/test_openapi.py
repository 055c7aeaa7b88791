"""The published contract: generated from the code, committed, valid, and complete."""

import dataclasses
import json
import re
import urllib.request
import uuid
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from api import create_app

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


# --- how to sign in -------------------------------------------------------------------

BOTH_WAYS = [{"bearerAuth": []}, {"openId": []}]
PUBLIC = ["GET /health", "GET /ready"]  # probes of the platform; nothing of anyone's


def test_both_ways_to_sign_in_are_documented_an_api_key_and_an_openid_access_token(spec):
    schemes = spec["components"]["securitySchemes"]
    assert set(schemes) == {"bearerAuth", "openId"}
    assert schemes["bearerAuth"]["type"] == "http"
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["openId"]["type"] == "openIdConnect"
    assert schemes["openId"]["openIdConnectUrl"].endswith("/.well-known/openid-configuration")
    assert spec["security"] == BOTH_WAYS


def test_every_operation_takes_either_but_the_health_checks_which_say_they_take_none(spec):
    """The document's `security` applies to each operation that names none of its own;
    one that names its own must name both, or (a public probe) explicitly none."""
    public, guarded = [], 0
    for path, method, operation in operations(spec):
        where = f"{method.upper()} {path}"
        security = operation.get("security", spec["security"])
        if security == []:
            public.append(where)
            assert "security" in operation, where
        else:
            guarded += 1
            assert security == BOTH_WAYS, where
            assert {"401", "403"} <= set(map(str, operation["responses"])), where
    assert public == PUBLIC
    assert guarded > 100


def test_the_openid_connect_url_is_the_discovery_document_of_the_trusted_provider(settings, oidc):
    """With a provider configured, the contract points at it: its discovery document is
    there, names the issuer, and where its signing keys are."""
    trusted = dataclasses.replace(settings, oidc_issuers={oidc.issuer("a"): uuid.uuid4()})
    served = create_app(trusted).test_client().get("/api/v1/openapi.json").get_json()

    url = served["components"]["securitySchemes"]["openId"]["openIdConnectUrl"]
    with urllib.request.urlopen(url, timeout=10) as response:
        discovery = json.loads(response.read())
    assert url == f"{oidc.issuer('a')}/.well-known/openid-configuration"
    assert discovery["issuer"] == oidc.issuer("a")
    assert discovery["jwks_uri"].startswith(oidc.issuer("a"))


def test_the_public_probes_answer_without_any_credential_and_the_rest_asks_for_one(app, spec):
    client = app.test_client()
    for where in PUBLIC:
        assert client.get(where.split(" ")[1]).status_code in (200, 503), where
    for path, method, operation in operations(spec):
        if operation.get("security", spec["security"]):
            url = re.sub(r"\{\w+\}", str(uuid.uuid4()), path)
            response = client.open(url, method=method.upper())
            assert response.status_code == 401, f"{method.upper()} {path}"
