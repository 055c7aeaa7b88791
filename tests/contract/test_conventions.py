"""The conventions every resource shares (api.md): ETags and If-Match, Idempotency-Key,
pagination headers and stable order, updated_since, 405s, and the unauthenticated probes."""

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from sqlalchemy import update

from api import idempotency
from domain.access import Scope
from domain.base import utcnow
from repositories.tables import idempotency_records
from tests import builders
from tests.client import assert_problem
from tests.contract.estate import METHODS, Estate, audit_total, build_estate, footprint, routes

ORGANISATIONS = "/api/v1/organisations"


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


@pytest.fixture
def estate(client) -> Estate:
    return build_estate(client)


def organisation_path(organisation) -> str:
    return f"{ORGANISATIONS}/{organisation['id']}"


# --- ETag and If-Match --------------------------------------------------------------------


def test_a_resource_carries_its_version_as_its_etag(client):
    path = organisation_path(builders.organisation(client))
    client.ok("PATCH", path, {"name": "Renamed"})

    response = client.get(path)

    assert response.get_json()["version"] == 2
    assert response.headers["ETag"] == '"v2"'


def test_a_patch_with_the_current_etag_succeeds_and_answers_the_new_one(client):
    path = organisation_path(builders.organisation(client))
    etag = client.get(path).headers["ETag"]

    response = client.patch(path, {"name": "Renamed"}, headers={"If-Match": etag})

    assert response.status_code == 200
    assert response.headers["ETag"] == '"v2"' != etag
    assert client.get(path).headers["ETag"] == '"v2"'


@pytest.mark.parametrize("stale", ['"v1"', '"v3"', "v2", "garbage"])
def test_a_patch_with_a_stale_or_foreign_if_match_is_412_and_changes_nothing(client, stale):
    path = organisation_path(builders.organisation(client))
    client.ok("PATCH", path, {"name": "Current"})
    audited = audit_total(client)

    response = client.patch(path, {"name": "Lost update"}, headers={"If-Match": stale})

    assert_problem(response, 412)
    assert client.ok("GET", path)["name"] == "Current"
    assert client.get(path).headers["ETag"] == '"v2"'
    assert audit_total(client) == audited


def test_if_match_star_matches_whatever_version_there_is(client):
    path = organisation_path(builders.organisation(client))
    client.ok("PATCH", path, {"name": "Second"})

    response = client.patch(path, {"name": "Third"}, headers={"If-Match": "*"})

    assert response.status_code == 200
    assert response.get_json()["name"] == "Third"


def test_a_delete_with_a_stale_if_match_is_412_and_deletes_nothing(client):
    path = organisation_path(builders.organisation(client))
    client.ok("PATCH", path, {"name": "Changed meanwhile"})

    assert_problem(client.delete(path, headers={"If-Match": '"v1"'}), 412)
    assert client.get(path).status_code == 200
    client.ok("DELETE", path, headers={"If-Match": '"v2"'})
    assert_problem(client.get(path), 404)


def documents_etag(route, spec) -> bool:
    responses = route.operation(spec)["responses"]
    return any("ETag" in responses.get(status, {}).get("headers", {}) for status in ("200", "201"))


def test_every_resource_with_an_etag_carries_its_version_as_it(app, spec, estate):
    checked = 0
    for route in routes(app):
        if route.method == "GET" and documents_etag(route, spec):
            response = estate.api.get(estate.url(route))
            assert response.headers.get("ETag") == f'"v{response.get_json()["version"]}"', route
            checked += 1
    assert checked >= 15


def test_every_resource_with_an_etag_answers_304_while_if_none_match_names_it(app, spec, estate):
    """A front end that polls sends the ETag it holds and gets no body until it changed;
    the contract offers If-None-Match and documents the 304 wherever there is an ETag."""
    checked, failures = 0, []
    for route in routes(app):
        if route.method != "GET" or not documents_etag(route, spec):
            continue
        tag = estate.api.get(estate.url(route)).headers["ETag"]
        for held in (tag, f"W/{tag}", f'"v999", {tag}', "*"):
            response = estate.api.get(estate.url(route), headers={"If-None-Match": held})
            if (response.status_code, response.data, response.headers.get("ETag")) != (
                304,
                b"",
                tag,
            ):
                failures.append(f"{route} with {held}: {response.status_code}")
        other = estate.api.get(estate.url(route), headers={"If-None-Match": '"v999"'})
        if other.status_code != 200:
            failures.append(f"{route} with another version: {other.status_code}")
        operation = route.operation(spec)
        if "304" not in operation["responses"] or {
            "$ref": "#/components/parameters/IfNoneMatch"
        } not in operation.get("parameters", []):
            failures.append(f"{route}: 304 or If-None-Match not documented")
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 15


