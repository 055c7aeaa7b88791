"""Bad input to the write operations a client relies on most: every kind is refused with a
4xx problem that names the field where there is one, leaks nothing of the inside, and
writes nothing. Text that merely looks dangerous is text: stored and given back verbatim.

The organisation, team, project and participant written to are made once for the module.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import count
from typing import Any, NamedTuple

import pytest

from tests import builders
from tests.client import ApiClient, assert_problem
from tests.conftest import Workspace, empty_database
from tests.contract.estate import LEAKS, Estate, build_estate, footprint, routes

_numbers = count(1)


@dataclass(frozen=True)
class Write:
    operation: str
    method: str
    path: str  # {organisation_id}, {project_id}, {participant_id}, {external_id} are filled in
    body: Callable[[dict[str, str]], dict[str, Any]]  # a valid body, new on every call
    wrong_type: tuple[str, Any]  # a field and a value of the wrong type for it
    required: str | None = None  # a field the operation cannot do without
    text: str | None = None  # a text field, as `errors` names it ("people.0.name")
    max_length: int = 200
    stores_text: bool = True  # a valid body with this text is accepted and kept
    bulk: bool = False  # a bulk operation, with the larger body limit

    def __str__(self) -> str:
        return self.operation


class World(NamedTuple):
    api: ApiClient
    ids: dict[str, str]


def _n() -> int:
    return next(_numbers)


WRITES = [
    Write(
        "create_organisation",
        "POST",
        "/organisations",
        lambda w: {"name": f"Organisation {_n()}"},
        ("name", 123),
        "name",
        "name",
    ),
    Write(
        "create_team",
        "POST",
        "/organisations/{organisation_id}/teams",
        lambda w: {"name": f"Team {_n()}"},
        ("name", ["Support"]),
        "name",
        "name",
    ),
    Write(
        "create_person",
        "POST",
        "/organisations/{organisation_id}/people",
        lambda w: {"name": f"Person {_n()}", "external_id": f"BI-{_n()}", "email": "p@example.nl"},
        ("active", "maybe"),
        "name",
        "name",
    ),
    Write(
        "upsert_person_by_external_id",
        "PUT",
        "/organisations/{organisation_id}/people/external/{external_id}",
        lambda w: {"name": f"Employee {_n()}", "email": "e@example.nl", "active": True},
        ("email", 42),
        "name",
        "name",
    ),
    Write(
        "sync_people",
        "POST",
        "/organisations/{organisation_id}/people/sync",
        lambda w: {"people": [{"external_id": f"S-{_n()}", "name": f"Synced {_n()}"}]},
        ("people", "everyone"),
        "people",
        "people.0.name",
        bulk=True,
    ),
    Write(
        "create_project",
        "POST",
        "/projects",
        lambda w: {
            "name": f"Project {_n()}",
            "organisation_id": w["organisation_id"],
            "team_id": w["team_id"],
        },
        ("organisation_id", 7),
        "team_id",
        "name",
    ),
    Write(
        "add_participant",
        "POST",
        "/projects/{project_id}/participants",
        lambda w: {"person_id": w["person_id"], "roles": ["member"]},
        ("roles", "member"),
        "person_id",
    ),
    Write(
        "create_finding",
        "POST",
        "/projects/{project_id}/intake/findings",
        lambda w: {"text": f"Finding {_n()}"},
        ("text", {"a": 1}),
        "text",
        "text",
        10_000,
    ),
    Write(
        "create_grievance",
        "POST",
        "/projects/{project_id}/intake/grievances",
        lambda w: {"text": f"Grievance {_n()}", "anonymous": True},
        ("anonymous", "sometimes"),
        "text",
        "text",
        10_000,
    ),
    Write(
        "rate_readiness",
        "PUT",
        "/projects/{project_id}/intake/readiness/{participant_id}",
        lambda w: {"desire": 4, "energy": 3, "feasibility": 4},
        ("desire", "high"),
        "energy",
    ),
    Write(
        "put_conclusion",
        "PUT",
        "/projects/{project_id}/intake/conclusion",
        lambda w: {"ready": True, "text": f"Conclusion {_n()}"},
        ("ready", "perhaps"),
        "ready",
        "text",
        10_000,
    ),
    Write(
        "create_transition",
        "POST",
        "/projects/{project_id}/transitions",
        lambda w: {"to": "service_definition", "reason": "Because."},
        ("to", 5),
        "to",
        "reason",
        2000,
        stores_text=False,  # the gate is closed: a valid body is refused with 409
    ),
    Write(
        "update_organisation",
        "PATCH",
        "/organisations/{organisation_id}",
        lambda w: {"name": f"Renamed {_n()}"},
        ("name", 123),
        None,
        "name",
    ),
]
WITH_TEXT = [w for w in WRITES if w.text]
IN_A_PATH = [w for w in WRITES if "{" in w.path]


@pytest.fixture(autouse=True)
def _clean_database():
    """Replaces conftest's emptying after each test: the world below lives for the module."""


