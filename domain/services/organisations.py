"""Client organisations and their teams."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page, expect_version
from domain.errors import Conflict, NotPermitted, RuleViolation
from domain.organisations import Organisation, Team
from domain.ports import UnitOfWork
from domain.texts import _, _n


def list_organisations(uow: UnitOfWork, query: ListQuery) -> Page[Organisation]:
    with uow:
        return uow.organisations.list(query)


def get_organisation(uow: UnitOfWork, organisation_id: UUID) -> Organisation:
    with uow:
        return uow.organisations.get(organisation_id)


def create_organisation(uow: UnitOfWork, *, name: str) -> Organisation:
    with uow:
        if uow.scope.organisation_id is not None:
            raise NotPermitted(
                _("A key restricted to one organisation cannot create organisations.")
            )
        organisation = Organisation(name=name)
        uow.organisations.add(organisation)
        uow.commit()
    return organisation


def update_organisation(
    uow: UnitOfWork, organisation_id: UUID, changes: dict[str, Any], expected_version: int | None
) -> Organisation:
    with uow:
        organisation = uow.organisations.get(organisation_id)
        expect_version(organisation, expected_version, "organisation")
        uow.organisations.update(organisation, organisation.change(**changes))
        uow.commit()
    return organisation


def delete_organisation(
    uow: UnitOfWork, organisation_id: UUID, expected_version: int | None
) -> None:
    """Only an empty organisation goes: its people and projects are never dropped by accident."""
    with uow:
        organisation = uow.organisations.get(organisation_id)
        expect_version(organisation, expected_version, "organisation")
        if uow.scope.organisation_id is not None:
            raise NotPermitted(_("A key restricted to one organisation cannot delete it."))
        in_use = {
            "people": uow.people.count(organisation_id=organisation_id),
            "projects": uow.projects.count(organisation_id=organisation_id),
        }
        if any(in_use.values()):
            held = [
                _n("{count} person", "{count} people", n)
                if kind == "people"
                else _n("{count} project", "{count} projects", n)
                for kind, n in in_use.items()
                if n
            ]
            raise Conflict(
                _("The organisation still has {held}; remove or erase them first.", held=held),
                "in_use",
            )
        keys = uow.api_keys.all(organisation_id=organisation_id)
        if any(k.active for k in keys):
            raise Conflict(
                _("API keys restricted to this organisation are still active; revoke them first."),
                "in_use",
            )
        for key in keys:  # revoked keys stay listed (the audit trail names them)
            uow.api_keys.update(key, key.change(organisation_id=None))
        uow.teams.remove_all(organisation_id=organisation_id)
        uow.organisations.remove(organisation)
        uow.commit()


def list_teams(uow: UnitOfWork, organisation_id: UUID, query: ListQuery) -> Page[Team]:
    with uow:
        uow.organisations.get(organisation_id)
        return uow.teams.list(query.within(organisation_id=organisation_id))


def get_team(uow: UnitOfWork, team_id: UUID) -> Team:
    with uow:
        return uow.teams.get(team_id)


def create_team(uow: UnitOfWork, organisation_id: UUID, *, name: str) -> Team:
    with uow:
        uow.organisations.get(organisation_id)
        _ensure_unique_team_name(uow, organisation_id, name)
        team = Team(organisation_id=organisation_id, name=name)
        uow.teams.add(team)
        uow.commit()
    return team


def update_team(
    uow: UnitOfWork, team_id: UUID, changes: dict[str, Any], expected_version: int | None
) -> Team:
    with uow:
        team = uow.teams.get(team_id)
        expect_version(team, expected_version, "team")
        if "name" in changes and changes["name"] != team.name:
            _ensure_unique_team_name(uow, team.organisation_id, changes["name"])
        uow.teams.update(team, team.change(**changes))
        uow.commit()
    return team


def delete_team(uow: UnitOfWork, team_id: UUID, expected_version: int | None) -> None:
    with uow:
        team = uow.teams.get(team_id)
        expect_version(team, expected_version, "team")
        if uow.projects.count(team_id=team_id):
            raise Conflict(_("Projects run with this team; delete them first."), "in_use")
        for person in uow.people.all(team_id=team_id):
            uow.people.update(person, person.change(team_id=None))
        uow.teams.remove(team)
        uow.commit()


def team_in_organisation(uow: UnitOfWork, team_id: UUID | None, organisation_id: UUID) -> None:
    """A person or project may only name a team of its own organisation."""
    if team_id is None:
        return
    team = uow.teams.find(team_id)
    if team is None or team.organisation_id != organisation_id:
        raise RuleViolation.on(
            "team_id", _("No team with this id in the organisation."), "unknown_team"
        )


def _ensure_unique_team_name(uow: UnitOfWork, organisation_id: UUID, name: str) -> None:
    if uow.teams.find_by(organisation_id=organisation_id, name=name):
        raise RuleViolation.on(
            "name", _("The organisation already has a team with this name."), "duplicate"
        )
