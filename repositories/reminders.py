"""Which reminders were announced already: each kind, subject and day once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, tuple_

from domain.base import utcnow
from domain.reminders import Reminder
from repositories import tables as t


class ReminderLog:
    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def unsent(self, reminders: Sequence[Reminder]) -> list[Reminder]:
        if not reminders:
            return []
        c = t.reminders_sent.c
        keys = [(r.kind, r.subject_id, r.due_on) for r in reminders]
        sent = set(
            self.uow.connection.execute(
                select(c.kind, c.subject_id, c.due_on).where(
                    c.workspace_id == self.uow.scope.workspace_id,
                    tuple_(c.kind, c.subject_id, c.due_on).in_(keys),
                )
            ).all()
        )
        return [r for r in reminders if (r.kind, r.subject_id, r.due_on) not in sent]

    def mark_sent(self, reminders: Sequence[Reminder]) -> None:
        if reminders:
            now, workspace_id = utcnow(), self.uow.scope.workspace_id
            self.uow.connection.execute(
                insert(t.reminders_sent),
                [
                    {
                        "workspace_id": workspace_id,
                        "kind": r.kind,
                        "subject_id": r.subject_id,
                        "due_on": r.due_on,
                        "sent_at": now,
                    }
                    for r in reminders
                ],
            )