@pytest.fixture(scope="module")
def world(app):
    """Where the writes go: an organisation with a team and a project in intake, one
    participant, and a person who is not taking part yet; and the workspace's admin."""
    empty_database(app)
    api = Workspace(app, "Adviesbureau De Brug").admin
    project = builders.project(api)
    participant = builders.participant(api, project)
    newcomer = builders.person(api, project["organisation_id"])
    ids = {
        "organisation_id": project["organisation_id"],
        "team_id": project["team_id"],
        "project_id": project["id"],
        "participant_id": participant["id"],
        "person_id": newcomer["id"],
    }
    yield World(api, ids)
    empty_database(app)


@pytest.fixture(scope="module")
def estate(app, world) -> Estate:
    """One object of every kind, in a workspace of its own, for the tests derived from the
    app's routes and document."""
    return build_estate(Workspace(app, "Every kind").admin)


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


@pytest.fixture
def nothing_written(world, engine):
    """Asserts after the test that no row (and so no audit record) was added, changed or
    removed."""
    before = footprint(engine)
    yield
    assert footprint(engine) == before, "a refused call wrote"


def url(write: Write, ids: dict[str, str]) -> str:
    return "/api/v1" + write.path.format(external_id=f"X-{_n()}", **ids)


def send(world: World, write: Write, body: Any = None, raw: bytes | None = None, **kwargs):
    if raw is not None:
        kwargs.setdefault("headers", {"Content-Type": "application/json"})
        kwargs["data"] = raw
    return world.api.request(write.method, url(write, world.ids), json=body, **kwargs)


def refused(response, status: int, field: str | None = None) -> dict:
    """A 4xx problem that names ``field`` and shows nothing of the inside."""
    problem = assert_problem(response, status)
    text = response.get_data(as_text=True)
    assert not [leak for leak in LEAKS if leak in text], text
    if field is not None:
        assert field in problem["errors"], problem
    return problem


