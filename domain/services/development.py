"""Development wishes, development agreements with their coaches, and peer check-ins."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page, expect_version
from domain.development import (
    COACHING_FIELDS,
    Agreement,
    AgreementStatus,
    CheckIn,
    coaching_columns,
    coaching_violation,
)
from domain.errors import RuleViolation
from domain.matrix import COACH_LEVEL, DevelopmentWish, LevelSource
from domain.phases import Phase
from domain.ports import UnitOfWork
from domain.projects import ParticipantRole
from domain.services import project_records as records
from domain.services.matrix import record_level
from domain.services.meetings import expect_meeting
from domain.texts import _

WISHES_SINCE = Phase.COMPETENCE_MAPPING
AGREEMENTS_SINCE = Phase.DEVELOPMENT


# --- wishes ------------------------------------------------------------------------


def list_wishes(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[DevelopmentWish]:
    return records.list_in_project(uow, "wishes", project_id, query)


def get_wish(uow: UnitOfWork, project_id: UUID, wish_id: UUID) -> DevelopmentWish:
    wish: DevelopmentWish = records.get_in_project(uow, "wishes", project_id, wish_id)
    return wish


def make_wish(
    uow: UnitOfWork, project_id: UUID, *, participant_id: UUID, competence_id: UUID, motivation: str
) -> DevelopmentWish:
    with uow:
        records.open_project(uow, project_id, WISHES_SINCE)
        records.participant_in(uow, project_id, participant_id, "participant_id")
        _competence(uow, competence_id)
        if uow.wishes.find_by(participant_id=participant_id, competence_id=competence_id):
            raise RuleViolation.on(
                "competence_id", _("This participant already wishes to develop it."), "duplicate"
            )
        wish = DevelopmentWish(
            project_id=project_id,
            participant_id=participant_id,
            competence_id=competence_id,
            motivation=motivation,
        )
        return records.add_to_project(uow, "wishes", wish)


def drop_wish(
    uow: UnitOfWork, project_id: UUID, wish_id: UUID, expected_version: int | None
) -> None:
    records.remove_from_project(uow, "wishes", project_id, wish_id, expected_version, WISHES_SINCE)


# --- agreements --------------------------------------------------------------------


def list_agreements(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[Agreement]:
    return records.list_in_project(uow, "agreements", project_id, query)


def get_agreement(uow: UnitOfWork, project_id: UUID, agreement_id: UUID) -> Agreement:
    agreement: Agreement = records.get_in_project(uow, "agreements", project_id, agreement_id)
    return agreement


def make_agreement(uow: UnitOfWork, project_id: UUID, values: dict[str, Any]) -> Agreement:
    """The start level is read from the matrix now; the target must lie above it. Who
    helps is exactly one of a senior (``coach_id``), an ``external_coach`` or a
    ``training``."""
    values = dict(values)
    coaching = {name: values.pop(name, None) for name in COACHING_FIELDS}
    with uow:
        records.open_project(uow, project_id, AGREEMENTS_SINCE)
        participant_id, competence_id = values["participant_id"], values["competence_id"]
        records.participant_in(uow, project_id, participant_id, "participant_id")
        _competence(uow, competence_id)
        current = uow.levels.find_by(participant_id=participant_id, competence_id=competence_id)
        start = current.level if current else 0
        if not start < values["target_level"]:
            raise RuleViolation.on(
                "target_level",
                _(
                    "The target must lie above the level the participant has now ({start}).",
                    start=start,
                ),
                "not_above_start",
            )
        columns = _coaching(uow, project_id, coaching, participant_id, competence_id)
        expect_meeting(uow, project_id, values.get("meeting_id"))
        agreement = Agreement(project_id=project_id, start_level=start, **values, **columns)
        return records.add_to_project(uow, "agreements", agreement)


def update_agreement(
    uow: UnitOfWork,
    project_id: UUID,
    agreement_id: UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> Agreement:
    """Achieving an agreement records its target level in the matrix, in the same
    transaction, with the source ``agreement``. Naming any kind of coaching replaces the
    one it had."""
    changes = dict(changes)
    coaching = {name: changes.pop(name, None) for name in COACHING_FIELDS if name in changes}
    with uow:
        records.open_project(uow, project_id, AGREEMENTS_SINCE)
        agreement = uow.agreements.get(agreement_id, project_id=project_id)
        expect_version(agreement, expected_version, "agreement")
        if not agreement.open and (set(changes) - {"status"} or coaching):
            raise RuleViolation.on(
                "status", _("A finished agreement can no longer change."), "final"
            )
        if "status" in changes:
            agreement.move_to(changes["status"])
        if "target_level" in changes and changes["target_level"] <= agreement.start_level:
            raise RuleViolation.on(
                "target_level",
                _(
                    "The target must lie above the start level ({start}).",
                    start=agreement.start_level,
                ),
                "not_above_start",
            )
        if "meeting_id" in changes:
            expect_meeting(uow, project_id, changes["meeting_id"])
        if coaching:
            changes |= _coaching(
                uow, project_id, coaching, agreement.participant_id, agreement.competence_id
            )
        achieved = changes.get("status") is AgreementStatus.ACHIEVED and agreement.open
        uow.agreements.update(agreement, agreement.change(**changes))
        if achieved:
            record_level(
                uow,
                project_id,
                agreement.participant_id,
                agreement.competence_id,
                agreement.target_level,
                LevelSource.AGREEMENT,
            )
        uow.commit()
    return agreement


def drop_agreement(
    uow: UnitOfWork, project_id: UUID, agreement_id: UUID, expected_version: int | None
) -> None:
    records.remove_from_project(
        uow, "agreements", project_id, agreement_id, expected_version, AGREEMENTS_SINCE
    )


# --- check-ins ---------------------------------------------------------------------


def list_check_ins(
    uow: UnitOfWork, project_id: UUID, agreement_id: UUID, query: ListQuery
) -> Page[CheckIn]:
    with uow:
        uow.projects.get(project_id)
        uow.agreements.get(agreement_id, project_id=project_id)
        return uow.check_ins.list(query.within(agreement_id=agreement_id))


def check_in(
    uow: UnitOfWork, project_id: UUID, agreement_id: UUID, values: dict[str, Any]
) -> CheckIn:
    """A peer follows up on someone else's agreement: never the participant themselves."""
    with uow:
        records.open_project(uow, project_id, AGREEMENTS_SINCE)
        agreement = uow.agreements.get(agreement_id, project_id=project_id)
        records.participant_in(uow, project_id, values["participant_id"], "participant_id")
        if values["participant_id"] == agreement.participant_id:
            raise RuleViolation.on(
                "participant_id",
                _(
                    "A check-in is a peer's: the participant of the agreement cannot check in "
                    "on it."
                ),
                "not_a_peer",
            )
        values.setdefault("date", date.today())
        record = CheckIn(project_id=project_id, agreement_id=agreement_id, **values)
        return records.add_to_project(uow, "check_ins", record)


