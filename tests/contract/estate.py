"""What the cross-cutting contract suites share: the app's routes as its URL map declares
them, the published OpenAPI document, and an *estate*: one object of every kind the API
addresses by id, made through the API itself, with the value each URL argument takes.

A route added later is reached by every suite that walks ``routes(app)``; when its path
has an argument the estate has no value for, ``Estate.url`` fails loudly and names it, so
the estate grows with the API.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from sqlalchemy import Engine, select, text

from domain.base import utcnow
from repositories.deliveries import fan_out
from repositories.tables import metadata
from tests import builders
from tests.client import ApiClient
from worker.deliveries import deliver
from worker.exports import run as render_export

API = "/api/v1/"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_ARGUMENT = re.compile(r"<(?:[^<>]*:)?(\w+)>")
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LEAKS = ("Traceback", "sqlalchemy", "psycopg", "SELECT")


# --- routes and the document ------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One method of one URL rule of the app."""

    rule: str
    method: str

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"

    @property
    def arguments(self) -> tuple[str, ...]:
        return tuple(_ARGUMENT.findall(self.rule))

    @property
    def path(self) -> str:
        """The path as the OpenAPI document names it: ``{argument}`` for ``<conv:argument>``."""
        return _ARGUMENT.sub(r"{\1}", self.rule)

    def operation(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        return spec["paths"][self.path][self.method.lower()]

    def example(self, spec: Mapping[str, Any]) -> Any:
        """The request body example the document gives, or None for an operation without body."""
        body = self.operation(spec).get("requestBody")
        return None if body is None else body["content"]["application/json"]["example"]

    def lists(self, spec: Mapping[str, Any]) -> bool:
        """A GET whose answer is a JSON array."""
        if self.method != "GET":
            return False
        ok = self.operation(spec)["responses"].get("200", {})
        schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
        return schema.get("type") == "array"


def routes(app: Flask) -> list[Route]:
    """Every method of every rule under /api/v1 except the documentation's own pages."""
    found = [
        Route(rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API) and not rule.endpoint.startswith("api-docs.")
        for method in sorted(rule.methods & set(METHODS))
    ]
    return sorted(found, key=lambda r: (r.rule, METHODS.index(r.method)))


def operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, METHOD, operation) for every operation of the document."""
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method.lower() in item:
                yield path, method, item[method.lower()]


# --- the estate ---------------------------------------------------------------------------


@dataclass
class Estate:
    """One object of every kind, reached by URL argument name (``ids``) and by the names
    request bodies refer to them with (``references``)."""

    api: ApiClient
    ids: dict[str, str]
    references: dict[str, Any]
    every_id: set[str] = field(default_factory=set)

    def url(self, route: Route, **override: str) -> str:
        values = {**self.ids, **override}

        def value(match: re.Match) -> str:
            name = match.group(1)
            if name not in values:
                pytest.fail(
                    f"{route}: no value for the URL argument <{name}>; give the estate one "
                    "in tests/contract/estate.py so this route is covered",
                    pytrace=False,
                )
            return values[name]

        return _ARGUMENT.sub(value, route.rule)

    def refer(self, body: Any) -> Any:
        """``body`` with every id it refers to replaced by this estate's object of that kind."""
        if isinstance(body, list):
            return [self.refer(item) for item in body]
        if not isinstance(body, dict):
            return body
        return {
            key: self.references[key] if key in self.references else self.refer(value)
            for key, value in body.items()
        }