def test_a_resource_answers_200_again_once_it_changed(client):
    made = client.post(ORGANISATIONS, {"name": "Gemeente Zeist"})
    path, held = organisation_path(made.get_json()), made.headers["ETag"]
    client.patch(path, {"name": "Gemeente Zeist-West"}, headers={"If-Match": held})

    again = client.get(path, headers={"If-None-Match": held})

    assert again.status_code == 200
    assert again.get_json()["name"] == "Gemeente Zeist-West"
    assert again.headers["ETag"] != held


def test_every_change_refuses_a_stale_if_match_and_writes_nothing(app, spec, estate, engine):
    before, failures = footprint(engine), []
    for route in routes(app):
        if route.method in ("PUT", "PATCH", "DELETE"):
            body = estate.refer(route.example(spec))
            response = estate.api.request(
                route.method, estate.url(route), json=body, headers={"If-Match": '"v999"'}
            )
            if response.status_code != 412 or response.mimetype != "application/problem+json":
                failures.append(f"{route}: {response.status_code}")

    assert not failures, "\n".join(failures)
    assert footprint(engine) == before


@pytest.mark.parametrize("operation", ["set_levels", "set_participant_progress"])
def test_a_change_to_something_unversioned_refuses_if_match_and_does_not_offer_it(
    app, spec, estate, engine, operation
):
    """A batch of cells or a set of steps has no version: an If-Match naming one is refused
    rather than ignored, and the contract does not offer the header."""
    route = next(r for r in routes(app) if r.operation(spec).get("operationId") == operation)
    body = estate.refer(route.example(spec))
    before = footprint(engine)

    response = estate.api.request(
        route.method, estate.url(route), json=body, headers={"If-Match": '"v1"'}
    )

    assert_problem(response, 412)
    assert footprint(engine) == before
    assert "IfMatch" not in str(route.operation(spec).get("parameters", []))
    assert (
        estate.api.request(
            route.method, estate.url(route), json=body, headers={"If-Match": "*"}
        ).status_code
        == 200
    )


@pytest.mark.parametrize("if_match", ['"v1"', "*"])
def test_an_upsert_under_if_match_does_not_create_someone_who_is_not_there(client, if_match):
    people = f"{organisation_path(builders.organisation(client))}/people"

    ghost = f"{people}/external/E-404"
    response = client.put(ghost, {"name": "Ghost"}, headers={"If-Match": if_match})

    assert_problem(response, 412)
    assert client.ok("GET", people) == []


# --- Idempotency-Key ----------------------------------------------------------------------


def test_a_retried_post_with_the_same_key_replays_the_first_answer_and_creates_once(client):
    key = {"Idempotency-Key": "import-2026-11-23-001"}
    first = client.post(ORGANISATIONS, {"name": "Gemeente Utrecht"}, headers=key)

    again = client.post(ORGANISATIONS, {"name": "Gemeente Utrecht"}, headers=key)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(client.ok("GET", ORGANISATIONS)) == 1


def test_the_same_key_with_another_body_is_refused(client):
    key = {"Idempotency-Key": "import-2026-11-23-002"}
    client.ok("POST", ORGANISATIONS, {"name": "First"}, headers=key)

    response = client.post(ORGANISATIONS, {"name": "Second"}, headers=key)

    assert_problem(response, 422)
    assert [o["name"] for o in client.ok("GET", ORGANISATIONS)] == ["First"]


@pytest.mark.parametrize("key", ["k" * 256, ""], ids=["256 characters", "empty"])
def test_an_idempotency_key_outside_1_to_255_characters_is_refused(client, key):
    response = client.post(ORGANISATIONS, {"name": "Long"}, headers={"Idempotency-Key": key})

    assert "headers.Idempotency-Key" in assert_problem(response, 422)["errors"]
    assert client.ok("GET", ORGANISATIONS) == []


def test_an_idempotency_key_of_255_characters_is_taken(client):
    key = {"Idempotency-Key": "k" * 255}
    client.ok("POST", ORGANISATIONS, {"name": "Long"}, headers=key)

    assert client.post(ORGANISATIONS, {"name": "Long"}, headers=key).headers["Idempotent-Replayed"]


def test_keys_of_two_callers_never_collide(client, workspace):
    key = {"Idempotency-Key": "nightly-import"}
    other = workspace.client("consultant")
    client.ok("POST", ORGANISATIONS, {"name": "Mine"}, headers=key)

    response = other.post(ORGANISATIONS, {"name": "Mine"}, headers=key)

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert len(client.ok("GET", ORGANISATIONS)) == 2


