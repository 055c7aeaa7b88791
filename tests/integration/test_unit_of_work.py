"""The SQL unit of work on the real database: one transaction, kept only when committed."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from domain.access import Scope
from domain.errors import Conflict, StaleVersion
from domain.organisations import Organisation, Team
from repositories.credentials import scope_for_digest
from repositories.database import make_engine
from repositories.unit_of_work import SqlUnitOfWork
from tests.conftest import Workspace

UowFactory = Callable[[], SqlUnitOfWork]


@pytest.fixture
def new_uow(app, engine) -> UowFactory:
    """Units of work of one fresh workspace, as a request of its admin key gets them."""
    workspace = Workspace(app, "Adviesbureau De Brug")
    scope = Scope(workspace.id, actor_id=workspace.admin_key_id)
    return lambda: SqlUnitOfWork(engine, scope)


@pytest.fixture
def organisation(new_uow) -> Organisation:
    made = Organisation(name="Gemeente Utrecht")
    with new_uow() as uow:
        uow.organisations.add(made)
        uow.commit()
    return made


def stored(new_uow: UowFactory, organisation_id) -> Organisation | None:
    with new_uow() as uow:
        return uow.organisations.find(organisation_id)


def test_work_that_is_not_committed_is_rolled_back(new_uow):
    made = Organisation(name="Never committed")

    with new_uow() as uow:
        uow.organisations.add(made)
        assert uow.organisations.find(made.id) is not None  # there inside the transaction

    assert stored(new_uow, made.id) is None


def test_work_that_fails_midway_is_rolled_back(new_uow):
    made = Organisation(name="Half done")

    def service():
        with new_uow() as uow:
            uow.organisations.add(made)
            raise RuntimeError("the service failed after its first write")

    with pytest.raises(RuntimeError):
        service()

    assert stored(new_uow, made.id) is None


def test_committed_work_is_there(new_uow):
    made = Organisation(name="Committed")

    with new_uow() as uow:
        uow.organisations.add(made)
        uow.commit()

    assert stored(new_uow, made.id).name == "Committed"


def test_a_copy_read_before_another_commit_cannot_be_written_back(new_uow, organisation):
    with new_uow() as first_reader:
        first = first_reader.organisations.get(organisation.id)
    with new_uow() as second_reader:
        second = second_reader.organisations.get(organisation.id)

    with new_uow() as uow:
        uow.organisations.update(first, first.change(name="First"))
        uow.commit()
    with new_uow() as uow, pytest.raises(StaleVersion):
        uow.organisations.update(second, second.change(name="Second"))

    kept = stored(new_uow, organisation.id)
    assert (kept.name, kept.version) == ("First", 2)


def test_the_later_of_two_open_units_of_work_gets_stale_version(new_uow, organisation, is_postgres):
    """Both transactions open at once: only PostgreSQL lets two writers overlap."""
    if not is_postgres:
        pytest.skip("SQLite serialises writers: the second could not even begin")
    with new_uow() as first, new_uow() as second:
        mine = first.organisations.get(organisation.id)
        theirs = second.organisations.get(organisation.id)
        first.organisations.update(mine, mine.change(name="First"))
        first.commit()

        with pytest.raises(StaleVersion):
            second.organisations.update(theirs, theirs.change(name="Second"))

    kept = stored(new_uow, organisation.id)
    assert (kept.name, kept.version) == ("First", 2)


def test_a_unique_constraint_surfaces_as_a_duplicate_conflict(new_uow, organisation):
    with new_uow() as uow:
        uow.teams.add(Team(organisation_id=organisation.id, name="Ondersteuning"))

        with pytest.raises(Conflict) as clash:
            uow.teams.add(Team(organisation_id=organisation.id, name="Ondersteuning"))

    assert clash.value.code == "duplicate"
    assert clash.value.message == "The organisation already has a team with this name."
    with new_uow() as uow:
        assert uow.teams.count(organisation_id=organisation.id) == 0


# --- how each kind of unit of work opens its transaction -------------------------------


@pytest.fixture
def scope(new_uow) -> Scope:
    return new_uow().scope


def _in_transaction(connection) -> bool:
    driver = connection.connection.driver_connection
    if hasattr(driver, "in_transaction"):  # sqlite3
        return driver.in_transaction
    return driver.info.transaction_status != driver.info.transaction_status.IDLE


def test_a_read_opens_no_transaction_on_postgresql_and_a_snapshot_on_sqlite(
    engine, scope, organisation, is_postgres
):
    """PostgreSQL reads statement by statement (BEGIN and ROLLBACK were two round trips
    of a small read); SQLite's snapshot is free, so its reads keep one."""
    with SqlUnitOfWork(engine, scope, write=False) as uow:
        uow.organisations.get(organisation.id)
        assert _in_transaction(uow.connection) is not is_postgres


