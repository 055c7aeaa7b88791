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


def test_the_last_try_of_each_delivery_kept_before_0015_becomes_its_attempt(tmp_path):
    from uuid import uuid4

    from alembic import command
    from sqlalchemy import Integer, String, column, insert, table

    from domain.base import utcnow
    from repositories.database import make_engine
    from repositories.migrate import alembic_config, upgrade

    engine = make_engine(f"sqlite:///{tmp_path}/old.db")
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0015-1")
    now, workspace, webhook = utcnow(), uuid4(), uuid4()
    entity = {"workspace_id": workspace, "version": 1, "created_at": now, "updated_at": now}
    old_deliveries = table(  # as it was before 0015
        "webhook_deliveries",
        *(column(c.name, c.type) for c in t.webhook_deliveries.c),
        column("last_status_code", Integer()),
        column("last_latency_ms", Integer()),
        column("last_error", String()),
    )
    tried = {
        "failing": ("pending", 3, 503),
        "done": ("succeeded", 1, 204),
        "new": ("pending", 0, None),
    }
    deliveries = {}
    with engine.begin() as connection:
        connection.execute(insert(t.workspaces).values(id=workspace, name="W", created_at=now))
        connection.execute(
            insert(t.webhooks).values(
                id=webhook,
                url="https://hooks.example.org/",
                event_types=[],
                secret="s",
                enabled=True,
                cursor=0,
                **entity,
            )
        )
        for position, (name, (status, attempts, code)) in enumerate(tried.items(), 1):
            event, deliveries[name] = uuid4(), uuid4()
            connection.execute(
                insert(t.events).values(
                    id=event,
                    workspace_id=workspace,
                    position=position,
                    type="person.created",
                    entity_type="person",
                    entity_id=uuid4(),
                    change="created",
                    changed_fields=[],
                    occurred_at=now,
                )
            )
            connection.execute(
                insert(old_deliveries).values(
                    id=deliveries[name],
                    workspace_id=workspace,
                    webhook_id=webhook,
                    event_id=event,
                    position=position,
                    event_type="person.created",
                    status=status,
                    attempts=attempts,
                    created_at=now,
                    next_attempt_at=now if status == "pending" else None,
                    last_attempt_at=now if attempts else None,
                    last_status_code=code,
                    last_latency_ms=12 if code else None,
                    last_error=f"The receiver answered {code}." if code == 503 else None,
                )
            )

    upgrade(engine)

    a = t.webhook_attempts.c
    with engine.connect() as connection:
        attempts = {
            row.delivery_id: row
            for row in connection.execute(
                select(a.delivery_id, a.number, a.status, a.status_code, a.error, a.next_attempt_at)
            )
        }
    engine.dispose()
    assert set(attempts) == {deliveries["failing"], deliveries["done"]}
    failing, done = attempts[deliveries["failing"]], attempts[deliveries["done"]]
    assert (failing.number, failing.status, failing.status_code) == (3, "failed", 503)
    assert failing.error == "The receiver answered 503."
    assert failing.next_attempt_at is not None
    assert (done.number, done.status, done.status_code, done.next_attempt_at) == (
        1,
        "succeeded",
        204,
        None,
    )
