"""People of an organisation, kept in step with the client's HRIS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page, expect_version, utcnow
from domain.errors import NotFound, RuleViolation, StaleVersion, Violation
from domain.organisations import Person
from domain.ports import UnitOfWork
from domain.services.organisations import team_in_organisation
from domain.texts import _

# What an HRIS may set. A field it leaves out keeps its stored value (a new person gets
# the entity's defaults: no e-mail, no team, active); an explicit null clears it. An HRIS
# that sends fewer fields than it used to must not erase what it no longer sends.
HRIS_FIELDS = ("name", "email", "active", "team_id")


def list_people(uow: UnitOfWork, organisation_id: UUID, query: ListQuery) -> Page[Person]:
    with uow:
        uow.organisations.get(organisation_id)
        return uow.people.list(query.within(organisation_id=organisation_id))


def get_person(uow: UnitOfWork, person_id: UUID) -> Person:
    with uow:
        return uow.people.get(person_id)


def get_person_by_external_id(uow: UnitOfWork, organisation_id: UUID, external_id: str) -> Person:
    with uow:
        uow.organisations.get(organisation_id)
        person = uow.people.find_by(organisation_id=organisation_id, external_id=external_id)
        if person is None:
            raise NotFound(
                "person",
                message=_("No person with external_id {key} here.", key=repr(external_id)),
            )
        return person


def create_person(uow: UnitOfWork, organisation_id: UUID, values: dict[str, Any]) -> Person:
    with uow:
        uow.organisations.get(organisation_id)
        team_in_organisation(uow, values.get("team_id"), organisation_id)
        if values.get("external_id") is not None:
            _ensure_external_id_free(uow, organisation_id, values["external_id"])
        person = Person(organisation_id=organisation_id, **values)
        uow.people.add(person)
        uow.commit()
    return person


def update_person(
    uow: UnitOfWork, person_id: UUID, changes: dict[str, Any], expected_version: int | None
) -> Person:
    with uow:
        person = uow.people.get(person_id)
        expect_version(person, expected_version, "person")
        if person.erased:
            raise RuleViolation.on("person", _("An erased person cannot be edited."), "erased")
        if "team_id" in changes:
            team_in_organisation(uow, changes["team_id"], person.organisation_id)
        new_external_id = changes.get("external_id")
        if new_external_id is not None and new_external_id != person.external_id:
            _ensure_external_id_free(uow, person.organisation_id, new_external_id)
        uow.people.update(person, person.change(**changes))
        uow.commit()
    return person


def upsert_person_by_external_id(
    uow: UnitOfWork,
    organisation_id: UUID,
    external_id: str,
    values: dict[str, Any],
    expected_version: int | None = None,
    *,
    must_exist: bool = False,
) -> tuple[Person, bool]:
    """What an HRIS calls for one employee: create, or set the HRIS-owned fields it sends
    (those it leaves out keep their values, see ``HRIS_FIELDS``).

    Answers whether the person was created. The same body twice writes nothing the
    second time, so an HRIS may resend freely. ``expected_version`` guards a replacement
    of someone already there; ``must_exist`` (any If-Match, even ``*``) forbids creating
    someone, since the caller believes they are replacing a version they have seen.
    """
    with uow:
        uow.organisations.get(organisation_id)
        team_in_organisation(uow, values.get("team_id"), organisation_id)
        person = uow.people.find_by(organisation_id=organisation_id, external_id=external_id)
        if person is None:
            if must_exist:
                raise StaleVersion(
                    "person", _("No person has this external_id, so no version of them can match.")
                )
            person = Person(organisation_id=organisation_id, external_id=external_id, **values)
            uow.people.add(person)
            created = True
        else:
            expect_version(person, expected_version, "person")
            uow.people.update(person, person.change(**values))
            created = False
        uow.commit()
    return person, created


@dataclass(frozen=True)
class SyncOutcome:
    index: int | None
    external_id: str
    outcome: str  # created | updated | unchanged | deactivated
    person: Person


def sync_people(
    uow: UnitOfWork, organisation_id: UUID, items: Sequence[dict[str, Any]], deactivate_absent: bool
) -> list[SyncOutcome]:
    """Apply an HRIS's full list of employees at once, all or nothing.

    An item sets the fields it sends; those it leaves out keep their values. With
    ``deactivate_absent`` the list says who works there: people it no longer names are
    deactivated, never deleted (leavers keep their history), and someone it names without
    ``active`` is active, so a leaver who comes back is reactivated. People created by
    hand (no ``external_id``) are not the HRIS's and are left alone.
    """
    with uow:
        uow.organisations.get(organisation_id)
        _validate_sync(uow, organisation_id, items)
        existing = {
            p.external_id: p
            for p in uow.people.all(organisation_id=organisation_id)
            if p.external_id is not None
        }
        outcomes: list[SyncOutcome] = []
        new: list[Person] = []
        changes: list[tuple[Person, frozenset[str]]] = []
        for index, item in enumerate(items):
            values = {k: v for k, v in item.items() if k != "external_id"}
            if deactivate_absent:
                values.setdefault("active", True)
            person = existing.get(item["external_id"])
            if person is None:
                person = Person(
                    organisation_id=organisation_id, external_id=item["external_id"], **values
                )
                new.append(person)
                outcome = "created"
            else:
                changed = person.change(**values)
                if changed:
                    changes.append((person, changed))
                outcome = "updated" if changed else "unchanged"
            outcomes.append(SyncOutcome(index, item["external_id"], outcome, person))
        if deactivate_absent:
            listed = {item["external_id"] for item in items}
            for external_id, person in existing.items():
                if external_id not in listed and person.active:
                    changes.append((person, person.change(active=False)))
                    outcomes.append(SyncOutcome(None, external_id, "deactivated", person))
        uow.people.add_many(new)
        uow.people.update_many(changes)
        uow.commit()
    return outcomes


def erase_person(uow: UnitOfWork, person_id: UUID, expected_version: int | None) -> None:
    """GDPR erasure: a person nobody refers to is deleted; otherwise anonymised in place,
    so the projects they took part in keep their contributions, unattributed."""
    with uow:
        person = uow.people.get(person_id)
        expect_version(person, expected_version, "person")
        if uow.people.is_referenced(person.id):
            if person.erased:
                return  # already forgotten: erasing again changes nothing, not even the date
            uow.people.erase(person, person.erase(utcnow()))
        else:
            uow.people.remove(person)
        uow.commit()


def _ensure_external_id_free(uow: UnitOfWork, organisation_id: UUID, external_id: str) -> None:
    if uow.people.find_by(organisation_id=organisation_id, external_id=external_id):
        raise RuleViolation.on(
            "external_id",
            _("Another person of this organisation has this external_id."),
            "duplicate",
        )


def _validate_sync(uow: UnitOfWork, organisation_id: UUID, items: Sequence[dict[str, Any]]) -> None:
    """Every problem of the list at once, each located by its index."""
    team_ids = {t.id for t in uow.teams.all(organisation_id=organisation_id)}
    seen: dict[str, int] = {}
    violations: list[Violation] = []
    for index, item in enumerate(items):
        first = seen.setdefault(item["external_id"], index)
        if first != index:
            violations.append(
                Violation(
                    f"people.{index}.external_id",
                    _("Listed twice: also at index {first}.", first=first),
                    "duplicate",
                )
            )
        team_id = item.get("team_id")
        if team_id is not None and team_id not in team_ids:
            violations.append(
                Violation(
                    f"people.{index}.team_id",
                    _("No team with this id in the organisation."),
                    "unknown_team",
                )
            )
    if violations:
        raise RuleViolation(violations)
