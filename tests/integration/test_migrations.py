"""One Alembic history for both databases, and the model never drifts from it."""

from dataclasses import replace

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from api import create_app
from repositories.migrate import is_at_head, upgrade
from repositories.tables import metadata


def test_the_migrations_build_exactly_the_schema_the_code_declares(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_the_migrated_database_is_at_head(engine):
    assert is_at_head(engine)


def test_ready_answers_503_until_the_database_is_migrated(settings, tmp_path):
    fresh = create_app(replace(settings, database_url=f"sqlite:///{tmp_path}/new.db"))
    client = fresh.test_client()
    before = client.get("/ready")
    assert before.status_code == 503
    assert before.get_json()["database"] == "not migrated"
    assert client.get("/health").status_code == 200

    upgrade(fresh.extensions["od"].engine)
    assert client.get("/ready").status_code == 200
    fresh.extensions["od"].engine.dispose()
