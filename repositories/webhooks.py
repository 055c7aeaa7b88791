"""Webhook subscriptions, their deliveries and their tries, as the API reads and changes them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from domain.base import ListQuery, Page, utcnow
from domain.errors import NotFound
from domain.webhooks import Attempt, Delivery, Webhook
from repositories import tables as t
from repositories.base import TableRepository

DELIVERY_COLUMNS = tuple(
    c.name for c in t.webhook_deliveries.c if c.name not in ("workspace_id", "leased_until")
)
ATTEMPT_COLUMNS = tuple(
    c.name for c in t.webhook_attempts.c if c.name not in ("workspace_id", "webhook_id")
)


class WebhookRepository(TableRepository[Webhook]):
    table, entity, entity_type = t.webhooks, Webhook, "webhook"
    organisation_column = "organisation_id"


class DeliveryRepository:
    """One subscription's deliveries, and the history of their tries, newest first."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def _where(self, webhook_id: Any) -> list[Any]:
        c = t.webhook_deliveries.c
        return [c.workspace_id == self.uow.scope.workspace_id, c.webhook_id == webhook_id]

    def attempts(self, webhook_id: Any, query: ListQuery) -> Page[Attempt]:
        a, d = t.webhook_attempts.c, t.webhook_deliveries.c
        where = [a.workspace_id == self.uow.scope.workspace_id, a.webhook_id == webhook_id]
        if status := query.filters.get("status"):
            where.append(a.status == status)
        if delivery_id := query.filters.get("delivery_id"):
            where.append(a.delivery_id == delivery_id)
        if query.updated_since is not None:  # tried since
            where.append(a.attempted_at >= query.updated_since)
        columns = [a[n] for n in ATTEMPT_COLUMNS] + [d.event_id, d.event_type]
        rows = self.uow.connection.execute(
            select(*columns, func.count().over().label("_total"))
            .join(t.webhook_deliveries, d.id == a.delivery_id)
            .where(*where)
            .order_by(a.attempted_at.desc(), a.number.desc(), a.id)
            .limit(query.page.page_size)
            .offset(query.page.offset)
        ).all()
        total = rows[0]._total if rows else 0
        if not rows and query.page.offset:
            total = self.uow.connection.scalar(
                select(func.count()).select_from(t.webhook_attempts).where(*where)
            )
        items = [Attempt(**{k: v for k, v in r._mapping.items() if k != "_total"}) for r in rows]
        return Page(items, total or 0)

    def get(self, webhook_id: Any, delivery_id: Any) -> Delivery:
        c = t.webhook_deliveries.c
        row = self.uow.connection.execute(
            select(*(c[n] for n in DELIVERY_COLUMNS)).where(
                *self._where(webhook_id), c.id == delivery_id
            )
        ).first()
        if row is None:
            raise NotFound("delivery", delivery_id)
        return Delivery(**row._mapping)

    def resend(self, delivery: Delivery) -> None:
        """Try it again now, whatever became of it (the webhook-id stays the same)."""
        now = utcnow()
        self.uow.connection.execute(
            update(t.webhook_deliveries)
            .where(t.webhook_deliveries.c.id == delivery.id)
            .values(status="pending", next_attempt_at=now)
        )
        delivery.status, delivery.next_attempt_at = "pending", now
