"""Keeping people in step with an HRIS (``domain.services.people``), over fakes."""

from uuid import uuid4

import pytest

from domain.errors import RuleViolation
from domain.organisations import Organisation, Person, Team
from domain.services.people import sync_people, upsert_person_by_external_id
from tests.unit.fakes import FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def organisation(uow) -> Organisation:
    made = Organisation(name="Gemeente Utrecht")
    uow.organisations.seed(made)
    return made


def employee(organisation: Organisation, external_id: str, **fields) -> Person:
    values = {"name": f"Employee {external_id}", "email": f"{external_id}@example.nl", **fields}
    return Person(organisation_id=organisation.id, external_id=external_id, **values)


def item(external_id: str, **fields) -> dict:
    return {
        "external_id": external_id,
        "name": f"Employee {external_id}",
        "email": f"{external_id}@example.nl",
        **fields,
    }


def outcomes(results) -> dict[str, str]:
    return {r.external_id: r.outcome for r in results}


def stored(uow: FakeUnitOfWork, organisation: Organisation, external_id: str) -> Person:
    return uow.people.find_by(organisation_id=organisation.id, external_id=external_id)


# --- sync ----------------------------------------------------------------------------


def test_sync_creates_the_people_it_does_not_know(uow, organisation):
    results = sync_people(uow, organisation.id, [item("H-1"), item("H-2")], False)

    assert outcomes(results) == {"H-1": "created", "H-2": "created"}
    assert uow.committed
    assert stored(uow, organisation, "H-2").name == "Employee H-2"


def test_sync_updates_a_changed_person_and_leaves_an_equal_one_unchanged(uow, organisation):
    uow.people.seed(employee(organisation, "H-1"), employee(organisation, "H-2"))

    results = sync_people(uow, organisation.id, [item("H-1", name="Renamed"), item("H-2")], False)

    assert outcomes(results) == {"H-1": "updated", "H-2": "unchanged"}
    assert stored(uow, organisation, "H-1").name == "Renamed"
    assert stored(uow, organisation, "H-2").version == 1


def test_sync_deactivates_the_people_it_no_longer_lists_when_asked(uow, organisation):
    uow.people.seed(employee(organisation, "H-1"), employee(organisation, "H-2"))

    results = sync_people(uow, organisation.id, [item("H-1")], deactivate_absent=True)

    assert outcomes(results)["H-2"] == "deactivated"
    assert not stored(uow, organisation, "H-2").active


def test_sync_leaves_the_people_it_no_longer_lists_alone_unless_asked(uow, organisation):
    uow.people.seed(employee(organisation, "H-1"), employee(organisation, "H-2"))

    results = sync_people(uow, organisation.id, [item("H-1")], deactivate_absent=False)

    assert "H-2" not in outcomes(results)
    assert stored(uow, organisation, "H-2").active


def test_sync_does_not_deactivate_someone_already_inactive_again(uow, organisation):
    uow.people.seed(employee(organisation, "H-1", active=False))

    results = sync_people(uow, organisation.id, [], deactivate_absent=True)

    assert results == []
    assert stored(uow, organisation, "H-1").version == 1


def test_sync_leaves_people_made_by_hand_alone(uow, organisation):
    by_hand = Person(organisation_id=organisation.id, name="Made by hand")
    uow.people.seed(by_hand)

    results = sync_people(uow, organisation.id, [item("H-1")], deactivate_absent=True)

    assert outcomes(results) == {"H-1": "created"}
    assert uow.people.get(by_hand.id).active


def test_a_person_listed_twice_is_refused_at_the_second_index(uow, organisation):
    listed = [item("H-1"), item("H-2"), item("H-1", name="Twin")]

    with pytest.raises(RuleViolation) as refused:
        sync_people(uow, organisation.id, listed, False)

    [violation] = refused.value.violations
    assert (violation.field, violation.code) == ("people.2.external_id", "duplicate")
    assert "index 0" in violation.message


def test_every_invalid_item_is_reported_at_once(uow, organisation):
    other_team = Team(organisation_id=uuid4(), name="Elsewhere")
    uow.teams.seed(other_team)
    listed = [item("H-1", team_id=other_team.id), item("H-2"), item("H-2")]

    with pytest.raises(RuleViolation) as refused:
        sync_people(uow, organisation.id, listed, False)

    assert [v.field for v in refused.value.violations] == [
        "people.0.team_id",
        "people.2.external_id",
    ]


def test_a_refused_sync_commits_nothing(uow, organisation):
    uow.people.seed(employee(organisation, "H-1"))

    with pytest.raises(RuleViolation):
        sync_people(uow, organisation.id, [item("H-2"), item("H-2")], deactivate_absent=True)

    assert not uow.committed
    assert stored(uow, organisation, "H-2") is None
    assert stored(uow, organisation, "H-1").active


# --- upsert --------------------------------------------------------------------------


def test_an_upsert_creates_then_sets_what_it_is_given(uow, organisation):
    made, created = upsert_person_by_external_id(
        uow, organisation.id, "H-1", {"name": "Anna", "email": "anna@example.nl"}
    )
    again, created_again = upsert_person_by_external_id(
        uow, organisation.id, "H-1", {"name": "Anna de Vries"}
    )

    assert (created, created_again) == (True, False)
    assert again.id == made.id
    assert (again.name, again.email) == ("Anna de Vries", "anna@example.nl")  # email kept


def test_an_upsert_clears_a_field_given_as_none(uow, organisation):
    upsert_person_by_external_id(
        uow, organisation.id, "H-1", {"name": "Anna", "email": "anna@example.nl"}
    )

    again, _ = upsert_person_by_external_id(
        uow, organisation.id, "H-1", {"name": "Anna", "email": None}
    )

    assert again.email is None


def test_the_same_upsert_twice_changes_nothing_the_second_time(uow, organisation):
    values = {"name": "Anna", "email": "anna@example.nl"}
    made, _ = upsert_person_by_external_id(uow, organisation.id, "H-1", values)

    again, _ = upsert_person_by_external_id(uow, organisation.id, "H-1", values)

    assert uow.people.updates == [(made.id, frozenset())]
    assert again.version == made.version == 1
