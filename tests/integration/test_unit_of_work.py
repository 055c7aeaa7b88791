"""The SQL unit of work on the real database: one transaction, kept only when committed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.access import Scope
from domain.errors import Conflict, StaleVersion
from domain.organisations import Organisation, Team
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
