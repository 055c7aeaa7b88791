"""The published contract passes the standard OpenAPI lint rules (Spectral's
``spectral:oas``) that matter to the people who build on it.

The rules are checked here in Python, and Spectral and Redocly lint the document
themselves (their npm tools pinned in ``tests/contract/typescript``).
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.contract import npm

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "openapi" / "openapi.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PROBLEM = "application/problem+json"
SPEC_URI = "urn:od:openapi"
# Liveness and readiness are read by load balancers, not API clients: a not-ready
# instance answers its own status document ({"status": …, "database": …}), not a problem.
PROBES = {"/health", "/ready"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return json.loads(COMMITTED.read_text())


def operations(spec) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def resolve(spec, node: Any) -> Any:
    """Follow local ``$ref``s (``#/components/...``) to what they name."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


# --- info --------------------------------------------------------------------------


def test_the_document_says_what_it_is_whom_to_ask_and_under_which_licence(spec):
    info = spec["info"]
    assert info.get("description", "").strip()  # info-description
    assert info.get("contact"), "info-contact"
    assert info["contact"].get("name") or info["contact"].get("url") or info["contact"].get("email")
    assert info.get("license", {}).get("name"), "info-license"
    assert spec.get("servers"), "oas3-api-servers"


# --- operations --------------------------------------------------------------------


def test_every_operation_has_a_unique_url_safe_operation_id(spec):
    ids = [operation.get("operationId") for _path, _method, operation in operations(spec)]
    assert all(ids), "operation-operationId"
    assert not [i for i, n in Counter(ids).items() if n > 1], "operation-operationId-unique"
    # operation-operationId-valid-in-url: the id may appear in a URL or a file name.
    assert not [i for i in ids if not re.fullmatch(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]+", i)]


def test_every_operation_has_a_summary_and_tags_that_are_declared(spec):
    declared = [tag["name"] for tag in spec.get("tags", [])]
    assert declared, "openapi-tags"
    assert len(declared) == len(set(declared)), "openapi-tags-uniqueness"
    for path, method, operation in operations(spec):
        where = f"{method.upper()} {path}"
        assert operation.get("summary", "").strip(), f"operation-summary: {where}"
        assert operation.get("tags"), f"operation-tags: {where}"
        undeclared = set(operation["tags"]) - set(declared)
        assert not undeclared, f"operation-tag-defined: {where} {undeclared}"


def test_every_operation_answers_success_somehow(spec):
    for path, method, operation in operations(spec):
        codes = [str(code) for code in operation["responses"]]
        assert any(c[0] in "23" for c in codes), f"operation-success-response: {method} {path}"


def test_paths_are_templates_whose_parameters_are_declared_once(spec):
    for path, item in spec["paths"].items():
        assert not path.endswith("/") or path == "/", f"path-keys-no-trailing-slash: {path}"
        assert not set("?#") & set(path), f"path-not-include-query: {path}"
        names = re.findall(r"{([^}]*)}", path)
        assert all(names), f"path-declarations-must-exist: {path}"
        assert len(names) == len(set(names)), f"path-params: {path} repeats a parameter"
        shared = [resolve(spec, p) for p in item.get("parameters", [])]
        for method in METHODS:
            if method not in item:
                continue
            where = f"{method.upper()} {path}"
            own = [resolve(spec, p) for p in item[method].get("parameters", [])]
            keys = [(p["in"], p["name"].lower() if p["in"] == "header" else p["name"]) for p in own]
            assert len(keys) == len(set(keys)), f"operation-parameters: {where} {keys}"
            declared = {p["name"]: p for p in shared + own if p["in"] == "path"}
            assert set(declared) == set(names), f"path-params: {where} {set(declared)} {names}"
            assert all(p.get("required") is True for p in declared.values()), where


# --- errors ------------------------------------------------------------------------


def test_every_error_is_a_documented_problem(spec):
    for path, method, operation in operations(spec):
        if path in PROBES:
            continue
        for code, response in operation["responses"].items():
            if str(code)[0] not in "45":
                continue
            where = f"{method.upper()} {path} {code}"
            content = resolve(spec, response).get("content", {})
            assert list(content) == [PROBLEM], where
            assert (
                resolve(spec, content[PROBLEM]["schema"])
                is spec["components"]["schemas"]["Problem"]
            ), where


# --- examples ----------------------------------------------------------------------


def examples_with_schemas(spec) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(where, example, schema) for request bodies, responses and parameters, as
    ``oas3-valid-media-example`` finds them, and for schemas with their own examples
    (``oas3-valid-schema-example``)."""
    media_types: list[tuple[str, dict[str, Any]]] = []
    for path, method, operation in operations(spec):
        where = f"{method.upper()} {path}"
        body = resolve(spec, operation.get("requestBody", {}))
        media_types += [(f"{where} body {t}", m) for t, m in body.get("content", {}).items()]
        # Shared responses and parameters ($ref) are checked once, as components, below.
        for code, response in operation["responses"].items():
            content = response.get("content", {})
            media_types += [(f"{where} {code} {t}", m) for t, m in content.items()]
        for parameter in operation.get("parameters", []):
            if "$ref" not in parameter:
                media_types.append((f"{where} parameter {parameter['name']}", parameter))
    components = spec.get("components", {})
    for name, response in components.get("responses", {}).items():
        media_types += [(f"response {name} {t}", m) for t, m in response["content"].items()]
    for name, parameter in components.get("parameters", {}).items():
        media_types.append((f"parameter {name}", parameter))
    for where, media in media_types:
        if "schema" not in media:
            continue
        if "example" in media:
            yield where, media["example"], media["schema"]
        for key, example in media.get("examples", {}).items():
            example = resolve(spec, example)
            if "value" in example:
                yield f"{where} example {key}", example["value"], media["schema"]
    for where, schema in _schemas(components.get("schemas", {}), "#/components/schemas"):
        bare = {k: v for k, v in schema.items() if k not in ("example", "examples")}
        if "example" in schema:
            yield where, schema["example"], bare
        for n, example in enumerate(schema.get("examples", [])):
            yield f"{where} examples[{n}]", example, bare


def _schemas(schema: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside ``schema`` (a name → schema map at the top)."""
    if not isinstance(schema, dict):
        return
    if where != "#/components/schemas":
        yield where, schema
    children: list[tuple[str, Any]] = []
    for key in ("properties", "patternProperties", "$defs"):
        children += [(f"{key}/{k}", v) for k, v in schema.get(key, {}).items()]
    for key in ("items", "additionalProperties", "not", "contains"):
        children.append((key, schema.get(key)))
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        children += [(f"{key}/{n}", v) for n, v in enumerate(schema.get(key, []))]
    if where == "#/components/schemas":
        children = list(schema.items())
    for key, child in children:
        yield from _schemas(child, f"{where}/{key}")


def _absolute(node: Any) -> Any:
    """The schema with its local ``$ref``s pointing into the document's resource."""
    if isinstance(node, dict):
        return {
            k: (f"{SPEC_URI}{v}" if k == "$ref" and v.startswith("#") else _absolute(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_absolute(v) for v in node]
    return node


def test_every_example_is_valid_against_its_schema(spec):
    registry = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    checked, invalid = 0, []
    for where, example, schema in examples_with_schemas(spec):
        validator = Draft202012Validator(
            _absolute(schema),
            registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        checked += 1
        invalid += [f"{where}: {e.message}" for e in validator.iter_errors(example)]
    assert not invalid, "\n".join(invalid)
    assert checked >= len(spec["components"]["responses"])  # the walk found the examples


def test_every_property_of_every_schema_has_a_type(spec):
    """A property without a type is "any" to a generated client: the model loses the
    field's type, and with it the client's checks (a computed field must say its own)."""
    untyped = [
        f"{name}.{prop}"
        for name, schema in spec["components"]["schemas"].items()
        for prop, value in schema.get("properties", {}).items()
        if not {"type", "$ref", "enum", "allOf", "anyOf", "oneOf"} & set(value)
    ]
    assert not untyped, untyped


def test_answers_require_every_field_they_always_carry_and_requests_only_what_must_be_sent(
    spec,
):
    """A generated client then types an answer's fields as present (the generated tests
    check that every answer carries them); bodies a client sends keep their own rules."""
    schemas = spec["components"]["schemas"]

    def required(name: str) -> tuple[set[str], set[str]]:
        return set(schemas[name].get("required", [])), set(schemas[name]["properties"])

    for name in ("Project", "Organisation", "Agreement", "ImportReport", "Matrix", "Readiness"):
        needed, everything = required(name)
        assert needed == everything, name
    for name, left_out in (("Unmet", {"subject"}), ("Violation", {"location"})):
        needed, everything = required(name)
        assert needed == everything - left_out, name  # left out of answers when empty
    for name in ("ProjectCreate", "Problem"):
        needed, everything = required(name)
        assert needed < everything, name


def _referred(spec, node: Any, found: set[str] | None = None) -> set[str]:
    """The schema components ``node`` refers to, and those they refer to in turn."""
    found = set() if found is None else found
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/") and (name := ref.rsplit("/", 1)[1]) not in found:
            found.add(name)
            _referred(spec, spec["components"]["schemas"][name], found)
        for value in node.values():
            _referred(spec, value, found)
    elif isinstance(node, list):
        for value in node:
            _referred(spec, value, found)
    return found


def test_answers_and_requests_have_schemas_of_their_own_where_they_differ(spec):
    """One schema for an answer and a request body makes a generated client type the
    answer as loosely as the request (an answered id optional). Only the project document
    is both, on purpose: the export is what the import takes back."""
    bodies = [op.get("requestBody") for _path, _method, op in operations(spec)]
    answers = [
        response
        for _path, _method, op in operations(spec)
        for code, response in op["responses"].items()
        if str(code)[0] in "23"
    ]
    shared = _referred(spec, bodies) & _referred(spec, answers)
    assert shared <= _referred(spec, {"$ref": "#/components/schemas/ProjectDocument"}), shared


def test_problems_are_typed_down_to_what_an_unmet_condition_is_about(spec):
    schemas = spec["components"]["schemas"]
    problem = schemas["Problem"]
    # What every problem carries; the rest belongs to some problems only.
    assert set(problem["required"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "request_id",
    }
    assert problem["properties"]["unmet"]["items"] == {"$ref": "#/components/schemas/Unmet"}
    assert problem["properties"]["violations"]["items"] == {
        "$ref": "#/components/schemas/Violation"
    }
    subject = schemas["Unmet"]["properties"]["subject"]
    assert subject["$ref"] == "#/components/schemas/UnmetSubject"
    for name, prop in schemas["UnmetSubject"]["properties"].items():
        assert prop.get("description"), name
        ids = {k: v for k, v in prop.items() if k != "description"}
        ids = ids if ids["type"] == "string" else ids["items"]
        assert name == "service" or ids == {"type": "string", "format": "uuid"}, name


# --- Spectral and Redocly themselves --------------------------------------------------


def test_spectral_finds_no_errors_and_no_warnings():
    """``spectral:oas`` (``.spectral.yaml``), descriptions included."""
    result = subprocess.run(
        [
            npm.tools() / "spectral",
            "lint",
            str(COMMITTED),
            "--ruleset",
            str(ROOT / ".spectral.yaml"),
            "--format",
            "json",
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    findings = json.loads(result.stdout or "[]")
    reported = [
        f"{f['code']} ({['error', 'warning', 'info', 'hint'][f['severity']]}): "
        f"{f['message']} at {'.'.join(map(str, f['path']))}"
        for f in findings
    ]
    assert not reported, "\n".join(reported)
    assert result.returncode == 0, result.stderr[-2000:]


def test_redocly_recommended_finds_no_errors_and_no_warnings():
    """``recommended`` (``redocly.yaml``); the probes' want of a 4XX answer is the one
    finding ignored (``.redocly.lint-ignore.yaml``): they answer 200 or 503 only."""
    result = subprocess.run(
        [npm.tools() / "redocly", "lint", str(COMMITTED), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    problems = [
        f"{p['ruleId']} ({p['severity']}): {p['message']} at {p['location'][0]['pointer']}"
        for p in report["problems"]
        if not p.get("ignored")
    ]
    assert not problems, "\n".join(problems)
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 2}
