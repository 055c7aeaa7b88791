"""Migrating a database that holds data keeps every row, SQLite's table copies included."""

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import func, select

from repositories import tables as t
from repositories.migrate import migration_connection
from tests import builders


def participants(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(t.participants))


def test_a_batch_table_copy_does_not_cascade_into_the_rows_referring_to_it(
    client, engine, is_postgres
):
    if is_postgres:
        pytest.skip("PostgreSQL alters tables in place; only SQLite copies them")
    builders.project_in(client, "service_definition")
    before = participants(engine)

    # What a batch migration does on SQLite: copy `projects`, drop the original, rename.
    with migration_connection(engine) as connection:
        operations = Operations(MigrationContext.configure(connection))
        with operations.batch_alter_table("projects", recreate="always") as batch:
            batch.alter_column("description", existing_type=t.projects.c.description.type)

    assert participants(engine) == before > 0


def test_import_reports_kept_before_0007_are_scoped_to_the_organisation_they_touched(tmp_path):
    from uuid import uuid4

    from alembic import command
    from sqlalchemy import insert

    from domain.base import utcnow
    from repositories.database import make_engine
    from repositories.migrate import alembic_config, upgrade

    engine = make_engine(f"sqlite:///{tmp_path}/old.db")
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    now, workspace, organisation, project = utcnow(), uuid4(), uuid4(), uuid4()
    entity = {"workspace_id": workspace, "version": 1, "created_at": now, "updated_at": now}
    report = {**entity, "dry_run": False, "counts": {}, "items": []}
    with engine.begin() as connection:
        connection.execute(insert(t.workspaces).values(id=workspace, name="W", created_at=now))
        connection.execute(insert(t.organisations).values(id=organisation, name="O", **entity))
        team = uuid4()
        connection.execute(
            insert(t.teams).values(id=team, organisation_id=organisation, name="T", **entity)
        )
        connection.execute(
            insert(t.projects).values(
                id=project,
                organisation_id=organisation,
                team_id=team,
                name="P",
                description="",
                phase="intake",
                **entity,
            )
        )
        kept = {"people": organisation, "levels": project, "competences": None}
        for kind, target in kept.items():
            connection.execute(
                insert(t.imports).values(
                    id=uuid4(), format="ndjson", kind=kind, target_id=target, **report
                )
            )

    upgrade(engine)

    with engine.connect() as connection:
        scoped = dict(
            connection.execute(select(t.imports.c.kind, t.imports.c.organisation_id)).all()
        )
    engine.dispose()
    assert scoped == {"people": organisation, "levels": organisation, "competences": None}