def test_a_claim_left_without_an_answer_is_taken_over_by_a_retry_once_its_lease_ran_out(
    app, workspace, client, engine
):
    """As when the database went away before the request could store or release its claim:
    the retry is told 409 while the lease runs, and is applied once after it."""
    body = {"name": "Gemeente Zeist"}
    key = {"Idempotency-Key": "cut-off-by-an-outage"}
    with app.test_request_context(ORGANISATIONS, method="POST", json=body):
        print_ = idempotency.fingerprint()
    store = app.extensions["od"].idempotency
    scope = Scope(workspace.id, actor_id=workspace.admin_key_id)
    assert store.claim(scope, key["Idempotency-Key"], print_).state == "new"

    waiting = client.post(ORGANISATIONS, body, headers=key)
    assert assert_problem(waiting, 409)["type"] == "urn:od:problem:idempotency-key-in-use"
    assert waiting.headers["Retry-After"] == "1"

    with engine.begin() as connection:  # the lease runs out
        connection.execute(
            update(idempotency_records).values(
                created_at=utcnow() - store.lease - timedelta(seconds=1)
            )
        )
    retried = client.post(ORGANISATIONS, body, headers=key)
    again = client.post(ORGANISATIONS, body, headers=key)

    assert retried.status_code == 201, retried.get_data(as_text=True)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == retried.get_json()
    assert [o["id"] for o in client.ok("GET", ORGANISATIONS)] == [retried.get_json()["id"]]


def test_a_retry_of_a_request_that_was_applied_but_could_not_keep_its_answer_is_not_applied_again(
    client, engine
):
    """As when the database went away between the change's commit and storing its response."""
    body = {"name": "Gemeente Houten"}
    key = {"Idempotency-Key": "answer-lost"}
    first = client.post(ORGANISATIONS, body, headers=key)
    assert first.status_code == 201
    with engine.begin() as connection:  # the response was never stored; the lease ran out
        connection.execute(
            update(idempotency_records).values(
                status=None, headers=None, body=None, created_at=utcnow() - timedelta(days=0.5)
            )
        )

    retried = client.post(ORGANISATIONS, body, headers=key)

    assert assert_problem(retried, 409)["type"] == "urn:od:problem:idempotency-key-applied"
    assert [o["id"] for o in client.ok("GET", ORGANISATIONS)] == [first.get_json()["id"]]


def test_a_retry_after_a_server_error_that_followed_the_change_is_told_at_once_it_applied(
    client, monkeypatch
):
    """A bug between the change's commit and its response (a 500): the retry must neither
    apply the change again nor wait out the lease to be told so."""
    from api.resources.organisations import routes

    def broken(*_args, **_kwargs):
        raise RuntimeError("the response could not be made")

    body = {"name": "Gemeente Nieuwegein"}
    key = {"Idempotency-Key": "failed-after-commit"}
    monkeypatch.setattr(routes, "created", broken)
    failed = client.post(ORGANISATIONS, body, headers=key)
    monkeypatch.undo()

    retried = client.post(ORGANISATIONS, body, headers=key)

    assert failed.status_code == 500
    assert assert_problem(retried, 409)["type"] == "urn:od:problem:idempotency-key-applied"
    assert [o["name"] for o in client.ok("GET", ORGANISATIONS)] == ["Gemeente Nieuwegein"]


# --- pagination ---------------------------------------------------------------------------


@pytest.fixture
def twenty_five(client) -> set[str]:
    return {builders.organisation(client)["id"] for _ in range(25)}


def links(response) -> dict[str, dict[str, str]]:
    """rel → the query of its URL, from an RFC 8288 Link header."""
    found = re.findall(r'<([^>]+)>;\s*rel="(\w+)"', response.headers["Link"])
    return {rel: {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()} for url, rel in found}


def test_a_middle_page_tells_where_it_is_and_links_to_its_neighbours(client, twenty_five):
    response = client.get(ORGANISATIONS, query_string={"page_size": 10, "page": 2})

    assert len(response.get_json()) == 10
    meta = json.loads(response.headers["X-Pagination"])
    assert (meta["total"], meta["total_pages"], meta["page"]) == (25, 3, 2)
    assert (meta["previous_page"], meta["next_page"]) == (1, 3)
    pages = {rel: (q["page"], q["page_size"]) for rel, q in links(response).items()}
    assert pages == {
        "first": ("1", "10"),
        "prev": ("1", "10"),
        "next": ("3", "10"),
        "last": ("3", "10"),
    }