def build_estate(api: ApiClient) -> Estate:
    """A project in development holding something of every kind, its organisation, team,
    people, competence and theme, and an API key besides the caller's."""
    team = builders.coached_team(api)
    project, base = team.project, team.base
    anna, bram = team.members
    person = api.ok("GET", f"/api/v1/people/{anna['person_id']}")
    service = api.ok("GET", f"{base}/services")[0]
    builders.service(api, project, [anna], name="Coordinated by Anna too")
    finding = api.ok("GET", f"{base}/intake/findings")[0]
    wish = api.ok("GET", f"{base}/wishes")[0]
    grievance = api.ok(
        "POST",
        f"{base}/intake/grievances",
        {"text": "Nobody listens.", "participant_id": anna["id"]},
    )
    feedback = api.ok(
        "POST",
        f"{base}/services/{service['id']}/feedback",
        {"text": "Faster please.", "author_name": "CFO"},
    )
    agreement = builders.agreement(api, team)
    indicator = api.ok("GET", f"{base}/services/{service['id']}/indicators")[0]
    measurement = api.ok(
        "POST",
        f"{base}/services/{service['id']}/indicators/{indicator['id']}/measurements",
        {"value": 4.0, "date": "2026-02-01", "source": "Survey"},
    )
    check_in = api.ok(
        "POST",
        f"{base}/agreements/{agreement['id']}/check-ins",
        {"participant_id": bram["id"], "status": "on_track"},
    )
    survey = api.ok(
        "POST",
        f"{base}/surveys",
        {"title": "Pulse", "questions": [{"kind": "scale", "topic": "trust", "text": "Trust?"}]},
    )
    api.ok(
        "POST",
        f"{base}/surveys/{survey['id']}/responses",
        {
            "participant_id": bram["id"],
            "answers": [{"question_id": survey["questions"][0]["id"], "value": 4}],
        },
    )
    joint = builders.meeting(api, project, [anna, bram], date="2026-03-10")
    commitment = builders.commitment(api, project, joint)
    meeting = builders.meeting(api, project, [anna, bram], kind="evaluation", date="2026-05-13")
    report = builders.action_report(api, project, meeting, anna, commitment)
    builders.commitment(api, project, meeting)
    action = api.ok(
        "POST",
        f"{base}/actions",
        # Past its date: the project's reminders list has something to show.
        {"finding_id": finding["id"], "owner_ids": [anna["id"]], "due_date": "2020-01-01"},
    )
    theme = builders.theme(api, steps=2)
    api.ok("POST", f"{base}/themes", {"theme_id": theme["id"]})
    api.ok(
        "PUT",
        f"{base}/themes/{theme['id']}/progress/{anna['id']}",
        {"steps_done": [theme["steps"][0]["id"]]},
    )
    key = builders.api_key(api, "viewer")
    user = api.ok(
        "POST",
        "/api/v1/users",
        {
            "email": f"anna.{person['id'][:8]}@example.nl",
            "display_name": "Anna",
            "role": "participant",
            "person_id": person["id"],
        },
    )
    # A subscription to a port nobody listens on, and a delivery of the next change.
    webhook = api.ok("POST", "/api/v1/webhooks", {"url": "http://127.0.0.1:8399/estate"})
    unchanged = api.ok("POST", "/api/v1/imports", api.ok("GET", f"{base}/export"))
    engine = api.client.application.extensions["od"].engine
    fan_out(engine, utcnow())
    deliver(engine, UUID(webhook["id"]))  # refused, or not reached: one failed try
    # A workbook export run as a job, rendered by the worker: its file is there.
    export = api.get(f"{base}/export.xlsx", headers={"Prefer": "respond-async"}).get_json()
    render_export(engine, export["id"])
    (attempt,) = api.ok("GET", f"/api/v1/webhooks/{webhook['id']}/deliveries")
    delivery = api.ok(
        "GET", f"/api/v1/webhooks/{webhook['id']}/deliveries/{attempt['delivery_id']}"
    )
    ids = {
        "organisation_id": project["organisation_id"],
        "team_id": project["team_id"],
        "person_id": person["id"],
        "external_id": person["external_id"],
        "project_id": project["id"],
        "participant_id": anna["id"],
        "finding_id": finding["id"],
        "grievance_id": grievance["id"],
        "key_id": key["id"],
        "user_id": user["id"],
        "competence_id": team.skill["id"],
        "service_id": service["id"],
        "indicator_id": indicator["id"],
        "survey_id": survey["id"],
        "feedback_id": feedback["id"],
        "wish_id": wish["id"],
        "agreement_id": agreement["id"],
        "meeting_id": meeting["id"],
        "action_id": action["id"],
        "theme_id": theme["id"],
        "import_id": unchanged["id"],
        "webhook_id": webhook["id"],
        "delivery_id": delivery["id"],
        "export_id": export["id"],
    }
    references = {
        **{name: ids[name] for name in ("organisation_id", "team_id", "person_id")},
        **{name: ids[name] for name in ("participant_id", "competence_id", "theme_id")},
        "meeting_id": meeting["id"],
        "parent_id": team.skill["id"],
        "coach_id": team.senior["id"],
        "commitment_id": commitment["id"],
        "finding_id": finding["id"],
        "status_by_id": anna["id"],
        "owner_ids": [anna["id"]],
        "steps_done": [theme["steps"][0]["id"]],
    }
    made = [project, person, service, finding, wish, grievance, feedback, agreement, check_in]
    made += [measurement, survey]
    made += [joint, meeting, commitment, report, theme, key, team.senior, bram, anna, team.skill]
    made.append(action)
    made.append(user)
    made += [webhook, delivery, attempt]
    every_id = set(ids.values()) | {m["id"] for m in made} | {bram["person_id"]}
    every_id.add(team.senior["person_id"])
    return Estate(api, ids, references, every_id)


# --- what was written -------------------------------------------------------------------


def footprint(engine: Engine) -> dict[str, int]:
    """Rows per table and, where rows carry a version, the sum of versions, in one query:
    unchanged, nothing was inserted, deleted or updated (and no audit record written)."""
    with engine.connect() as connection:
        return dict(connection.execute(_FOOTPRINT).one()._mapping)


def _footprint_query():
    measures = []
    for table in metadata.sorted_tables:
        measures.append(f'(SELECT count(*) FROM {table.name}) AS "{table.name} rows"')
        if "version" in table.c:
            total = f"(SELECT coalesce(sum(version), 0) FROM {table.name})"
            measures.append(f'{total} AS "{table.name} versions"')
    return text("SELECT " + ", ".join(measures))


_FOOTPRINT = _footprint_query()


def database_content(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table: equal before and after a call means it wrote nothing."""
    with engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in metadata.sorted_tables
        }


def audit_total(api: ApiClient) -> int:
    """How many audit records the caller's workspace has, as its X-Pagination says."""
    response = api.get("/api/v1/audit", query_string={"page_size": 1})
    assert response.status_code == 200, response.get_json()
    return json.loads(response.headers["X-Pagination"])["total"]


def snapshot(estate: Estate, app: Flask) -> dict[str, Any]:
    """Everything the estate's owner can read about it: every GET route, status and body."""
    seen = {}
    for route in routes(app):
        if route.method == "GET":
            response = estate.api.get(estate.url(route))
            body = response.get_json() if response.is_json else response.mimetype
            seen[str(route)] = (response.status_code, response.headers.get("ETag"), body)
    return seen


def uuids_in(text: str) -> set[str]:
    return set(UUID_TEXT.findall(text))