def test_a_snapshot_read_is_one_read_only_moment(engine, scope, organisation, is_postgres):
    """An export's statements must all see the same state, and it writes nothing."""
    with SqlUnitOfWork(engine, scope, write=False, snapshot=True) as uow:
        uow.organisations.get(organisation.id)
        assert _in_transaction(uow.connection)
        if is_postgres:
            setting = uow.connection.exec_driver_sql
            assert setting("SHOW transaction_isolation").scalar() == "repeatable read"
            assert setting("SHOW transaction_read_only").scalar() == "on"


def test_a_snapshot_read_keeps_the_prepared_statements(engine, scope, organisation, is_postgres):
    """psycopg forgets a connection's prepared statements on ROLLBACK; a snapshot has
    nothing to undo, so it ends with COMMIT and the next small read stays prepared."""
    if not is_postgres:
        pytest.skip("SQLite prepares nothing across statements")
    with SqlUnitOfWork(engine, scope, write=False, snapshot=True) as uow:
        for _ in range(6):  # psycopg prepares what ran five times
            uow.organisations.get(organisation.id)
        driver = uow.connection.connection.driver_connection

    prepared = driver.execute("SELECT statement FROM pg_prepared_statements").fetchall()
    assert any("FROM organisations" in statement for (statement,) in prepared)


def test_work_begun_without_a_purpose_is_one_transaction(engine):
    """Migrations, scripts and the idempotency records begin without naming a purpose:
    they get a transaction that writes, all or nothing."""
    with engine.begin() as connection:
        assert _in_transaction(connection)  # nothing executed yet


def test_a_write_on_sqlite_holds_the_write_lock_from_its_start(engine, scope, is_postgres):
    """Taken late, the lock would fail at once under WAL when another worker wrote
    meanwhile; taken at BEGIN, a second writer waits its turn (busy_timeout)."""
    if is_postgres:
        pytest.skip("PostgreSQL locks rows, not the database")
    other = engine.raw_connection()
    try:
        with SqlUnitOfWork(engine, scope) as uow:
            assert _in_transaction(uow.connection)  # nothing written yet
            other.driver_connection.execute("PRAGMA busy_timeout = 0")
            with pytest.raises(Exception, match="locked"):
                other.driver_connection.execute("BEGIN IMMEDIATE")
        with SqlUnitOfWork(engine, scope, write=False) as uow:
            other.driver_connection.execute("BEGIN IMMEDIATE")  # a reader holds no lock
            other.driver_connection.execute("ROLLBACK")
    finally:
        other.close()


def test_reads_outside_a_unit_of_work_wait_for_no_writer(app, engine, is_postgres):
    """The readiness check and key lookups answer while an import holds SQLite's write
    lock. Begun as writes they would wait for it, and a load balancer would take the
    instance out of service for as long as the import runs."""
    if is_postgres:
        pytest.skip("PostgreSQL readers never wait for writers")
    writer = engine.raw_connection()
    try:
        writer.driver_connection.execute("BEGIN IMMEDIATE")  # an import, mid-way
        with ThreadPoolExecutor(1) as pool:
            readiness = pool.submit(app.test_client().get, "/ready")
            assert readiness.result(timeout=5).status_code == 200
            key = pool.submit(scope_for_digest, engine, "no such digest")
            assert key.result(timeout=5) is None
    finally:
        writer.driver_connection.execute("ROLLBACK")
        writer.close()


def test_lookups_by_sets_of_keys_are_planned_for_their_keys_and_the_rest_prepared(
    new_uow, organisation, is_postgres
):
    """A prepared lookup of an import chunk's 2,000 keys got one generic plan that read
    the whole organisation per chunk; a prepared small read is neither parsed nor planned
    again. psycopg prepares what ran five times, so each runs six times here."""
    if not is_postgres:
        pytest.skip("SQLite prepares nothing across statements")
    keys = {f"hr-{n}" for n in range(2000)}
    with new_uow() as uow:
        for _ in range(6):
            uow.people.all(organisation_id=organisation.id, external_id=keys)
            uow.organisations.find(organisation.id)
        prepared = uow.connection.exec_driver_sql(
            "SELECT statement FROM pg_prepared_statements"
        ).scalars()
        statements = [" ".join(s.split()) for s in prepared]

    # Reads only: the connection may hold other tests' prepared writes (their clean-up).
    reads = [s for s in statements if s.startswith("SELECT")]
    assert not any("FROM people" in s for s in reads)
    assert any("FROM organisations" in s for s in reads)


def test_a_database_other_than_the_two_supported_is_refused_up_front():
    with pytest.raises(ValueError, match="'mysql' databases are not supported"):
        make_engine("mysql://root@127.0.0.1/test")