def test_following_next_links_visits_every_item_once_in_a_stable_order(client, twenty_five):
    seen, query = [], {"page_size": 10, "page": "1"}
    while query is not None:
        response = client.get(ORGANISATIONS, query_string=query)
        seen += [o["id"] for o in response.get_json()]
        query = links(response).get("next")

    assert len(seen) == 25
    assert set(seen) == twenty_five
    again = [o["id"] for o in client.ok("GET", ORGANISATIONS, query_string={"page_size": 100})]
    assert again == seen


def test_updated_since_lists_only_what_changed_at_or_after_that_time(client):
    early, middle, late = (builders.organisation(client) for _ in range(3))

    def listed(since):
        found = client.ok("GET", ORGANISATIONS, query_string={"updated_since": since})
        return {o["id"] for o in found}

    since = middle["updated_at"]
    assert listed(since) == {middle["id"], late["id"]}
    client.ok("PATCH", organisation_path(early), {"name": "Touched"})
    assert listed(since) == {early["id"], middle["id"], late["id"]}
    assert listed("2999-01-01T00:00:00+00:00") == set()


def test_every_paginated_list_pages_and_honours_updated_since(app, spec, estate):
    header = spec["components"]["headers"]["X-Pagination"]
    documented_pagination = header["content"]["application/json"]["schema"]
    checked = 0
    for route in routes(app):
        names = {p["name"] for p in route.operation(spec).get("parameters", []) if "name" in p}
        if not route.lists(spec) or not {"page_size", "updated_since"} <= names:
            continue
        url, checked = estate.url(route), checked + 1
        everything = estate.api.ok("GET", url, query_string={"page_size": 100})
        first = estate.api.get(url, query_string={"page_size": 1})
        assert len(first.get_json()) == 1, route
        pagination = json.loads(first.headers["X-Pagination"])
        assert pagination["total"] == len(everything), route
        jsonschema.validate(pagination, documented_pagination)  # as a client would type it
        assert 'rel="last"' in first.headers["Link"], route
        future = {"updated_since": "2999-01-01T00:00:00+00:00"}
        assert estate.api.ok("GET", url, query_string=future) == [], route
    assert checked >= 20


# --- rate limits --------------------------------------------------------------------------

RATE_LIMIT_HEADERS = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}


def test_every_read_says_what_is_left_of_the_budget_as_its_contract_documents(app, spec, estate):
    """A generated client paces itself by these headers, so the contract must name them on
    every answer that carries them, and they must be what it says (integers)."""
    checked, failures = 0, []
    for route in routes(app):
        if route.method != "GET":
            continue
        response = estate.api.get(estate.url(route))
        documented = route.operation(spec)["responses"][str(response.status_code)]
        missing = RATE_LIMIT_HEADERS - set(documented.get("headers", {}))
        if missing:
            failures.append(f"{route}: {sorted(missing)} not documented")
        if not all(response.headers.get(name, "").isdigit() for name in RATE_LIMIT_HEADERS):
            failures.append(f"{route}: sent {dict(response.headers)}")
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 40


def test_refusals_that_say_when_to_retry_document_it(spec):
    """Over budget (429), the database down (503) and an idempotent request still running
    (409) send Retry-After; 429 also says what is left of the budget."""
    responses = spec["components"]["responses"]
    expected = {
        "CONFLICT": {"Retry-After"},
        "TOO_MANY_REQUESTS": {"Retry-After", *RATE_LIMIT_HEADERS},
        "SERVICE_UNAVAILABLE": {"Retry-After"},
    }
    for response, headers in expected.items():
        assert headers <= set(responses[response]["headers"]), response
        for name in headers:
            assert spec["components"]["headers"][name]["schema"] == {"type": "integer"}


# Transport and CORS: HTTP's own, not the API's.
UNDOCUMENTED = {"content-type", "content-length", "date", "server", "connection", "vary"}


def undocumented_headers(spec, route, response) -> set[str]:
    documented = resolve_response(
        spec, route.operation(spec)["responses"][str(response.status_code)]
    )
    names = {name.lower() for name in documented.get("headers", {})}
    return {
        name
        for name, _value in response.headers
        if name.lower() not in names | UNDOCUMENTED
        and not name.lower().startswith("access-control-")
    }


def resolve_response(spec, response):
    if "$ref" in response:
        return spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def test_every_header_a_read_sends_is_documented_on_its_answer(app, spec, estate):
    """A client learns from the contract what it may read; a header sent but not named
    there is one no generated client knows of."""
    checked, failures = 0, []
    for route in routes(app):
        if route.method != "GET":
            continue
        for headers in ({}, {"If-None-Match": "*"}):
            response = estate.api.get(estate.url(route), headers=headers)
            if extra := undocumented_headers(spec, route, response):
                failures.append(f"{route} {response.status_code}: {sorted(extra)}")
            checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 80


