"""What every response carries for browsers and operators: security headers, CORS for
the front ends that are allowed, rate limits per key, and a request id in logs."""

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from api import create_app
from tests import builders
from tests.client import ApiClient, assert_problem

ROOT = Path(__file__).resolve().parents[2]


def test_api_responses_are_not_cached_sniffed_or_framed(client):
    for response in (
        client.get("/api/v1/organisations"),
        client.get("/api/v1/nowhere"),
        client.post("/api/v1/organisations", {}),
    ):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"


def test_the_api_keeps_no_session_and_sets_no_cookie(client):
    for response in (
        client.get("/api/v1/organisations"),
        client.post("/api/v1/organisations", {"name": "Cookieless"}),
    ):
        assert response.status_code in (200, 201)
        assert "Set-Cookie" not in response.headers


def test_the_docs_page_runs_only_scripts_this_app_serves_and_cannot_be_framed(app):
    """People paste their keys into the docs page: it runs no script from elsewhere and
    none inline, and works without internet."""
    client = app.test_client()
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"

    page = response.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.DOTALL)
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert scripts, "the page loads Swagger UI"
    assert all(not body.strip() for _, body in scripts), "an inline script would be blocked"
    sources = [re.search(r'src="([^"]+)"', attributes).group(1) for attributes, _ in scripts]
    for url, kind in [
        *((s, "text/javascript") for s in sources),
        *((s, "text/css") for s in stylesheets),
    ]:
        assert url.startswith("/api/v1/docs/"), url
        served = client.get(url)
        assert (served.status_code, served.mimetype) == (200, kind), url
        assert served.headers["Cache-Control"] == "public, max-age=86400"
    contract = re.search(r'data-spec-url="([^"]+)"', page).group(1)
    assert client.get(contract).get_json()["openapi"] == "3.1.0"


@pytest.mark.parametrize("name", ["index.html", "favicon-32x32.png", "..%2F__init__.py"])
def test_the_docs_serve_no_file_but_the_pages_own(app, name):
    assert_problem(app.test_client().get(f"/api/v1/docs/{name}"), 404)