# --- rules shared above ------------------------------------------------------------


def _competence(uow: UnitOfWork, competence_id: UUID) -> None:
    competence = uow.competences.find(competence_id)
    if competence is None:
        raise RuleViolation.on(
            "competence_id", _("No competence with this id."), "unknown_competence"
        )
    if competence.archived:
        raise RuleViolation.on("competence_id", _("This competence is archived."), "archived")


def _coaching(
    uow: UnitOfWork,
    project_id: UUID,
    coaching: dict[str, Any],
    participant_id: UUID,
    competence_id: UUID,
) -> dict[str, Any]:
    """The agreement's coaching as stored fields, once it names exactly one kind and a
    senior named is fit to coach."""
    coach_id, external, training = (coaching.get(name) for name in COACHING_FIELDS)
    if (violation := coaching_violation(coach_id, external, training)) is not None:
        raise violation
    if coach_id is not None:
        _check_coach(uow, project_id, coach_id, participant_id, competence_id)
    return coaching_columns(coach_id, external, training)


def _check_coach(
    uow: UnitOfWork, project_id: UUID, coach_id: UUID, participant_id: UUID, competence_id: UUID
) -> None:
    """A coach is a senior of the project at level 3 or more in the competence, and never
    the coached participant."""
    if coach_id == participant_id:
        raise RuleViolation.on("coach_id", _("Nobody coaches themselves."), "self_coaching")
    coach = records.participant_in(uow, project_id, coach_id, "coach_id")
    if coach.left:
        raise RuleViolation.on(
            "coach_id", _("This senior has left the organisation and coaches no longer."), "left"
        )
    if not coach.has_role(ParticipantRole.SENIOR):
        raise RuleViolation.on("coach_id", _("A coach must be a senior participant."), "not_senior")
    level = uow.levels.find_by(participant_id=coach_id, competence_id=competence_id)
    if level is None or level.level < COACH_LEVEL:
        raise RuleViolation.on(
            "coach_id",
            _(
                "A coach needs level {needed} or more in the competence (this senior has "
                "{level}); where nobody in the team holds it, name an external_coach or a "
                "training instead.",
                needed=COACH_LEVEL,
                level=level.level if level else _("none"),
            ),
            "coach_level_too_low",
        )