def test_a_replayed_answer_says_so_as_its_contract_documents(client, spec):
    """``Idempotent-Replayed: true`` tells a retry that nothing was applied again."""
    headers = {"Idempotency-Key": "replay-documented"}
    first = client.post(ORGANISATIONS, {"name": "Once"}, headers=headers)
    again = client.post(ORGANISATIONS, {"name": "Once"}, headers=headers)

    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    documented = spec["paths"][ORGANISATIONS]["post"]["responses"]["201"]["headers"]
    assert "Idempotent-Replayed" in documented
    header = spec["components"]["headers"]["Idempotent-Replayed"]
    assert header["schema"] == {"type": "string", "enum": ["true"]}


# --- methods and probes -------------------------------------------------------------------


def test_a_method_a_resource_does_not_have_is_405_with_allow(client):
    response = client.put(ORGANISATIONS, {"name": "Nope"})

    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert client.ok("GET", ORGANISATIONS) == []


def test_every_method_a_route_lacks_is_405_with_what_it_allows(app, client):
    for route in routes(app):
        rule = next(r for r in app.url_map.iter_rules() if r.rule == route.rule)
        url = re.sub(r"<[^>]+>", "00000000-0000-4000-8000-000000000000", route.rule)
        for method in set(METHODS) - rule.methods:
            response = client.request(method, url, json={})
            assert_problem(response, 405)
            assert set(response.headers["Allow"].split(", ")) == rule.methods, route


@pytest.mark.parametrize("path", ["/health", "/ready"])
def test_health_and_readiness_answer_without_a_key(app, path):
    response = app.test_client().get(path)

    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_a_post_refused_before_it_changed_anything_keeps_no_answer_under_its_key(client):
    """Stripe's rule: a refusal by validation is not replayed; the corrected request, sent
    with the same key, runs, and is then the key's answer."""
    key = {"Idempotency-Key": "fixed-after-422"}
    refused = client.post(ORGANISATIONS, {"name": ""}, headers=key)
    refused_again = client.post(ORGANISATIONS, {"name": ""}, headers=key)

    corrected = client.post(ORGANISATIONS, {"name": "Gemeente Woerden"}, headers=key)
    replayed = client.post(ORGANISATIONS, {"name": "Gemeente Woerden"}, headers=key)

    assert_problem(refused, 422)
    assert_problem(refused_again, 422)
    assert "Idempotent-Replayed" not in refused_again.headers  # ran again, not replayed
    assert corrected.status_code == 201, corrected.get_data(as_text=True)
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.get_json() == corrected.get_json()
    assert [o["name"] for o in client.ok("GET", ORGANISATIONS)] == ["Gemeente Woerden"]


def test_an_import_refused_for_a_bad_row_can_be_sent_again_corrected_with_the_same_key(client):
    organisation = builders.organisation(client)
    send = {
        "path": "/api/v1/imports",
        "headers": {"Content-Type": "text/csv", "Idempotency-Key": "nightly-people"},
        "query_string": {"kind": "people", "organisation_id": organisation["id"]},
    }

    refused = client.post(**send, data=b"external_id,name,email\nE-1,Anna,not-an-email\n")
    corrected = client.post(**send, data=b"external_id,name,email\nE-1,Anna,anna@example.nl\n")

    assert_problem(refused, 422)
    assert corrected.status_code == 201, corrected.get_data(as_text=True)
    assert corrected.get_json()["counts"]["people"]["created"] == 1


def test_a_refusal_that_came_after_the_change_was_applied_is_kept_and_replayed(client, monkeypatch):
    """Once data changed, the answer is the key's, whatever it is: a retry must not apply
    the change a second time."""
    from api.resources.organisations import routes
    from domain.errors import RuleViolation

    def refused(*_args, **_kwargs):
        raise RuleViolation.on("name", "Refused after the commit.", "late")

    body = {"name": "Gemeente Montfoort"}
    key = {"Idempotency-Key": "refused-after-commit"}
    monkeypatch.setattr(routes, "created", refused)
    first = client.post(ORGANISATIONS, body, headers=key)
    monkeypatch.undo()

    retried = client.post(ORGANISATIONS, body, headers=key)

    assert_problem(first, 422)
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.get_json() == first.get_json()
    assert [o["name"] for o in client.ok("GET", ORGANISATIONS)] == ["Gemeente Montfoort"]