def with_value(body: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """``body`` with the field at ``dotted`` ("people.0.name") set to ``value``."""
    body = json.loads(json.dumps(body))
    *parents, last = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    node = body
    for part in parents:
        node = node[part]
    node[last] = value
    return body


# --- the body as a whole --------------------------------------------------------------------


MALFORMED = {
    "unfinished": b'{"name": "unfinished',
    "nested too deeply": b'{"name": ' + b"[" * 30_000 + b"]" * 30_000 + b"}",
    "not utf-8": b'{"name": "\xff"}',
}


@pytest.mark.parametrize("raw", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize("write", WRITES, ids=str)
def test_malformed_json_is_refused_with_400(world, write, raw, nothing_written):
    refused(send(world, write, raw=raw), 400)


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_json_that_is_not_an_object_is_refused(world, write, nothing_written):
    refused(send(world, write, raw=b'["a", "list"]'), 422, "_schema")


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_a_body_over_the_size_limit_is_refused_with_413(world, write, settings, nothing_written):
    limit = settings.max_bulk_body_bytes if write.bulk else settings.max_body_bytes
    body = with_value(write.body(world.ids), "padding", "x" * limit)
    refused(send(world, write, body), 413)


@pytest.mark.parametrize("write", WRITES, ids=str)
@pytest.mark.parametrize("content_type", ["text/plain", "form"])
def test_a_body_that_is_not_json_is_refused_with_415(world, write, content_type, nothing_written):
    body = write.body(world.ids)
    if content_type == "form":
        response = send(world, write, data={k: str(v) for k, v in body.items()})
    else:
        response = send(world, write, data=json.dumps(body), content_type=content_type)
    refused(response, 415)


# --- fields -------------------------------------------------------------------------------


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_an_unknown_field_is_refused_and_named(world, write, nothing_written):
    refused(send(world, write, {**write.body(world.ids), "is_admin": True}), 422, "is_admin")


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_a_value_of_the_wrong_type_is_refused_and_named(world, write, nothing_written):
    field, value = write.wrong_type
    refused(send(world, write, {**write.body(world.ids), field: value}), 422, field)


@pytest.mark.parametrize("write", [w for w in WRITES if w.required], ids=str)
def test_a_missing_required_field_is_refused_and_named(world, write, nothing_written):
    body = {k: v for k, v in write.body(world.ids).items() if k != write.required}
    refused(send(world, write, body), 422, write.required)


@pytest.mark.parametrize("write", WITH_TEXT, ids=str)
def test_text_beyond_its_maximum_length_is_refused_and_named(world, write, nothing_written):
    body = with_value(write.body(world.ids), write.text, "x" * (write.max_length + 1))
    refused(send(world, write, body), 422, write.text)


@pytest.mark.parametrize("write", WITH_TEXT, ids=str)
def test_a_nul_character_in_text_is_refused_and_named(world, write, nothing_written):
    body = with_value(write.body(world.ids), write.text, "before\x00after")
    refused(send(world, write, body), 422, write.text)


@pytest.mark.parametrize("write", WITH_TEXT, ids=str)
def test_a_lone_surrogate_in_text_is_refused_and_named(world, write, nothing_written):
    body = json.dumps(with_value(write.body(world.ids), write.text, "\ud800"))
    refused(send(world, write, raw=body.encode()), 422, write.text)


@pytest.mark.parametrize("write", IN_A_PATH, ids=str)
def test_an_invalid_uuid_in_the_path_is_404(world, write, nothing_written):
    broken = replace(write, path=re.sub(r"\{\w+_id\}", "not-a-uuid", write.path, count=1))
    response = send(world, broken, write.body(world.ids))
    refused(response, 404)


# --- every operation, derived from the app's routes and document --------------------------------


def fields_of(body: Any, kind: type, path: tuple = ()) -> list[str]:
    """The dotted paths (as `errors` names them) of every value of ``kind`` in ``body``."""
    if isinstance(body, dict):
        return [f for key, value in body.items() for f in fields_of(value, kind, (*path, key))]
    if isinstance(body, list):
        return [f for i, value in enumerate(body) for f in fields_of(value, kind, (*path, str(i)))]
    is_kind = isinstance(body, kind) and not isinstance(body, bool)
    return [".".join(path)] if is_kind else []


def refusals(estate: Estate, app, spec, kind: type, *bad_values: Any) -> tuple[int, list[str]]:
    """Every example body with each of its ``kind`` fields set to each bad value in turn:
    how many were tried, and which were not refused with a clean 422 naming the field."""
    failures, tried = [], 0
    for route in routes(app):
        example = estate.refer(route.example(spec))
        for field in fields_of(example, kind):
            for bad in bad_values:
                tried += 1
                body = with_value(example, field, bad)
                response = estate.api.request(route.method, estate.url(route), json=body)
                named = field in (response.get_json(silent=True) or {}).get("errors", {})
                clean = not any(leak in response.get_data(as_text=True) for leak in LEAKS)
                if response.status_code != 422 or not named or not clean:
                    failures.append(f"{route} {field}={str(bad)[:8]!r}: {response.status_code}")
    return tried, failures


def test_no_string_in_any_request_body_takes_a_nul_or_endless_text(
    app, spec, estate, nothing_written
):
    tried, failures = refusals(estate, app, spec, str, "before\x00after", "x" * 20_000)

    assert tried > 100
    assert not failures, "\n".join(failures)


def test_no_whole_number_in_any_request_body_takes_a_fraction(app, spec, estate, nothing_written):
    """3.7 for a level or rating is refused, never quietly stored as 3."""
    tried, failures = refusals(estate, app, spec, int, 2.5)

    assert tried >= 5
    assert not failures, "\n".join(failures)


def test_no_list_filter_takes_a_nul(app, spec, estate, nothing_written):
    failures, probed = [], 0
    for route in routes(app):
        if route.lists(spec):
            for parameter in route.operation(spec).get("parameters", []):
                if isinstance(parameter, dict) and parameter["in"] == "query":
                    probed += 1
                    name = parameter["name"]
                    response = estate.api.get(estate.url(route), query_string={name: "a\x00b"})
                    if f"query.{name}" not in refused(response, 422).get("errors", {}):
                        failures.append(f"{route} ?{name}")

    assert probed > 80
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "external_id", ["a%00b", "%20%20", "x" * 201], ids=["nul", "blank", "long"]
)
def test_an_external_id_the_body_would_refuse_names_no_one_in_the_path(world, external_id, engine):
    """No person can have such an id, so the path is not found, as a malformed UUID is; an
    upsert to it creates no one."""
    path = f"/api/v1/organisations/{world.ids['organisation_id']}/people/external/{external_id}"
    before = footprint(engine)

    refused(world.api.get(path), 404)
    refused(world.api.put(path, {"name": "Nobody"}), 404)
    assert footprint(engine) == before


# --- text that only looks dangerous -----------------------------------------------------------

LOOKS_DANGEROUS = ["'; DROP TABLE people; --", "<script>alert(1)</script>"]


@pytest.mark.parametrize("text", LOOKS_DANGEROUS, ids=["sql", "script"])
@pytest.mark.parametrize("write", [w for w in WITH_TEXT if w.stores_text], ids=str)
def test_sql_and_script_like_text_is_stored_and_given_back_verbatim(world, write, text):
    body = with_value(write.body(world.ids), write.text, text)

    response = send(world, write, body)

    assert response.status_code in (200, 201), response.get_json()
    field = write.text.rsplit(".", 1)[-1]
    assert response.get_json().get(field, text) == text  # the sync report shows no names
    kept = world.api.ok("GET", _where_it_is_kept(write, body, response, world.ids))
    assert kept[field] == text
    people = f"/api/v1/organisations/{world.ids['organisation_id']}/people"
    assert world.api.get(people).status_code == 200


def _where_it_is_kept(write: Write, body, response, ids) -> str:
    if "Location" in response.headers:
        return response.headers["Location"]
    if write.operation == "sync_people":
        external_id = body["people"][0]["external_id"]
        return f"/api/v1/organisations/{ids['organisation_id']}/people/external/{external_id}"
    return url(write, ids)


# --- list arguments -----------------------------------------------------------------------

LISTS = ["/organisations", "/organisations/{organisation_id}/people", "/projects", "/audit"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"page_size": 101}, "query.page_size"),
        ({"page_size": 0}, "query.page_size"),
        ({"page": 0}, "query.page"),
        ({"page": "two"}, "query.page"),
        ({"updated_since": "yesterday"}, "query.updated_since"),
        ({"colour": "red"}, "query.colour"),
    ],
    ids=["page_size 101", "page_size 0", "page 0", "page two", "bad time", "unknown"],
)
def test_list_arguments_out_of_bounds_are_refused_and_named(world, path, arguments, field):
    response = world.api.get("/api/v1" + path.format(**world.ids), query_string=arguments)
    refused(response, 422, field)


@pytest.mark.parametrize(
    ("search", "finds"),
    [("%", ["100% sure"]), ("_", []), ("'; DROP TABLE", ["'; DROP TABLE people; --"])],
    ids=["percent", "underscore", "sql"],
)
def test_search_text_is_matched_literally_never_as_a_pattern_or_sql(world, search, finds):
    names = ["100% sure", "'; DROP TABLE people; --", "Plain"]
    made = {builders.organisation(world.api, name)["id"] for name in names}

    found = world.api.ok("GET", "/api/v1/organisations", query_string={"q": search})

    assert [o["name"] for o in found if o["id"] in made] == finds
