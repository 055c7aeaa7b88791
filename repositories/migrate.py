"""Bring a database to the newest schema, and tell whether it is there."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from repositories.database import reading
from repositories.settings import PROJECT_ROOT


def alembic_config() -> Config:
    return Config(str(PROJECT_ROOT / "alembic.ini"))


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction fit for migrating.

    On SQLite, batch migrations copy a table and drop the original; with foreign keys on,
    that drop would cascade into the rows referring to it. So foreign keys are off while
    migrating (the pragma only works outside a transaction) and checked afterwards.
    """
    with engine.connect() as connection:
        driver = (
            connection.connection.driver_connection if engine.dialect.name == "sqlite" else None
        )
        if driver is not None:
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
            if driver is not None and driver.execute("PRAGMA foreign_key_check").fetchall():
                raise RuntimeError("the migration left rows that break foreign keys")
        finally:
            if driver is not None:
                driver.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine) -> None:
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@cache
def head_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def is_at_head(engine: Engine) -> bool:
    """True when the schema is migrated to the newest revision (what /ready reports)."""
    with reading(engine) as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return frozenset(current) == head_revisions()
