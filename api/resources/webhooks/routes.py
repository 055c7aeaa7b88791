"""Webhook subscriptions of the workspace (admin) and their deliveries."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from api.conventions import created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.webhooks.schemas import (
    WEBHOOK_EXAMPLE,
    AttemptQueryArgsSchema,
    AttemptSchema,
    DeliverySchema,
    WebhookCreatedSchema,
    WebhookCreateSchema,
    WebhookQueryArgsSchema,
    WebhookSchema,
    WebhookUpdateSchema,
)
from domain.services import webhooks as service
from worker.sending import resolve

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/v1",
    description="Events pushed to integrations, signed (Standard Webhooks), in order.",
)


def _targets() -> tuple:
    return resolve, current_app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"]


@blp.route("/webhooks")
class Webhooks(MethodView):
    @blp.operation("list_webhooks")
    @blp.arguments(WebhookQueryArgsSchema, location="query")
    @blp.response(200, WebhookSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args):
        """List webhook subscriptions"""
        query = WebhookQueryArgsSchema().list_query(args)
        return paginated(service.list_webhooks(uow(), query), query)

    @blp.operation("create_webhook")
    @blp.arguments(WebhookCreateSchema, example=WEBHOOK_EXAMPLE)
    @blp.response(201, WebhookCreatedSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data):
        """Subscribe a URL to events; the signing secret is shown in this response only

        It receives the events committed from now on. The URL must be http(s) and
        resolve to public addresses only (unless the operator allows private ones).
        """
        webhook = service.create_webhook(uow(), *_targets(), **data)
        return created(webhook, "webhooks.Webhook", webhook_id=webhook.id)


@blp.route("/webhooks/<uuid:webhook_id>")
class Webhook(MethodView):
    @blp.operation("get_webhook")
    @blp.response(200, WebhookSchema, headers=ETAG_HEADER)
    def get(self, webhook_id):
        """Get a webhook subscription (never its secret)"""
        return with_etag(service.get_webhook(uow(), webhook_id))

    @blp.operation("update_webhook")
    @blp.arguments(WebhookUpdateSchema, example={"enabled": True})
    @blp.response(200, WebhookSchema, headers=ETAG_HEADER)
    def patch(self, changes, webhook_id):
        """Change a subscription; enabling a disabled one resumes its deliveries"""
        return with_etag(
            service.update_webhook(uow(), *_targets(), webhook_id, if_match(), **changes)
        )

    @blp.operation("delete_webhook")
    @blp.response(204)
    def delete(self, webhook_id):
        """Delete a subscription and its deliveries"""
        service.delete_webhook(uow(), webhook_id, if_match())


@blp.route("/webhooks/<uuid:webhook_id>/deliveries")
class Attempts(MethodView):
    @blp.operation("list_webhook_deliveries")
    @blp.arguments(AttemptQueryArgsSchema, location="query")
    @blp.response(200, AttemptSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, webhook_id):
        """List the tries of a subscription's deliveries, newest first: status, latency, next try

        One item per try of a delivery; `delivery_id` names the delivery to resend.
        `updated_since` keeps the tries made since then.
        """
        query = AttemptQueryArgsSchema().list_query(args)
        return paginated(service.list_attempts(uow(), webhook_id, query), query)


@blp.route("/webhooks/<uuid:webhook_id>/deliveries/<uuid:delivery_id>")
class Delivery(MethodView):
    @blp.operation("get_webhook_delivery")
    @blp.response(200, DeliverySchema)
    def get(self, webhook_id, delivery_id):
        """Get a delivery: where its tries stand"""
        return service.get_delivery(uow(), webhook_id, delivery_id)


@blp.route("/webhooks/<uuid:webhook_id>/deliveries/<uuid:delivery_id>/resend")
class Resend(MethodView):
    @blp.operation("resend_webhook_delivery")
    @blp.response(202, DeliverySchema)
    def post(self, webhook_id, delivery_id):
        """Send a delivery again (same webhook-id), whatever became of it"""
        return service.resend_delivery(uow(), webhook_id, delivery_id)
