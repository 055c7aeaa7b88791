"""Liveness and readiness, for load balancers and orchestrators (no authentication)."""

from __future__ import annotations

import marshmallow as ma
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from api.extensions import Blueprint, Schema
from repositories.migrate import is_at_head

blp = Blueprint("system", __name__, description="Health and readiness of this instance.")


class HealthSchema(Schema):
    status = ma.fields.String(metadata={"example": "ok"})


class ReadinessSchema(HealthSchema):
    """Health's answer and the database's state: readiness always says it, so a generated
    client types it as there (one schema for both had it maybe absent in each)."""

    database = ma.fields.String(metadata={"example": "ok"})


@blp.route("/health")
@blp.operation("get_health")
@blp.public
@blp.response(200, HealthSchema, example={"status": "ok"})
def health():
    """The process is up

    Touches nothing else, so a slow database never gets a healthy process restarted.
    """
    return {"status": "ok"}


@blp.route("/ready")
@blp.operation("get_readiness")
@blp.public
@blp.response(200, ReadinessSchema, example={"status": "ok", "database": "ok"})
@blp.alt_response(
    503,
    schema=ReadinessSchema,
    description="Not ready: the database is unreachable or not migrated.",
    example={"status": "unavailable", "database": "unreachable"},
)
def ready():
    """The instance can serve: database reachable and migrated to the newest schema"""
    try:
        migrated = is_at_head(current_app.extensions["od"].engine)
    except SQLAlchemyError:
        return {"status": "unavailable", "database": "unreachable"}, 503
    if not migrated:
        return {"status": "unavailable", "database": "not migrated"}, 503
    return {"status": "ok", "database": "ok"}
