"""Engines for the two supported databases, set up the way each needs, and the
transactions a unit of work opens on them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, RootTransaction, create_engine, event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import make_url
from sqlalchemy.pool import PoolProxiedConnection

PURPOSE = "od_purpose"  # what the next transaction is for, kept on the pooled connection
READ = "read"  # reads only: nothing to keep all or nothing
SNAPSHOT = "snapshot"  # reads that must agree with each other (an export)
WRITE = "write"  # changes: all or nothing


def begin(engine: Engine, purpose: str) -> tuple[Connection, RootTransaction]:
    """A connection of ``engine`` with a transaction opened for ``purpose``.

    Both dialects below read the purpose off the pooled connection when SQLAlchemy begins,
    and open what it needs: on PostgreSQL, reads run outside a transaction, snapshots in a
    REPEATABLE READ, READ ONLY one, writes in a plain one; on SQLite, every read keeps a
    snapshot and writes take the write lock at BEGIN.
    """
    connection = engine.connect()
    connection.connection.info[PURPOSE] = purpose
    try:
        return connection, connection.begin()
    except BaseException:
        connection.close()  # back to the pool, whatever failed (a lost database, a lock)
        raise


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads outside a unit of work (a key lookup, the readiness check),
    opened as a unit of work's read is: anything that begins without saying it only
    reads gets a write transaction, which on SQLite waits for the write lock."""
    connection, _ = begin(engine, READ)
    with connection:
        yield connection


def make_engine(url: str, *, pool_size: int = 5, echo: bool = False) -> Engine:
    """An engine for ``url`` (SQLite or PostgreSQL, whichever driver the URL names: ours
    are the dialects below); SQLite files get their folder created on first use."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        parsed = parsed.set(drivername="sqlite+od")  # SQLiteDialect, below
        return _sqlite_engine(parsed.render_as_string(hide_password=False), parsed.database, echo)
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        raise ValueError(
            f"{parsed.get_backend_name()!r} databases are not supported: use a "
            "sqlite:/// or a postgresql:// URL"
        )
    parsed = parsed.set(drivername="postgresql+od")  # PostgreSQLDialect, below
    # psycopg prepares a statement on the server after its fifth run: a small read's
    # SELECT is then neither parsed nor planned again (lookups by sets of keys are not
    # prepared: TableRepository._planned_for_values says why).
    return create_engine(
        parsed,
        echo=echo,
        # The driver never begins on its own: PostgreSQLDialect.do_begin decides.
        isolation_level="AUTOCOMMIT",
        # No ping before each checkout: it is a round trip on every request (a tenth of a
        # small read's time). After a database restart the first use of a dead connection
        # fails as a disconnect, SQLAlchemy drops the whole pool, that request answers 503
        # and the next ones connect afresh: the app recovers without a restart.
        pool_pre_ping=False,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=5,
        pool_recycle=1800,
    )


def _sqlite_engine(url: str, database: str | None, echo: bool) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": 15})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (SQLiteDialect).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    return engine


class SQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, with transactions opened by SQLAlchemy rather than by the driver, which
    begins them late (at the first write) or not at all (reads, DDL).

    A writer takes the write lock up front: upgrading a read lock later fails at once
    under WAL when another worker wrote meanwhile, and no timeout helps then. Done here,
    not in a "begin" event as SQLAlchemy's documentation shows: one engine event makes
    SQLAlchemy dispatch every event of every statement, a sixth of a small read's time.
    """

    supports_statement_cache = True

    def do_begin(self, dbapi_connection: PoolProxiedConnection) -> None:
        purpose = dbapi_connection.info.pop(PURPOSE, WRITE)
        statement = "BEGIN IMMEDIATE" if purpose == WRITE else "BEGIN"
        _driver(dbapi_connection).execute(statement)


registry.register("sqlite.od", __name__, "SQLiteDialect")


def _driver(dbapi_connection: PoolProxiedConnection) -> Any:
    """The driver's own connection (sqlite3's, psycopg's), which SQLAlchemy types as
    optional: a connection it has invalidated has none, and no transaction begins on it."""
    driver = dbapi_connection.driver_connection
    if driver is None:
        raise RuntimeError("a transaction cannot begin on an invalidated connection")
    return driver


class PostgreSQLDialect(PGDialect_psycopg):
    """psycopg with its connections in autocommit, and transactions opened by SQLAlchemy
    as the unit of work's purpose needs (``begin``).

    PostgreSQL reads outside a transaction: at READ COMMITTED (its default and ours) each
    statement of a transaction sees a snapshot of its own anyway, so BEGIN and ROLLBACK
    bought nothing but two round trips, most of a small read's time. Reads whose
    statements must agree (an export that an import will read back: no level of a
    participant the participants' read did not see) take those round trips for a
    REPEATABLE READ, READ ONLY transaction. Decided here rather than by switching each
    connection's isolation level on checkout and back on checkin, which cost a small read
    a twentieth of its time. Anything that begins without saying why gets a plain
    transaction: Alembic, scripts, ``engine.begin()``.
    """

    supports_statement_cache = True

    def do_begin(self, dbapi_connection: PoolProxiedConnection) -> None:
        purpose = dbapi_connection.info.pop(PURPOSE, WRITE)
        if purpose == READ:
            return
        statement = (
            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY" if purpose == SNAPSHOT else "BEGIN"
        )
        _driver(dbapi_connection).execute(statement, prepare=False)


registry.register("postgresql.od", __name__, "PostgreSQLDialect")
