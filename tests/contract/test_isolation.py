"""Tenant isolation, derived from the app's URL map: whatever another workspace (or, for a
key restricted to one organisation, another organisation) holds does not exist for the
caller. Every route is probed, so a route added later is covered without anyone
remembering; ``estate.py`` names the routes whose URL arguments it cannot fill yet.

The same holds for users signed in through the OpenID provider: an admin, a consultant
or a participant of another workspace, a participant of another project, and a
participant of another organisation get 404 for every id route. Where the role table
refuses the role the operation outright, the answer is its 403, the same for any id
(nothing is looked up); it tells nothing of what exists.

The estates are made once for the module and only probed: every test also proves that
its probes changed nothing in the database.
"""

import json
import uuid
from collections.abc import Collection

import pytest

from api.policy import OWN, POLICY
from domain.access import Role
from tests import builders
from tests.client import ApiClient
from tests.conftest import Workspace, empty_database
from tests.contract.estate import (
    API,
    Estate,
    build_estate,
    database_content,
    routes,
    snapshot,
    uuids_in,
)

ORGANISATION_ARGUMENTS = {"organisation_id", "team_id", "person_id", "project_id"}
NATURAL_KEYS = {"external_id"}  # scoped by their organisation: "foreign" means nothing alone
# The workspace's own catalogue, shared by all its projects and organisations: a user of
# another project or organisation of the same workspace reads these as rightly as anyone.
WORKSPACE_WIDE = {"competence_id", "theme_id"}


@pytest.fixture(autouse=True)
def _clean_database():
    """Replaces conftest's emptying after each test: the estates below live for the module."""


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


@pytest.fixture(scope="module")
def tenants(app):
    """The caller's workspace and another one."""
    empty_database(app)
    yield Workspace(app, "Adviesbureau De Brug"), Workspace(app, "Another consultancy")
    empty_database(app)


@pytest.fixture(scope="module")
def estates(tenants):
    """Ours (the caller's workspace) and theirs (another workspace), each with everything."""
    ours, theirs = tenants
    return build_estate(ours.admin), build_estate(theirs.admin)


@pytest.fixture(scope="module")
def two_clients(app, estates):
    """A third workspace, for two organisations of one consultancy."""
    return Workspace(app, "Two clients")


@pytest.fixture(scope="module")
def two_organisations(two_clients):
    """Two estates in a third workspace (organisations A and B) and a consultant key for A."""
    a, b = build_estate(two_clients.admin), build_estate(two_clients.admin)
    restricted = two_clients.client(
        Role.CONSULTANT, organisation_id=uuid.UUID(a.ids["organisation_id"])
    )
    return a, b, Estate(restricted, a.ids, a.references, a.every_id)


@pytest.fixture(scope="module")
def of_b(two_clients, two_organisations, oidc) -> ApiClient:
    """A participant of organisation B's project (its Anna), of the third workspace (which
    trusts the provider's other issuer: each issuer is one workspace's)."""
    _a, b, _restricted = two_organisations
    return signed_in(two_clients, oidc, Role.PARTICIPANT, "b", b.ids["person_id"])


def signed_in(workspace: Workspace, oidc, role: Role, issuer: str, person_id=None) -> ApiClient:
    """A user of ``workspace`` signed in through the local provider (the first sign-in,
    which links the subject, is over before any probe: it writes)."""
    user = workspace.user(oidc, role, person_id=person_id, issuer=issuer)
    user.ok("GET", "/api/v1/users/me")
    return user


@pytest.fixture(scope="module")
def our_users(tenants, estates, oidc) -> dict[str, ApiClient]:
    """Users of our workspace: an admin, a consultant, and a participant of our estate's
    project (Anna)."""
    ours, _theirs = tenants
    person = estates[0].ids["person_id"]
    return {
        "admin": signed_in(ours, oidc, Role.ADMIN, "a"),
        "consultant": signed_in(ours, oidc, Role.CONSULTANT, "a"),
        "participant": signed_in(ours, oidc, Role.PARTICIPANT, "a", person),
    }


@pytest.fixture(scope="module")
def elsewhere(tenants, estates, oidc) -> tuple[ApiClient, dict, dict]:
    """A participant of another project of our estate's organisation and team (Piet), that
    project, and his participant in it."""
    ours, _theirs = tenants
    estate = estates[0]
    project = builders.project(ours.admin, estate.ids["organisation_id"], estate.ids["team_id"])
    piet = builders.participant(ours.admin, project)
    return signed_in(ours, oidc, Role.PARTICIPANT, "a", piet["person_id"]), project, piet


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


