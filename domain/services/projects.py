"""Projects, their participants, and their moves between phases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page, expect_version
from domain.errors import Conflict, GateClosed, RuleViolation, Unmet, Violation
from domain.gates import unmet_for
from domain.organisations import Person
from domain.phases import Phase
from domain.ports import UnitOfWork
from domain.projects import Participant, ParticipantRole, PhaseTransition, Project
from domain.services.organisations import team_in_organisation
from domain.services.references import referenced
from domain.texts import _


def list_projects(uow: UnitOfWork, query: ListQuery) -> Page[Project]:
    with uow:
        return uow.projects.list(query)


def get_project(uow: UnitOfWork, project_id: UUID) -> Project:
    with uow:
        return uow.projects.get(project_id)


def create_project(
    uow: UnitOfWork,
    *,
    organisation_id: UUID,
    team_id: UUID,
    name: str,
    description: str = "",
    check_in_days: int = 14,
) -> Project:
    with uow:
        referenced(uow.organisations, organisation_id, "organisation_id", "organisation")
        team_in_organisation(uow, team_id, organisation_id)
        project = Project(
            organisation_id=organisation_id,
            team_id=team_id,
            name=name,
            description=description,
            check_in_days=check_in_days,
        )
        uow.projects.add(project)
        uow.commit()
    return project


def update_project(
    uow: UnitOfWork, project_id: UUID, changes: dict[str, Any], expected_version: int | None
) -> Project:
    with uow:
        project = uow.projects.get(project_id)
        expect_version(project, expected_version, "project")
        ensure_editable(project)
        uow.projects.update(project, project.change(**changes))
        uow.commit()
    return project


def delete_project(uow: UnitOfWork, project_id: UUID, expected_version: int | None) -> None:
    """Deleting a project deletes everything recorded in it (the database cascades)."""
    with uow:
        project = uow.projects.get(project_id)
        expect_version(project, expected_version, "project")
        uow.projects.remove(project)
        uow.commit()


def ensure_editable(project: Project, since: Phase = Phase.INTAKE) -> None:
    """Data of a phase can be edited from that phase on, until the project is closed."""
    if project.phase is Phase.CLOSED:
        raise Conflict(
            _("The project is closed; move it back to evaluation to change it."), "project_closed"
        )
    if project.phase.position < since.position:
        raise Conflict(
            _(
                "The project is in {phase}; this can be edited from {since} on.",
                phase=project.phase.label,
                since=since.label,
            ),
            "phase_not_reached",
        )


# --- participants ------------------------------------------------------------------


def list_participants(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[Participant]:
    with uow:
        uow.projects.get(project_id)
        return uow.participants.list(query.within(project_id=project_id))


def get_participant(uow: UnitOfWork, project_id: UUID, participant_id: UUID) -> Participant:
    with uow:
        uow.projects.get(project_id)
        return uow.participants.get(participant_id, project_id=project_id)


def add_participant(
    uow: UnitOfWork, project_id: UUID, *, person_id: UUID, roles: list[ParticipantRole]
) -> Participant:
    with uow:
        project = uow.projects.get(project_id)
        ensure_editable(project)
        person = uow.people.find(person_id)
        if person is None or person.organisation_id != project.organisation_id:
            raise RuleViolation.on(
                "person_id",
                _("No person with this id in the project's organisation."),
                "unknown_person",
            )
        if person.erased:
            raise RuleViolation.on("person_id", _("An erased person cannot take part."), "erased")
        if uow.participants.find_by(project_id=project_id, person_id=person_id):
            raise RuleViolation.on(
                "person_id", _("This person already takes part in the project."), "duplicate"
            )
        participant = Participant(
            project_id=project_id,
            person_id=person_id,
            roles=_roles(roles),
            name=person.name,
            external_id=person.external_id,
            active=person.active,
        )
        uow.participants.add(participant)
        uow.commit()
    return participant


@dataclass(frozen=True)
class ParticipantOutcome:
    index: int
    outcome: str  # created | updated | unchanged
    participant: Participant


def add_participants(
    uow: UnitOfWork, project_id: UUID, items: Sequence[dict[str, Any]]
) -> list[ParticipantOutcome]:
    """Make each person listed (by ``person_id`` or ``external_id``) a participant with the
    roles listed, all or nothing, every problem located by its index.

    Someone already taking part gets the roles listed, or is left unchanged when they
    have them: the same list sent twice changes nothing the second time.
    """
    with uow:
        project = uow.projects.get(project_id)
        ensure_editable(project)
        found = _people_named(uow, project, items)
        current = {p.person_id: p for p in uow.participants.all(project_id=project_id)}
        violations: list[Violation] = []
        seen: dict[UUID, int] = {}
        listed: list[tuple[int, Person, list[ParticipantRole]]] = []
        for index, item in enumerate(items):
            by = "person_id" if "person_id" in item else "external_id"
            where = f"participants.{index}.{by}"
            if ("person_id" in item) == ("external_id" in item):
                message = _("Name the person by person_id or by external_id: one of them.")
                violations.append(Violation(where, message, "one_of"))
                continue
            person = found[by].get(item[by])
            if person is None:
                message = _("No person with this id in the project's organisation.")
                violations.append(Violation(where, message, "unknown_person"))
            elif person.erased:
                violations.append(
                    Violation(where, _("An erased person cannot take part."), "erased")
                )
            elif (first := seen.setdefault(person.id, index)) != index:
                message = _("Listed twice: also at index {index}.", index=first)
                violations.append(Violation(where, message, "duplicate"))
            else:
                listed.append((index, person, _roles(item["roles"])))
        if violations:
            raise RuleViolation(violations)
        new: list[Participant] = []
        changes: list[tuple[Participant, frozenset[str]]] = []
        outcomes: list[ParticipantOutcome] = []
        for index, person, roles in listed:
            participant = current.get(person.id)
            if participant is None:
                participant = Participant(
                    project_id=project_id,
                    person_id=person.id,
                    roles=roles,
                    name=person.name,
                    external_id=person.external_id,
                    active=person.active,
                )
                new.append(participant)
                outcome = "created"
            else:
                changed = participant.change(roles=roles)
                if changed:
                    changes.append((participant, changed))
                outcome = "updated" if changed else "unchanged"
            outcomes.append(ParticipantOutcome(index, outcome, participant))
        uow.participants.add_many(new)
        uow.participants.update_many(changes)
        uow.commit()
    return outcomes


def _people_named(
    uow: UnitOfWork, project: Project, items: Sequence[dict[str, Any]]
) -> dict[str, dict[Any, Person]]:
    """The people of the project's organisation the items name, by id and by external id,
    in two statements however long the list."""
    ids = {i["person_id"] for i in items if "person_id" in i}
    external_ids = {i["external_id"] for i in items if "external_id" in i}
    by_id = [p for p in uow.people.find_many(ids) if p.organisation_id == project.organisation_id]
    by_external_id = (
        uow.people.all(organisation_id=project.organisation_id, external_id=external_ids)
        if external_ids
        else []
    )
    return {
        "person_id": {p.id: p for p in by_id},
        "external_id": {p.external_id: p for p in by_external_id},
    }


def update_participant(
    uow: UnitOfWork,
    project_id: UUID,
    participant_id: UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> Participant:
    with uow:
        ensure_editable(uow.projects.get(project_id))
        participant = uow.participants.get(participant_id, project_id=project_id)
        expect_version(participant, expected_version, "participant")
        if "roles" in changes:
            changes["roles"] = _roles(changes["roles"])
        uow.participants.update(participant, participant.change(**changes))
        uow.commit()
    return participant


def remove_participant(
    uow: UnitOfWork, project_id: UUID, participant_id: UUID, expected_version: int | None
) -> None:
    """Their readiness rating goes with them; grievances they signed stay, unsigned."""
    with uow:
        ensure_editable(uow.projects.get(project_id))
        participant = uow.participants.get(participant_id, project_id=project_id)
        expect_version(participant, expected_version, "participant")
        uow.participants.remove(participant)
        uow.commit()


def _roles(roles: list[ParticipantRole]) -> list[ParticipantRole]:
    if not roles:
        raise RuleViolation.on("roles", _("A participant needs at least one role."), "required")
    # Keep the caller's order but drop repeats: roles are a set with a stable display order.
    return list(dict.fromkeys(ParticipantRole(r) for r in roles))


# --- phases ------------------------------------------------------------------------


@dataclass(frozen=True)
class Checklist:
    phase: Phase
    next_phase: Phase | None
    unmet: list[Unmet]

    @property
    def ready(self) -> bool:
        return self.next_phase is not None and not self.unmet


def checklist(uow: UnitOfWork, project_id: UUID) -> Checklist:
    """What is still missing before the project can enter its next phase."""
    with uow:
        project = uow.projects.get(project_id)
        target = project.phase.next
        unmet = unmet_for(uow, project, target) if target else []
        return Checklist(project.phase, target, unmet)


def transition(
    uow: UnitOfWork, project_id: UUID, *, to: Phase, reason: str | None
) -> PhaseTransition:
    """Move forward one phase through its gate, or back one phase with a reason."""
    with uow:
        project = uow.projects.get(project_id)
        current = project.phase
        if to is current.next:
            unmet = unmet_for(uow, project, to)
            if unmet:
                raise GateClosed(to.value, unmet)
        elif to is current.previous:
            if not (reason and reason.strip()):
                raise RuleViolation.on(
                    "reason", _("Moving a project back a phase needs a reason."), "required"
                )
        else:
            back, forward = current.previous, current.next
            raise RuleViolation.on(
                "to",
                _(
                    "From {phase} a project can move to {back} or {forward} only.",
                    phase=current.label,
                    back=back.label,
                    forward=forward.label,
                )
                if back and forward
                else _(
                    "From {phase} a project can move to {other} only.",
                    phase=current.label,
                    other=(back or forward or current).label,
                ),
                "not_adjacent",
            )
        move = PhaseTransition(
            project_id=project.id,
            from_phase=current,
            to_phase=to,
            reason=reason,
            actor_id=uow.scope.actor_id,
        )
        uow.projects.update(project, project.change(phase=to), action="transition")
        uow.transitions.add(move)
        uow.commit()
    return move


def list_transitions(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[PhaseTransition]:
    with uow:
        uow.projects.get(project_id)
        return uow.transitions.list(query, project_id=project_id)
