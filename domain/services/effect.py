"""The effect of a project: its measures at the baseline against now (domain.effect)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from uuid import UUID

from domain.effect import (
    Effect,
    indicator_effect,
    levels_at,
    matrix_effect,
    pulse_effect,
    readiness_effect,
)
from domain.gates import readiness_of
from domain.indicators import Measurement, indicators_of
from domain.phases import Phase
from domain.ports import UnitOfWork
from domain.pulse import all_results


def baseline_moment(uow: UnitOfWork, project_id: UUID) -> datetime | None:
    """When the matrix's "before" is read: the moment the project first entered
    development, the matrix the development agreements set out from. ``None`` (before
    is now) while it never did."""
    entered = [
        t.created_at
        for t in uow.transitions.all(project_id=project_id)
        if t.to_phase is Phase.DEVELOPMENT
    ]
    return min(entered, default=None)


def project_effect(uow: UnitOfWork, project_id: UUID) -> Effect:
    """Baseline against latest for readiness, pulse, indicators and the matrix, in a
    fixed number of statements."""
    with uow:
        project = uow.projects.get(project_id)
        participants = uow.participants.all(project_id=project_id)
        services = uow.services.all(project_id=project_id)
        needed = {r.competence_id for s in services for r in s.required_competences}
        history = uow.level_history.all(project_id=project_id)
        moment = baseline_moment(uow, project_id)
        measured: dict[UUID, list[Measurement]] = defaultdict(list)
        for m in uow.measurements.all(project_id=project_id):
            measured[m.service_id].append(m)
        surveys = uow.surveys.all(project_id=project_id)
        held = uow.pulse_answers.rounds([s.id for s in surveys])
        now = list(uow.levels.cells(project_id))
        return Effect(
            readiness=readiness_effect(readiness_of(uow, project, participants=participants)),
            pulse=[pulse_effect(s, all_results(s, held[s.id])) for s in surveys],
            indicators=[
                indicator_effect(s, i) for s in services for i in indicators_of(s, measured[s.id])
            ],
            matrix=matrix_effect(
                uow.competences.find_many(needed),
                services,
                participants,
                levels_at(history, moment) if moment is not None else now,
                now,
                moment,
            ),
        )
