"""Fixtures shared by every suite.

The suite runs on a temporary SQLite file by default and on PostgreSQL with
``--database-url`` (``make test`` passes ``$TEST_DATABASE_URL``). The schema is built by
the real Alembic migrations once per run; after each test every table is emptied, so
tests see real commits (concurrency tests need them) and still start clean.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, delete, event, text

from api import create_app
from api.settings import Settings
from domain.access import Role, Scope
from domain.services.access import create_api_key, create_workspace
from repositories.database import make_engine
from repositories.migrate import upgrade
from repositories.tables import metadata
from repositories.unit_of_work import SqlUnitOfWork
from tests.client import ApiClient
from tests.oidc.provider import AUDIENCE, OpenIdProvider


def pytest_addoption(parser):
    parser.addoption(
        "--database-url",
        default=None,
        help="run against this database (e.g. PostgreSQL); default: a temporary SQLite file",
    )


@pytest.fixture(scope="session")
def server_url(request, tmp_path_factory) -> str:
    url = request.config.getoption("--database-url")
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def is_postgres(server_url) -> bool:
    return server_url.startswith("postgres")


@pytest.fixture(scope="session")
def database_url(server_url, is_postgres) -> Iterator[str]:
    """On PostgreSQL, a schema of this run's own, so concurrent runs never collide."""
    if not is_postgres:
        yield server_url
        return
    schema = f"test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in server_url else "?"
    yield f"{server_url}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def settings(database_url, tmp_path_factory) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=b"test-pepper",
        max_body_bytes=64 * 1024,
        key_cache_seconds=3600,  # revocation clears it; expiry must not change statement counts
        bootstrap_api_key=None,
        public_url="http://testserver",
        instance_path=tmp_path_factory.mktemp("instance"),
        # Suites make thousands of calls with one key; limits are tested on their own app.
        rate_limit_default="1000000 per minute",
        rate_limit_bulk="1000000 per minute",
        cors_origins=["https://frontend.example"],
        redis_url=None,
        oidc_issuers={},  # each test's workspace trusts the local provider (``Workspace.user``)
        oidc_audience=AUDIENCE,
        webhook_allow_private_targets=True,  # the receivers of the tests are on 127.0.0.1
        # Import jobs are handed to a broker of the run's own; tests run them themselves
        # (or start a worker on it).
        celery_broker_url=f"sqla+sqlite:///{tmp_path_factory.mktemp('broker') / 'broker.sqlite3'}",
    )


@pytest.fixture(scope="session")
def migrated(database_url) -> str:
    """A database at the newest schema, built from nothing by the real migrations."""
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    return database_url


@pytest.fixture(scope="session")
def app(settings, migrated):
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app
    app.extensions["od"].engine.dispose()


@pytest.fixture(scope="session")
def engine(app) -> Engine:
    return app.extensions["od"].engine


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after each test that used the database."""
    yield
    if "app" not in request.fixturenames:
        return
    empty_database(request.getfixturevalue("app"))


def empty_database(app) -> None:
    """What happens after each test; also for suites that share data across a module."""
    app.extensions["od"].key_cache.clear()
    with app.extensions["od"].engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(delete(table))


class Workspace:
    """A tenant made for a test, with its admin key and a way to issue more keys."""

    def __init__(self, app, name: str) -> None:
        self.app = app
        state = app.extensions["od"]
        workspace, key, secret = create_workspace(
            lambda scope: SqlUnitOfWork(state.engine, scope), state.hasher, name
        )
        self.id = workspace.id
        self.admin_key_id = key.id
        self.admin = ApiClient(app.test_client(), secret)

    def client(self, role: Role | str = Role.ADMIN, organisation_id=None) -> ApiClient:
        state = self.app.extensions["od"]
        uow = SqlUnitOfWork(state.engine, Scope(self.id, actor_id=self.admin_key_id))
        _key, secret = create_api_key(
            uow, state.hasher, name=f"{role} key", role=Role(role), organisation_id=organisation_id
        )
        return ApiClient(self.app.test_client(), secret)

    def user(
        self,
        oidc: OpenIdProvider,
        role: Role | str,
        person_id=None,
        email: str | None = None,
        issuer: str = "a",
    ) -> ApiClient:
        """A user invited by the admin and signed in through the local OpenID provider:
        a client sending the provider's access token, as a front end does."""
        self.app.extensions["od"].tokens.trust(oidc.issuer(issuer), self.id)
        email = email or f"{uuid.uuid4().hex[:12]}@example.nl"
        body = {"email": email, "display_name": email.split("@")[0], "role": str(role)}
        user = self.admin.ok("POST", "/api/v1/users", {**body, "person_id": person_id})
        client = ApiClient(self.app.test_client(), oidc.token(oidc.account(email, issuer)))
        client.user = user
        return client


@pytest.fixture(scope="session")
def oidc() -> Iterator[OpenIdProvider]:
    """The real OpenID provider (node's ``oidc-provider``), started once for the run."""
    provider = OpenIdProvider()
    yield provider
    provider.stop()


@pytest.fixture
def workspace(app) -> Workspace:
    return Workspace(app, "Adviesbureau De Brug")


@pytest.fixture
def other_workspace(app) -> Workspace:
    return Workspace(app, "Another consultancy")


@pytest.fixture
def client(workspace) -> ApiClient:
    """An admin client of the test's workspace."""
    return workspace.admin


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(engine):
    """``with count_statements() as counter: ...`` counts the SQL the app executes."""

    @contextmanager
    def counting() -> Iterator[StatementCounter]:
        counter = StatementCounter()

        def record(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
                counter.statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting
