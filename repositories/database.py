"""Engines for the two supported databases, set up the way each needs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

WRITE = "od_write"  # execution option: this transaction intends to write


def read_only_options(engine: Engine) -> dict[str, str]:
    """How a unit of work that only reads talks to ``engine``.

    PostgreSQL reads outside a transaction: at READ COMMITTED (its default and ours) each
    statement of a transaction sees a snapshot of its own anyway, so BEGIN and ROLLBACK
    bought nothing but two round trips, which were most of a small read's time. SQLite's
    transaction is a snapshot across statements, in-process and nearly free: kept.
    """
    return {"isolation_level": "AUTOCOMMIT"} if engine.dialect.name == "postgresql" else {}


def make_engine(url: str, *, pool_size: int = 5, echo: bool = False) -> Engine:
    """An engine for ``url``; SQLite files get their folder created on first use."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver we ship
        url = parsed.render_as_string(hide_password=False)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, echo)
    engine = create_engine(
        url,
        echo=echo,
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

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # psycopg prepares a statement on the server after its fifth run: a small read's
        # SELECT is then neither parsed nor analysed again, a quarter more reads a second.
        # Planned anew for each run's values, though: a prepared statement's generic plan
        # for an import's "external_id IN (2,000 values)" scanned the whole workspace,
        # each chunk slower than the last.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_connection.commit()

    return engine


def _sqlite_engine(url: str, database: str | None, echo: bool) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": 15})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A writer takes the write lock up front: upgrading a read lock later fails at
        # once under WAL when another worker wrote meanwhile, and no timeout helps then.
        # Sent on the driver's connection: SQLAlchemy's statement path (events, result
        # set-up) cost a small read as much as its SELECT, for a statement with no result.
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
