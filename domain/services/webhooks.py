"""Webhook subscriptions (admin): what to send where, and what became of each delivery."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from domain.base import ListQuery, Page, expect_version
from domain.ports import UnitOfWork
from domain.services.references import referenced
from domain.webhooks import Attempt, Delivery, Webhook, new_secret, validate_target

# A host name to the addresses it resolves to (the DNS, in production).
Resolver = Callable[[str], Iterable[str]]


def create_webhook(
    uow: UnitOfWork, resolve: Resolver, allow_private: bool, **fields: Any
) -> Webhook:
    """The answer carries the secret: it is shown in this answer only."""
    _check(resolve, allow_private, fields["url"])
    with uow:
        if fields.get("organisation_id") is not None:
            referenced(
                uow.organisations, fields["organisation_id"], "organisation_id", "organisation"
            )
        # Only events after now: a new subscriber is not sent the workspace's history.
        webhook = Webhook(**fields, secret=new_secret(), cursor=uow.events.last_position())
        uow.webhooks.add(webhook)
        uow.commit()
    return webhook


def list_webhooks(uow: UnitOfWork, query: ListQuery) -> Page[Webhook]:
    with uow:
        return uow.webhooks.list(query)


def get_webhook(uow: UnitOfWork, webhook_id: UUID) -> Webhook:
    with uow:
        return uow.webhooks.get(webhook_id)


def update_webhook(
    uow: UnitOfWork,
    resolve: Resolver,
    allow_private: bool,
    webhook_id: UUID,
    expected_version: int | None,
    **fields: Any,
) -> Webhook:
    """Enabling a disabled subscription clears why it was disabled and retries at once."""
    if "url" in fields:
        _check(resolve, allow_private, fields["url"])
    with uow:
        webhook = uow.webhooks.get(webhook_id)
        expect_version(webhook, expected_version, "webhook")
        if fields.get("organisation_id") is not None:
            referenced(
                uow.organisations, fields["organisation_id"], "organisation_id", "organisation"
            )
        if fields.get("enabled") and not webhook.enabled:
            fields.update(disabled_reason=None, failing_since=None)
        changed = webhook.change(**fields)
        if changed:
            uow.webhooks.update(webhook, changed)
            uow.commit()
    return webhook


def delete_webhook(uow: UnitOfWork, webhook_id: UUID, expected_version: int | None) -> None:
    with uow:
        webhook = uow.webhooks.get(webhook_id)
        expect_version(webhook, expected_version, "webhook")
        uow.webhooks.remove(webhook)
        uow.commit()


def list_attempts(uow: UnitOfWork, webhook_id: UUID, query: ListQuery) -> Page[Attempt]:
    with uow:
        uow.webhooks.get(webhook_id)
        return uow.deliveries.attempts(webhook_id, query)


def get_delivery(uow: UnitOfWork, webhook_id: UUID, delivery_id: UUID) -> Delivery:
    with uow:
        uow.webhooks.get(webhook_id)
        return uow.deliveries.get(webhook_id, delivery_id)


def resend_delivery(uow: UnitOfWork, webhook_id: UUID, delivery_id: UUID) -> Delivery:
    """Send the same event again, with the same webhook-id (receivers drop repeats)."""
    with uow:
        uow.webhooks.get(webhook_id)
        delivery = uow.deliveries.get(webhook_id, delivery_id)
        uow.deliveries.resend(delivery)
        uow.audit.record_change("resend", "delivery", delivery.id, ["status"])
        uow.commit()
    return delivery


def _check(resolve: Resolver, allow_private: bool, url: str) -> None:
    """Resolved only when the operator does not allow private targets anyway."""
    host = urlsplit(url).hostname
    validate_target(url, resolve(host) if host and not allow_private else (), allow_private)
