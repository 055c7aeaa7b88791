"""Repositories of the competence matrix, its history, wishes, agreements and check-ins."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, String, and_, cast, exists, not_, select

from domain.base import ListQuery
from domain.development import Agreement, AgreementStatus, CheckIn
from domain.matrix import Cells, DevelopmentWish, Level, LevelChange, LevelSource
from repositories import tables as t
from repositories.base import LogRepository, TableRepository


class LevelRepository(TableRepository[Level]):
    table, entity, entity_type = t.levels, Level, "level"

    def cells(self, project_id: UUID) -> Cells:
        """Read by the ten thousand, so a row's values are moved by zip and map, C code,
        with no Python call per row."""
        c = t.levels.c
        result = self.connection.execute(
            self._scoped(
                select(
                    cast(c.participant_id, String), cast(c.competence_id, String), c.level, c.source
                )
            ).where(c.project_id == project_id)
        )
        # Ids are read as text and each distinct one is parsed once: a 200 x 100 matrix names
        # 300 ids 40,000 times, and a UUID made per value (by SQLAlchemy on SQLite, psycopg
        # on PostgreSQL) costs more than the rest of the read.
        participants, competences = _ParsedIds(), _ParsedIds()
        who: list[UUID] = []
        what: list[UUID] = []
        levels: list[int] = []
        sources: list[LevelSource] = []
        # In batches smaller than the 700 new objects that set off a collection of the
        # young generation (gc.get_threshold()), so rows seldom outlive one. All at once,
        # 20,000 rows would be carried into the old generation and set off a full
        # collection of the heap, which costs as much as the rest of the read.
        for rows in result.partitions(500):
            participant_texts, competence_texts, batch_levels, batch_sources = zip(
                *rows, strict=True
            )
            who += map(participants.__getitem__, participant_texts)
            what += map(competences.__getitem__, competence_texts)
            levels += batch_levels
            sources += batch_sources
        return Cells(who, what, levels, sources, frozenset(competences.values()))


class _ParsedIds(dict[str, UUID]):
    """Each id's text to its UUID, parsed on first sight."""

    def __missing__(self, text: str) -> UUID:
        parsed = self[text] = UUID(text)
        return parsed


class LevelHistoryRepository(LogRepository[LevelChange]):
    """The history of every level."""

    table, entity = t.level_history, LevelChange
    columns = (
        "id",
        "project_id",
        "participant_id",
        "competence_id",
        "level",
        "previous_level",
        "source",
        "actor_id",
        "created_at",
    )


class WishRepository(TableRepository[DevelopmentWish]):
    table, entity, entity_type = t.wishes, DevelopmentWish, "wish"


class CheckInRepository(TableRepository[CheckIn]):
    table, entity, entity_type = t.check_ins, CheckIn, "check_in"

    def _order(self) -> list[Any]:
        return [t.check_ins.c.date, t.check_ins.c.created_at, t.check_ins.c.id]


def _has_left(participant_id: Any) -> Any:
    """Whether the participant ``participant_id`` names is a person no longer active."""
    participants, people = t.participants.alias(), t.people.alias()
    return exists(
        select(participants.c.id)
        .join(people, people.c.id == participants.c.person_id)
        .where(participants.c.id == participant_id, people.c.active.is_(False))
    )


class AgreementRepository(TableRepository[Agreement]):
    """Agreements come with their latest check-in; lists can ask for the quiet or overdue."""

    table, entity, entity_type = t.agreements, Agreement, "agreement"

    def _columns(self) -> Select:
        """With whether its participant and its senior coach have left (read in the same
        statement, so a list costs no more)."""
        a = t.agreements.c
        return select(
            *(a[f] for f in self.fields),
            _has_left(a.participant_id).label("participant_left"),
            _has_left(a.coach_id).label("coach_left"),
        )

    def _complete(self, agreements: list[Agreement]) -> None:
        check_ins = t.check_ins
        rows = self.connection.execute(
            select(*(check_ins.c[f] for f in CheckInRepository(self.uow).fields))
            .where(check_ins.c.agreement_id.in_([a.id for a in agreements]))
            .order_by(check_ins.c.agreement_id, check_ins.c.date, check_ins.c.created_at)
        )
        latest = {row.agreement_id: CheckIn(**row._mapping) for row in rows}
        for agreement in agreements:
            agreement.last_check_in = latest.get(agreement.id)

    def _narrow(self, stmt: Select, query: ListQuery) -> Select:
        filters = dict(query.filters)
        quiet_since: date | None = filters.pop("quiet_since", None)
        due_before: date | None = filters.pop("due_before", None)
        stmt = super()._narrow(
            stmt, ListQuery(filters, query.updated_since, query.search, query.page)
        )
        agreements = t.agreements
        still_open = agreements.c.status.not_in(
            [AgreementStatus.ACHIEVED, AgreementStatus.ABANDONED]
        )
        if quiet_since is not None:
            recent = exists(
                select(t.check_ins.c.id).where(
                    and_(
                        t.check_ins.c.agreement_id == agreements.c.id,
                        t.check_ins.c.date >= quiet_since,
                    )
                )
            )
            stmt = stmt.where(still_open, not_(recent))
        if due_before is not None:
            stmt = stmt.where(still_open, agreements.c.due_date < due_before)
        return stmt
