"""Databases and data for the bench, made the way a caller makes them: through the API.

Each run works in fresh databases (a SQLite file under a temporary folder, a schema of
its own on PostgreSQL, dropped afterwards) so figures never depend on what an earlier
run left behind, and the data is whatever the API accepts, not rows forged past its
rules.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import text

from api import create_app
from api.settings import Settings
from domain.services.access import create_workspace
from repositories.database import make_engine
from repositories.migrate import upgrade
from repositories.unit_of_work import SqlUnitOfWork

SECRET_KEY = "bench-pepper-not-a-secret"
API_KEY = "odk_bench_" + "k" * 32
# High enough that no row ever meets a 429: rate limits are not what is measured.
NO_LIMIT = "100000000 per minute"
COMPETENCES_PER_SERVICE = 10

_numbers = count(1)


@dataclass(frozen=True)
class Target:
    """Where a row runs: ``label`` names it in the table (sqlite, postgresql)."""

    label: str
    server_url: str | None  # PostgreSQL's URL; None for SQLite
    tmp: Path


@contextmanager
def fresh_database(target: Target) -> Iterator[str]:
    """The URL of an empty database, thrown away on exit."""
    if target.server_url is None:
        yield f"sqlite:///{target.tmp / f'bench-{next(_numbers)}.sqlite3'}"
        return
    schema = f"bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(target.server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in target.server_url else "?"
    try:
        yield f"{target.server_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def server_env(database_url: str) -> dict[str, str]:
    """What gunicorn needs to serve the API on ``database_url`` with the bench's key."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "BOOTSTRAP_API_KEY": API_KEY,
        "RATELIMIT_DEFAULT": NO_LIMIT,
        "RATELIMIT_BULK": NO_LIMIT,
    }


def make_app(database_url: str, instance_path: Path, **overrides: Any) -> Flask:
    """The API in-process on ``database_url``, migrated, with the bench's workspace and key
    (what ``flask --app wsgi setup`` does with BOOTSTRAP_API_KEY); ``overrides`` are
    further settings."""
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY.encode(),
        key_cache_seconds=3600,  # the key is checked once: statement counts stay exact
        bootstrap_api_key=API_KEY,
        public_url="http://bench",
        instance_path=instance_path,
        rate_limit_default=NO_LIMIT,
        rate_limit_bulk=NO_LIMIT,
        redis_url=None,
        log_level="warning",
        **overrides,
    )
    app = create_app(settings)
    state = app.extensions["od"]
    upgrade(state.engine)
    with state.engine.connect() as connection:
        empty = connection.execute(text("SELECT count(*) FROM workspaces")).scalar_one() == 0
    if empty:
        create_workspace(
            lambda scope: SqlUnitOfWork(state.engine, scope), state.hasher, "Bench", API_KEY
        )
    return app


