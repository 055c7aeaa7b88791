"""Every cell of the declared policy (``api.policy.POLICY``, operation × role), tried against
the running app; and authentication: no key, a wrong key, another scheme, a revoked key.

Calls go to real objects of the caller's workspace with the document's example bodies, so
an allowed call can get as far as succeeding. The estate is made once for the module; a
DELETE that is allowed gets an object of its own to delete, so the estate stays whole.
"""

import re
from collections.abc import Callable

import pytest

from api import create_app
from api import operations as app_operations
from api.extensions import App
from api.policy import ADMIN, OWN, POLICY
from domain.access import SELF_ROLES, Role
from tests import builders
from tests.client import ApiClient, assert_problem
from tests.conftest import Workspace, empty_database
from tests.contract.estate import (
    Estate,
    Route,
    build_estate,
    footprint,
    operations,
)

CELLS = [(operation_id, role) for operation_id in POLICY for role in Role]


@pytest.fixture(autouse=True)
def _clean_database():
    """Replaces conftest's emptying after each test: the estate below lives for the module."""


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


@pytest.fixture(scope="module")
def tenant(app):
    """The caller's workspace, made once for the module and emptied after it."""
    empty_database(app)
    yield Workspace(app, "Adviesbureau De Brug")
    empty_database(app)


@pytest.fixture(scope="module")
def estate(tenant) -> Estate:
    return build_estate(tenant.admin)


@pytest.fixture(scope="module")
def keys(tenant, estate, oidc) -> dict[Role, ApiClient]:
    """A key per key role; for the roles acting for themselves, a user signed in through
    the local OpenID provider as the estate's participant (signed in once already, so the
    first sign-in's link is not counted as a refused call's write)."""
    callers = {role: tenant.client(role) for role in Role if role not in SELF_ROLES}
    for role in SELF_ROLES:
        user = tenant.user(oidc, role, person_id=estate.ids["person_id"])
        user.ok("GET", "/api/v1/users/me")
        callers[role] = user
    return callers


@pytest.fixture(scope="module")
def routes_by_operation(spec) -> dict[str, Route]:
    return {
        operation["operationId"]: Route(re.sub(r"\{(\w+)\}", r"<\1>", path), method)
        for path, method, operation in operations(spec)
    }


@pytest.mark.parametrize(("operation_id", "role"), CELLS, ids=[f"{o}-{r}" for o, r in CELLS])
def test_every_cell_of_the_policy_holds(
    operation_id, role, estate, keys, routes_by_operation, spec, engine
):
    route = routes_by_operation[operation_id]
    allowed = role in POLICY[operation_id]
    url = estate.url(route, **(_target(operation_id, route, estate, role) if allowed else {}))
    body = estate.refer(route.example(spec))
    query = {}
    if role in SELF_ROLES and operation_id in OWN and OWN[operation_id].query:
        query[OWN[operation_id].query] = estate.ids["participant_id"]  # their own
    before = footprint(engine)

    response = keys[role].request(route.method, url, json=body, query_string=query)

    if allowed:
        assert response.status_code not in (401, 403), response.get_json()
        assert response.status_code < 500, response.get_json()
    else:
        assert_problem(response, 403)
        assert footprint(engine) == before, "a refused call wrote something"


def test_every_operation_of_the_contract_has_a_row_in_the_policy_and_no_other(spec):
    guarded = {op["operationId"] for _p, _m, op in operations(spec) if op.get("security") != []}
    assert guarded == set(POLICY)
    assert all(POLICY[operation_id] for operation_id in POLICY), "an operation nobody may call"


