"""Tenant isolation, derived from the app's URL map: whatever another workspace (or, for a
key restricted to one organisation, another organisation) holds does not exist for the
caller. Every route is probed, so a route added later is covered without anyone
remembering; ``estate.py`` names the routes whose URL arguments it cannot fill yet.

The estates are made once for the module and only probed: every test also proves that
its probes changed nothing in the database.
"""

import json
import uuid

import pytest

from domain.access import Role
from tests.conftest import Workspace, empty_database
from tests.contract.estate import (
    Estate,
    build_estate,
    database_content,
    routes,
    snapshot,
    uuids_in,
)

ORGANISATION_ARGUMENTS = {"organisation_id", "team_id", "person_id", "project_id"}
NATURAL_KEYS = {"external_id"}  # scoped by their organisation: "foreign" means nothing alone


@pytest.fixture(autouse=True)
def _clean_database():
    """Replaces conftest's emptying after each test: the estates below live for the module."""


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


@pytest.fixture(scope="module")
def estates(app):
    """Ours (the caller's workspace) and theirs (another workspace), each with everything."""
    empty_database(app)
    ours = build_estate(Workspace(app, "Adviesbureau De Brug").admin)
    theirs = build_estate(Workspace(app, "Another consultancy").admin)
    yield ours, theirs
    empty_database(app)


@pytest.fixture(scope="module")
def two_organisations(app, estates):
    """Two estates in a third workspace (organisations A and B) and a consultant key for A."""
    workspace = Workspace(app, "Two clients")
    a, b = build_estate(workspace.admin), build_estate(workspace.admin)
    restricted = workspace.client(
        Role.CONSULTANT, organisation_id=uuid.UUID(a.ids["organisation_id"])
    )
    return a, b, Estate(restricted, a.ids, a.references, a.every_id)


@pytest.fixture
def unchanged(engine):
    """Asserts after the test that the database holds exactly what it held before."""
    before = database_content(engine)
    yield
    assert database_content(engine) == before, "a probe wrote to the database"


def is_not_found(response) -> bool:
    return response.status_code == 404 and response.mimetype == "application/problem+json"


def call(api, route, url, body):
    return api.request(route.method, url, json=body)


def report(failures: list[str]) -> str:
    return "\n".join(["these calls reached what they must not see:", *failures])


def test_every_route_answers_404_for_another_workspaces_ids(app, spec, estates, unchanged):
    ours, theirs = estates
    before = snapshot(theirs, app)

    failures = []
    for route in routes(app):
        if route.arguments:
            response = call(ours.api, route, theirs.url(route), route.example(spec))
            if not is_not_found(response):
                failures.append(f"{route}: {response.status_code}")

    assert not failures, report(failures)
    assert snapshot(theirs, app) == before, "the other workspace reads differently now"


def test_own_parents_do_not_lead_to_another_workspaces_objects(app, spec, estates, unchanged):
    ours, theirs = estates

    failures, probed = [], 0
    for route in routes(app):
        for name in set(route.arguments[1:]) - NATURAL_KEYS:
            probed += 1
            url = ours.url(route, **{name: theirs.ids[name]})
            response = call(ours.api, route, url, ours.refer(route.example(spec)))
            if not is_not_found(response):
                failures.append(f"{route} with their <{name}>: {response.status_code}")

    assert probed >= 40
    assert not failures, report(failures)


def test_bodies_cannot_refer_to_another_workspaces_objects(app, spec, estates, unchanged):
    """Referring to their object is answered exactly like referring to no object at all."""
    ours, theirs = estates
    nowhere = Estate(ours.api, {}, {k: _random_like(v) for k, v in theirs.references.items()})

    failures, probed = [], 0
    for route in routes(app):
        example = route.example(spec)
        if theirs.refer(example) == example:
            continue  # the body refers to nothing
        probed += 1
        url = ours.url(route)
        foreign = call(ours.api, route, url, theirs.refer(example))
        missing = call(ours.api, route, url, nowhere.refer(example))
        if foreign.status_code not in (404, 422) or _answer(foreign) != _answer(missing):
            failures.append(f"{route}: {_answer(foreign)} where nothing gets {_answer(missing)}")

    assert probed >= 10, "the examples should refer to things"
    assert not failures, report(failures)


def test_lists_never_show_another_workspaces_objects(app, spec, estates):
    ours, theirs = estates
    their_ids = uuids_in(json.dumps(snapshot(theirs, app)))

    lists = [route for route in routes(app) if route.lists(spec)]
    failures = []
    for route in lists:
        listed = ours.api.get(ours.url(route), query_string={"page_size": 100})
        assert listed.status_code == 200, (str(route), listed.get_json())
        assert listed.get_json(), f"{route}: give the estate something to list here"
        if leaked := uuids_in(listed.get_data(as_text=True)) & their_ids:
            failures.append(f"{route} lists {sorted(leaked)}")

    assert len(lists) >= 20
    assert len(their_ids) >= 30
    assert not failures, report(failures)


# --- a key restricted to one organisation -----------------------------------------------------


def test_a_key_for_organisation_a_gets_404_for_everything_of_organisation_b(
    app, spec, two_organisations, unchanged
):
    a, b, restricted = two_organisations

    failures, probed = [], 0
    for route in routes(app):
        if route.arguments and route.arguments[0] in ORGANISATION_ARGUMENTS:
            probed += 1
            response = call(restricted.api, route, b.url(route), a.refer(route.example(spec)))
            if not is_not_found(response):
                failures.append(f"{route}: {response.status_code}")

    assert probed >= 50
    assert not failures, report(failures)


def test_a_key_for_organisation_a_lists_only_organisation_as_data(app, spec, two_organisations):
    a, b, restricted = two_organisations
    workspace_wide = {b.ids[name] for name in ("competence_id", "theme_id", "key_id")}
    b_ids = b.every_id - workspace_wide

    failures = []
    for route in routes(app):
        if route.lists(spec):
            response = restricted.api.get(a.url(route), query_string={"page_size": 100})
            if response.status_code == 200 and uuids_in(response.get_data(as_text=True)) & b_ids:
                failures.append(str(route))

    assert not failures, report(failures)
    organisations = restricted.api.ok("GET", "/api/v1/organisations")
    assert [o["id"] for o in organisations] == [a.ids["organisation_id"]]
    projects = restricted.api.ok("GET", "/api/v1/projects")
    assert [p["id"] for p in projects] == [a.ids["project_id"]]


def test_a_key_for_organisation_a_cannot_start_a_project_in_organisation_b(
    two_organisations, unchanged
):
    _a, b, restricted = two_organisations
    body = {"name": "Elsewhere", "organisation_id": b.ids["organisation_id"]}
    response = restricted.api.post("/api/v1/projects", {**body, "team_id": b.ids["team_id"]})
    nowhere = {**body, "organisation_id": str(uuid.uuid4()), "team_id": str(uuid.uuid4())}

    assert response.status_code in (404, 422)
    assert _answer(response) == _answer(restricted.api.post("/api/v1/projects", nowhere))


def _random_like(value):
    if isinstance(value, list):
        return [str(uuid.uuid4()) for _ in value]
    return str(uuid.uuid4())


def _answer(response) -> tuple[int, list[str]]:
    """What a caller can tell from a refusal: its status and which fields it names."""
    body = response.get_json(silent=True) or {}
    return response.status_code, sorted(body.get("errors", {}) if isinstance(body, dict) else [])
