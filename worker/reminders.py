"""Announcing due reminders, workspace by workspace, on the worker's clock."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select

from domain.access import Scope
from domain.services.reminders import announce_reminders
from repositories import tables as t
from repositories.unit_of_work import SqlUnitOfWork


def announce_all(engine: Engine, today: date) -> int:
    with engine.connect() as connection:
        workspaces = connection.execute(select(t.workspaces.c.id)).scalars().all()
    return sum(
        announce_reminders(SqlUnitOfWork(engine, Scope(workspace_id)), today)
        for workspace_id in workspaces
    )