# --- authentication -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer odk_not-a-key-of-ours", "Basic x", "Bearer ", "odk_no-scheme"],
    ids=["no header", "wrong key", "basic scheme", "empty bearer", "no scheme"],
)
def test_a_call_without_a_valid_key_gets_401(app, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = app.test_client().get("/api/v1/organisations", headers=headers)

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_gets_401_on_its_very_next_call(app, tenant):
    key = builders.api_key(tenant.admin, "viewer")
    holder = ApiClient(app.test_client(), key["secret"])
    assert holder.get("/api/v1/organisations").status_code == 200

    tenant.admin.ok("DELETE", f"/api/v1/api-keys/{key['id']}")

    assert_problem(holder.get("/api/v1/organisations"), 401)
    assert tenant.admin.ok("GET", f"/api/v1/api-keys/{key['id']}")["active"] is False


# --- something of its own for each DELETE to remove ---------------------------------------


def _target(operation_id: str, route: Route, made: Estate, role: Role) -> dict[str, str]:
    """The URL arguments to use instead of the estate's: a new object for a DELETE; for a
    participant, a colleague's object where the call is about someone else's."""
    if role in SELF_ROLES and operation_id in OTHERS_TARGETS:
        return OTHERS_TARGETS[operation_id](made)
    if operation_id in FRESH_TARGETS:
        return FRESH_TARGETS[operation_id](made)
    if route.method == "DELETE":
        pytest.fail(f"{route}: add a fresh target to FRESH_TARGETS in {__name__}", pytrace=False)
    return {}


def _in_project(made: Estate, what: str, body: dict) -> str:
    return made.api.ok("POST", f"/api/v1/projects/{made.ids['project_id']}/{what}", body)["id"]


def _participant(made: Estate) -> str:
    project = made.api.ok("GET", f"/api/v1/projects/{made.ids['project_id']}")
    return builders.participant(made.api, project)["id"]


def _contributor(made: Estate) -> str:
    participant_id = _participant(made)
    _in_project(
        made,
        f"services/{made.ids['service_id']}/contributors",
        {"participant_id": participant_id, "contribution": "Helps."},
    )
    return participant_id


def _agreement(made: Estate) -> str:
    body = {
        "participant_id": _participant(made),
        "competence_id": made.ids["competence_id"],
        "target_level": 3,
        # From outside the team: earlier cells may have deactivated the estate's senior
        # (an HRIS sync), and a senior who left coaches no longer.
        "external_coach": {"name": "Ineke de Vries", "organisation": "Coachbureau Noord"},
        "due_date": "2027-06-30",
    }
    return _in_project(made, "agreements", body)


def _assigned_theme(made: Estate) -> str:
    theme_id = builders.theme(made.api, steps=1)["id"]
    _in_project(made, "themes", {"theme_id": theme_id})
    return theme_id


def _wish(made: Estate) -> str:
    body = {"participant_id": _participant(made), "competence_id": made.ids["competence_id"]}
    return _in_project(made, "wishes", {**body, "motivation": "Why not."})


FRESH_TARGETS: dict[str, Callable[[Estate], dict[str, str]]] = {
    "revoke_api_key": lambda m: {"key_id": builders.api_key(m.api, "viewer")["id"]},
    "delete_organisation": lambda m: {"organisation_id": builders.organisation(m.api)["id"]},
    "delete_team": lambda m: {"team_id": builders.team(m.api, m.ids["organisation_id"])["id"]},
    "erase_person": lambda m: {"person_id": builders.person(m.api, m.ids["organisation_id"])["id"]},
    "delete_project": lambda m: {
        "project_id": builders.project(m.api, m.ids["organisation_id"], m.ids["team_id"])["id"]
    },
    "remove_participant": lambda m: {"participant_id": _participant(m)},
    "delete_finding": lambda m: {"finding_id": _in_project(m, "intake/findings", {"text": "F"})},
    "delete_action": lambda m: {"action_id": _in_project(m, "actions", {"text": "A"})},
    "delete_grievance": lambda m: {
        "grievance_id": _in_project(m, "intake/grievances", {"text": "G", "anonymous": True})
    },
    "delete_competence": lambda m: {"competence_id": builders.competence(m.api)["id"]},
    "delete_survey": lambda m: {
        "survey_id": _in_project(
            m, "surveys", {"title": "S", "questions": [{"kind": "open", "text": "Why?"}]}
        )
    },
    "delete_service": lambda m: {
        "service_id": builders.service(m.api, {"id": m.ids["project_id"]}, [])["id"]
    },
    "remove_contributor": lambda m: {"participant_id": _contributor(m)},
    "delete_wish": lambda m: {"wish_id": _wish(m)},
    "delete_agreement": lambda m: {"agreement_id": _agreement(m)},
    "delete_meeting": lambda m: {
        "meeting_id": _in_project(m, "meetings", {"kind": "joint", "date": "2026-01-05"})
    },
    "delete_theme": lambda m: {"theme_id": builders.theme(m.api, steps=1)["id"]},
    "delete_webhook": lambda m: {
        "webhook_id": m.api.ok("POST", "/api/v1/webhooks", {"url": "http://127.0.0.1:8399/x"})["id"]
    },
    "unassign_theme": lambda m: {"theme_id": _assigned_theme(m)},
    "remove_user": lambda m: {"user_id": builders.user(m.api)["id"]},
}

# A participant checks in on a colleague's agreement: the estate's is their own.
OTHERS_TARGETS: dict[str, Callable[[Estate], dict[str, str]]] = {
    "create_check_in": lambda m: {"agreement_id": _agreement(m)},
}


def test_the_app_refuses_to_start_when_an_operation_has_no_row_in_the_policy(settings, monkeypatch):
    monkeypatch.delitem(POLICY, "get_project")
    with pytest.raises(RuntimeError, match=r"GET /api/v1/projects/<uuid:project_id> has no row"):
        create_app(settings)


def test_the_app_refuses_to_start_when_the_policy_names_an_unknown_operation(settings, monkeypatch):
    monkeypatch.setitem(POLICY, "launch_rockets", ADMIN)
    with pytest.raises(RuntimeError, match="names unknown operations: \\['launch_rockets'\\]"):
        create_app(settings)


def test_the_app_refuses_a_view_that_is_a_coroutine():
    """Views are called as they are (``App.ensure_sync``): a coroutine would answer nothing."""
    app = App(__name__)

    @app.get("/later")
    async def later():
        return {}

    with pytest.raises(RuntimeError, match="GET /later is a coroutine"):
        app_operations.index(app)
