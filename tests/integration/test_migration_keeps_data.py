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