def refused_unseen(user: ApiClient, route, estate: Estate, spec) -> str | None:
    """What is wrong with a user's call of ``route`` on ``estate``'s objects, or None: it
    must be a 404, or the 403 its role gets for this operation whatever the id."""
    body = route.example(spec)
    response = call(user, route, estate.url(route), body)
    if is_not_found(response):
        return None
    if response.status_code == 403 and user.user["role"] not in {
        str(role) for role in POLICY[route.operation(spec)["operationId"]]
    }:
        anywhere = {name: str(uuid.uuid4()) for name in route.arguments}
        same = call(user, route, estate.url(route, **anywhere), body)
        if (same.status_code, _refusal(same)) == (403, _refusal(response)):
            return None
    return f"{route}: {response.status_code}"


def unseen_by(
    user: ApiClient, app, spec, estate: Estate, shared: Collection[str] = ()
) -> tuple[list[str], int]:
    """``refused_unseen`` for every id route of ``estate`` but those whose first id is one
    the user may share with it (``shared``): the failures, and how many routes were tried."""
    tried = [r for r in routes(app) if r.arguments and r.arguments[0] not in shared]
    failures = [f for r in tried if (f := refused_unseen(user, r, estate, spec))]
    return failures, len(tried)


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


# --- users signed in -----------------------------------------------------------------------


def test_a_user_of_another_workspace_gets_404_for_every_id_route(
    app, spec, estates, our_users, unchanged
):
    _ours, theirs = estates

    failures, probed = [], 0
    for role, user in our_users.items():
        theirs_seen, tried = unseen_by(user, app, spec, theirs)
        failures += [f"{role} {failure}" for failure in theirs_seen]
        probed += tried

    assert probed >= 3 * 100
    assert not failures, report(failures)


def test_a_participant_of_another_project_gets_404_for_every_id_route_of_this_one(
    app, spec, estates, elsewhere, unchanged
):
    ours, _theirs = estates
    piet, _project, _participant = elsewhere

    failures, probed = unseen_by(piet, app, spec, ours, WORKSPACE_WIDE)

    assert probed >= 100
    assert not failures, report(failures)


def test_a_participant_of_another_organisation_gets_404_for_every_id_route_of_this_one(
    app, spec, two_organisations, of_b, unchanged
):
    a, _b, _restricted = two_organisations

    failures, probed = unseen_by(of_b, app, spec, a, WORKSPACE_WIDE)

    assert probed >= 100
    assert not failures, report(failures)


def test_a_participant_lists_nothing_of_another_project(app, spec, estates, elsewhere):
    """Every list Piet may read in his own project shows nothing of our estate's project
    (the organisation, team and workspace catalogue they share aside)."""
    ours, _theirs = estates
    piet, project, his = elsewhere
    shared = {ours.ids[name] for name in ("organisation_id", "team_id", *WORKSPACE_WIDE)}
    theirs = ours.every_id - shared

    failures, listed = [], 0
    for route in routes(app):
        if route.lists(spec) and route.rule.startswith(f"{API}projects/<uuid:project_id>"):
            url = ours.url(route, project_id=project["id"])
            query = {"page_size": 100}
            own = OWN.get(route.operation(spec)["operationId"])
            if own is not None and own.query:
                query[own.query] = his["id"]  # he may list only his own
            response = piet.get(url, query_string=query)
            if response.status_code != 200:
                continue  # refused (the role table, or not his own): nothing listed
            listed += 1
            if leaked := uuids_in(response.get_data(as_text=True)) & theirs:
                failures.append(f"{route} lists {sorted(leaked)}")

    assert listed >= 5
    assert not failures, report(failures)


def _refusal(response) -> tuple:
    """A refusal as far as it could depend on what was asked for (not the path it echoes
    or the request's own id)."""
    body = response.get_json()
    return body["type"], body["title"], body["detail"]


def _random_like(value):
    if isinstance(value, list):
        return [str(uuid.uuid4()) for _ in value]
    return str(uuid.uuid4())


def _answer(response) -> tuple[int, list[str]]:
    """What a caller can tell from a refusal: its status and which fields it names."""
    body = response.get_json(silent=True) or {}
    return response.status_code, sorted(body.get("errors", {}) if isinstance(body, dict) else [])