def test_a_browser_preflight_from_an_allowed_origin_is_answered(app):
    response = app.test_client().options(
        "/api/v1/organisations",
        headers={
            "Origin": "https://frontend.example",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "Authorization, If-Match, If-None-Match, "
            "Idempotency-Key",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://frontend.example"
    assert "PATCH" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "if-match", "if-none-match", "idempotency-key"} <= {
        h.strip() for h in allowed.split(",")
    }


def test_a_browser_can_read_etag_pagination_and_location(client):
    response = client.get("/api/v1/organisations", headers={"Origin": "https://frontend.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://frontend.example"
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "X-Pagination", "Link", "Location"} <= exposed


def test_other_origins_get_no_cors_grant(client):
    response = client.get("/api/v1/organisations", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.fixture
def limited(settings):
    app = create_app(
        replace(settings, rate_limit_default="3 per minute", rate_limit_bulk="2 per minute")
    )
    yield app
    app.extensions["od"].engine.dispose()


def test_a_key_over_its_limit_gets_429_problem_with_retry_after(limited, workspace):
    api = ApiClient(limited.test_client(), workspace.admin.secret)
    statuses = [api.get("/api/v1/organisations").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = api.get("/api/v1/organisations")
    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers.getlist("X-RateLimit-Remaining") == ["0"]


def test_every_limited_response_says_what_is_left_of_the_budget(limited, workspace):
    api = ApiClient(limited.test_client(), workspace.admin.secret)
    first, second = (api.get("/api/v1/organisations") for _ in range(2))
    assert first.headers["X-RateLimit-Limit"] == "3"
    assert [int(r.headers["X-RateLimit-Remaining"]) for r in (first, second)] == [2, 1]
    assert int(second.headers["X-RateLimit-Reset"]) >= int(first.headers["X-RateLimit-Reset"])


def test_when_redis_is_down_limits_are_counted_in_memory_instead(settings, workspace, capsys):
    unreachable = replace(
        settings, rate_limit_default="2 per minute", redis_url="redis://127.0.0.1:1/0"
    )
    app = create_app(unreachable)
    try:
        api = ApiClient(app.test_client(), workspace.admin.secret)
        capsys.readouterr()
        first = api.get("/api/v1/organisations", headers={"X-Request-ID": "trace-41"})
        statuses = [first.status_code] + [
            api.get("/api/v1/organisations").status_code for _ in range(2)
        ]
    finally:
        app.extensions["od"].engine.dispose()
    assert statuses == [200, 200, 429]
    # The operator learns of it, on a line that names the request it happened in.
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    warning = next(line for line in lines if line["level"] == "warning")
    assert warning["event"] == "rate limit storage failed; counting in memory"
    assert warning["request_id"] == "trace-41"


def test_a_redis_that_hangs_costs_one_request_its_timeout_and_no_more(settings, workspace):
    """A Redis that accepts connections but never answers (overloaded, half-dead): the first
    request falls back to memory after a short timeout, the next ones do not even try."""
    hanging = socket.socket()
    hanging.bind(("127.0.0.1", 0))
    hanging.listen(16)  # connections complete in the kernel; nothing ever answers them
    port = hanging.getsockname()[1]
    app = create_app(
        replace(
            settings, rate_limit_default="2 per minute", redis_url=f"redis://127.0.0.1:{port}/0"
        )
    )
    statuses: list[int] = []
    try:
        api = ApiClient(app.test_client(), workspace.admin.secret)
        calls = threading.Thread(
            target=lambda: statuses.extend(
                api.get("/api/v1/organisations").status_code for _ in range(3)
            ),
            daemon=True,
        )
        calls.start()
        calls.join(timeout=30)
        hanging.setblocking(False)
        attempts = 0
        with contextlib.suppress(BlockingIOError):
            while True:
                hanging.accept()[0].close()
                attempts += 1
    finally:
        hanging.close()
        app.extensions["od"].engine.dispose()
    assert statuses == [200, 200, 429], "the requests waited on the hanging Redis"
    assert attempts == 1, "Redis was asked again while it was known to hang"


def test_limits_are_per_key_and_health_is_exempt(limited, workspace):
    first = ApiClient(limited.test_client(), workspace.admin.secret)
    second = ApiClient(limited.test_client(), workspace.client("viewer").secret)
    for _ in range(4):
        first.get("/api/v1/organisations")
    assert first.get("/api/v1/organisations").status_code == 429
    assert second.get("/api/v1/organisations").status_code == 200
    assert all(limited.test_client().get(p).status_code == 200 for p in ["/health", "/ready"] * 5)


def test_bulk_operations_spend_a_budget_of_their_own(limited, workspace):
    api = ApiClient(limited.test_client(), workspace.admin.secret)
    organisation = api.ok("POST", "/api/v1/organisations", {"name": "Bulk"})
    sync = f"/api/v1/organisations/{organisation['id']}/people/sync"
    assert [api.post(sync, {"people": []}).status_code for _ in range(3)] == [200, 200, 429]
    assert api.get("/api/v1/organisations").status_code == 200, "the everyday budget is untouched"


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def test_with_redis_every_process_shares_one_budget(settings, workspace):
    if not redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("CI provides Redis on 127.0.0.1:6379; it is not reachable")
        pytest.skip("no Redis on 127.0.0.1:6379")
    redis_settings = {
        "database_url": settings.database_url,
        "rate_limit_default": "3 per minute",
        "redis_url": f"redis://127.0.0.1:6379/{uuid.uuid4().int % 16}",
    }
    script = f"""
import sys
from api import create_app
from api.settings import Settings
app = create_app(Settings(secret_key=b"test-pepper", **{redis_settings!r}))
client = app.test_client()
key = {{"Authorization": "Bearer {workspace.admin.secret}"}}
for _ in range(2):
    print(client.get("/api/v1/organisations", headers=key).status_code)
"""
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for _ in range(2)
    ]
    statuses = [int(line) for run in runs for line in run.stdout.split()]
    assert statuses == [200, 200, 200, 429], "the second process saw the first one's calls"


def test_the_request_id_is_taken_or_made_and_echoed(client):
    given = client.get("/api/v1/organisations", headers={"X-Request-ID": "trace-42"})
    assert given.headers["X-Request-ID"] == "trace-42"
    made = client.get("/api/v1/organisations", headers={"X-Request-ID": "not a token\x7f"})
    assert made.headers["X-Request-ID"] != "not a token\x7f"
    assert len(made.headers["X-Request-ID"]) == 32


def test_problems_carry_the_request_id(client):
    response = client.get(
        "/api/v1/projects/00000000-0000-4000-8000-000000000000",
        headers={"X-Request-ID": "trace-43"},
    )
    assert assert_problem(response, 404)["request_id"] == "trace-43"


def test_each_request_is_logged_as_one_json_line_with_key_route_status_and_duration(client, capsys):
    organisation = builders.organisation(client)
    capsys.readouterr()
    client.get(
        f"/api/v1/organisations/{organisation['id']}",
        headers={"X-Request-ID": "trace-44", "User-Agent": 'hris-sync/2 "quoted"'},
    )
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    entry = next(line for line in lines if line.get("request_id") == "trace-44")
    assert entry["event"] == "request"
    assert entry["route"] == "/api/v1/organisations/<uuid:organisation_id>"
    assert entry["status"] == 200
    assert entry["key_id"]
    assert entry["duration_ms"] >= 0
    assert (entry["remote"], entry["user_agent"]) == ("127.0.0.1", 'hris-sync/2 "quoted"')
    assert sum(1 for line in lines if line.get("request_id") == "trace-44") == 1