class Api:
    """The app's test client speaking as the bench's admin key; every call must succeed."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()

    def request(self, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {API_KEY}", **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def ok(self, method: str, path: str, body: Any = None, status: int | None = None, **kwargs):
        if body is not None:
            kwargs["json"] = body
        response = self.request(method, path, **kwargs)
        expected = status or {"POST": 201, "DELETE": 204}.get(method, 200)
        if response.status_code != expected:
            raise AssertionError(
                f"{method} {path}: {response.status_code} {response.get_data(as_text=True)[:500]}"
            )
        return response.get_json() if response.status_code != 204 else None


@dataclass
class Team:
    """An organisation and one of its teams, where projects and people live."""

    organisation_id: str
    team_id: str

    @classmethod
    def make(cls, api: Api) -> Team:
        n = next(_numbers)
        org = api.ok("POST", "/api/v1/organisations", {"name": f"Organisation {n}"})
        team = api.ok("POST", f"/api/v1/organisations/{org['id']}/teams", {"name": f"Team {n}"})
        return cls(org["id"], team["id"])

    def hire(self, api: Api, how_many: int) -> list[str]:
        """``how_many`` people made in one HRIS sync; answers their ids."""
        n = next(_numbers)
        people = [
            {
                "external_id": f"H-{n}-{i}",
                "name": f"Employee {n}-{i}",
                "email": f"employee{n}.{i}@example.nl",
                "team_id": self.team_id,
            }
            for i in range(how_many)
        ]
        report = api.ok(
            "POST",
            f"/api/v1/organisations/{self.organisation_id}/people/sync",
            {"people": people},
            status=200,
        )
        return [r["id"] for r in report["results"]]


def make_competences(api: Api, how_many: int) -> list[dict[str, Any]]:
    n = next(_numbers)
    return [
        api.ok("POST", "/api/v1/competences", {"code": f"C-{n}-{i}", "name": f"Skill {n}-{i}"})
        for i in range(how_many)
    ]


@dataclass
class Project:
    """A project in competence_mapping: its participants, and the competences its
    services need (ten per service, each service delivered by the first two members)."""

    id: str
    team: Team
    participants: list[str] = field(default_factory=list)
    competences: list[dict[str, Any]] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"/api/v1/projects/{self.id}"

    @classmethod
    def in_mapping(
        cls, api: Api, team: Team, people: list[str], competences: list[dict[str, Any]]
    ) -> Project:
        """Through the intake and service definition gates with the first two people,
        then everyone else added (participants may join in any phase)."""
        made = api.ok(
            "POST",
            "/api/v1/projects",
            {
                "name": f"Project {next(_numbers)}",
                "organisation_id": team.organisation_id,
                "team_id": team.team_id,
            },
        )
        project = cls(made["id"], team, competences=competences)
        project.join(api, people[:2])
        intake = f"{project.base}/intake"
        api.ok("POST", f"{intake}/findings", {"text": "Nobody shares knowledge."})
        for participant in project.participants:
            api.ok(
                "PUT",
                f"{intake}/readiness/{participant}",
                {"desire": 4, "energy": 4, "feasibility": 3},
                status=201,
            )
        api.ok("PUT", f"{intake}/conclusion", {"ready": True, "text": "We are ready."})
        project.move(api, "service_definition")
        for i in range(0, len(competences), COMPETENCES_PER_SERVICE):
            project.add_service(api, competences[i : i + COMPETENCES_PER_SERVICE])
        project.move(api, "competence_mapping")
        project.join(api, people[2:])
        return project

    def join(self, api: Api, people: list[str]) -> None:
        for person in people:
            made = api.ok(
                "POST",
                f"{self.base}/participants",
                {"person_id": person, "roles": ["member"]},
            )
            self.participants.append(made["id"])

    def move(self, api: Api, to: str) -> None:
        api.ok("POST", f"{self.base}/transitions", {"to": to})

    def add_service(self, api: Api, needs: list[dict[str, Any]]) -> None:
        service = api.ok(
            "POST",
            f"{self.base}/services",
            {
                "name": f"Service {next(_numbers)}",
                "deliverables": ["A deliverable"],
                "indicators": ["An indicator"],
                "required_competences": [
                    {"competence_id": c["id"], "level": 2 + n % 2} for n, c in enumerate(needs)
                ],
            },
        )
        for participant in self.participants[:2]:
            api.ok(
                "POST",
                f"{self.base}/services/{service['id']}/contributors",
                {"participant_id": participant, "contribution": "Part of it."},
            )

    def rate_everyone(self, api: Api, wish_every: int = 10) -> None:
        """Every participant rated on every competence in one batch; a wish for every
        ``wish_every``-th participant (priorities rank wishes)."""
        cells = [
            {"participant_id": p, "competence_id": c["id"], "level": (i + j) % 5, "source": "self"}
            for i, p in enumerate(self.participants)
            for j, c in enumerate(self.competences)
        ]
        api.ok("PUT", f"{self.base}/matrix/levels", {"levels": cells})
        for i in range(0, len(self.participants), wish_every):
            api.ok(
                "POST",
                f"{self.base}/wishes",
                {
                    "participant_id": self.participants[i],
                    "competence_id": self.competences[i % len(self.competences)]["id"],
                },
            )


def rated_project(api: Api, participants: int, competences: list[dict[str, Any]]) -> Project:
    """A project of ``participants`` rated on every one of ``competences``, with wishes."""
    team = Team.make(api)
    project = Project.in_mapping(api, team, team.hire(api, participants), competences)
    project.rate_everyone(api)
    return project
