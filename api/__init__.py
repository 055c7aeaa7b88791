"""The HTTP face of the platform: ``create_app`` builds it from settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import Engine

from api import auth, conventions, idempotency, limits, logs, operations, pipeline, security
from api.extensions import Api, App
from api.settings import Settings
from domain.access import KeyHasher
from repositories.database import make_engine
from repositories.idempotency import IdempotencyStore

API_TITLE = "OD platform API"
API_VERSION = "1.0.0"
API_DESCRIPTION = """\
The API that organisation-development consultancies run their projects on: client
organisations, teams and people (kept in step with an HRIS), and OD projects from the
collective intake through their phases.

**Authentication**: `Authorization: Bearer <api key>`. Keys carry a role (admin,
consultant, integration, viewer) and may be restricted to one organisation; anything
outside a key's reach answers 404.

**Conventions**: errors are RFC 9457 `application/problem+json`; lists take `page`,
`page_size` (≤ 100) and `updated_since` and answer `X-Pagination` and `Link` headers;
single resources carry an `ETag`, honoured in `If-Match` (412 when stale) and
`If-None-Match` (304 while unchanged); a POST with `Idempotency-Key` is applied once
however often it is retried.

**Rate limits**: each key has a budget of calls per period, and a separate one for bulk
operations (imports, people sync). Every answer to a valid key says what is left in
`X-RateLimit-*` headers; over budget is 429 with `Retry-After`, the seconds until one
more call fits.
"""

API_CONTACT = {"name": "OD platform maintainers"}
API_LICENSE = {"name": "Proprietary"}


@dataclass
class AppState:
    """What the app shares between requests; nothing request-specific lives here."""

    settings: Settings
    engine: Engine
    hasher: KeyHasher
    key_cache: auth.KeyCache
    idempotency: IdempotencyStore
    rate_limits: limits.RateLimits
    operations: operations.Operations


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    # No static route: the docs page's files are served by api.docs, nothing else is static.
    app = App(__name__, instance_path=str(settings.instance_path), static_folder=None)
    app.json.sort_keys = False  # keep the schemas' field order: id first, reads like the docs
    app.config.update(
        API_TITLE=API_TITLE,
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        MAX_BULK_CONTENT_LENGTH=settings.max_bulk_body_bytes,
        MAX_IMPORT_CONTENT_LENGTH=settings.max_import_body_bytes,
        WEBHOOK_ALLOW_PRIVATE_TARGETS=settings.webhook_allow_private_targets,
        JSON_SORT_KEYS=False,
        API_SPEC_OPTIONS={
            "info": {
                "description": API_DESCRIPTION,
                "contact": API_CONTACT,
                "license": API_LICENSE,
            },
            "servers": [{"url": "/", "description": "This server"}],
            "security": [{"bearerAuth": []}],
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API key."}
                }
            },
        },
    )
    api = Api(app)
    from api.resources import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)

    engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
    app.extensions["od"] = AppState(
        settings=settings,
        engine=engine,
        hasher=KeyHasher(settings.secret_key),
        key_cache=auth.KeyCache(settings.key_cache_seconds),
        idempotency=IdempotencyStore(
            engine, lease=timedelta(seconds=settings.idempotency_lease_seconds)
        ),
        rate_limits=limits.RateLimits(
            settings.rate_limit_default, settings.rate_limit_bulk, settings.redis_url
        ),
        operations=operations.index(app),  # refuses to start if the policy misses one
    )

    logs.configure(settings.log_level)
    pipeline.install(
        app,
        before=(
            logs.start,  # first: the request id exists before anything logs
            auth.guard,  # authenticates, spends the key's rate limit, checks its role
        ),
        before_change=(
            conventions.check_content_type,
            conventions.check_precondition,
            idempotency.before,
        ),
        after_change=(
            idempotency.after,  # keeps the view's answer for a retry
        ),
        after=(
            logs.finish,  # last: the request line says how it ended
        ),
    )
    security.init(app, settings.cors_origins)

    from api import cli

    cli.register(app)
    return app
