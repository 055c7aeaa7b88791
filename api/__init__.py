"""The HTTP face of the platform: ``create_app`` builds it from settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import Engine

from api import (
    auth,
    conventions,
    i18n,
    idempotency,
    limits,
    logs,
    operations,
    pipeline,
    security,
)
from api.extensions import Api, App
from api.settings import Settings
from api.tokens import TokenVerifier
from domain.access import KeyHasher
from repositories.database import make_engine
from repositories.idempotency import IdempotencyStore

API_TITLE = "OD platform API"
API_VERSION = "1.0.0"
API_DESCRIPTION = """\
The API that organisation-development consultancies run their projects on: client
organisations, teams and people (kept in step with an HRIS), and OD projects from the
collective intake through their phases.

**Authentication**: `Authorization: Bearer <api key>` for integrations and scripts, or
`Authorization: Bearer <access token>` from the consultancy's OpenID provider for people
signing in (users, `/users`). Keys carry a role (admin, consultant, integration, viewer)
and may be restricted to one organisation; users have a role too, and a participant or
MT member reaches only the projects their person takes part in, and only their own
data there. Anything outside a caller's reach answers 404.

**Conventions**: errors are RFC 9457 `application/problem+json`; lists take `page`,
`page_size` (≤ 100) and `updated_since` and answer `X-Pagination` and `Link` headers;
single resources carry an `ETag`, honoured in `If-Match` (412 when stale) and
`If-None-Match` (304 while unchanged); a POST with `Idempotency-Key` is applied once
however often it is retried (a request refused before it changed anything keeps no
answer under its key: correct it and send it again with the same key).

**Languages**: every text the platform writes (problems, unmet conditions, priority
reasons, progress, workbook sheets and headers) is in English or Dutch: the request's
`Accept-Language`, else the workspace's language (`PATCH /api/v1/workspace`), named in
`Content-Language`. Codes, keys and enum values are the same in both.

**Rate limits**: each key has a budget of calls per period, and a separate one for bulk
operations (imports, people sync). Every answer to a valid key says what is left in
`X-RateLimit-*` headers; over budget is 429 with `Retry-After`, the seconds until one
more call fits.
"""

API_CONTACT = {"name": "OD platform maintainers"}
API_LICENSE = {"name": "Proprietary", "identifier": "LicenseRef-Proprietary"}


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
    tokens: TokenVerifier


def _openid_connect_url(settings: Settings) -> str:
    """The discovery document of the first trusted issuer, for the contract; a placeholder
    when none is configured (``make run`` without a provider)."""
    issuer = next(iter(settings.oidc_issuers), "https://openid-provider.example")
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    # No static route: the docs page's files are served by api.docs, nothing else is static.
    app = App(__name__, instance_path=str(settings.instance_path), static_folder=None)
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
            "security": [{"bearerAuth": []}, {"openId": []}],
            "components": {
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "An API key.",
                    },
                    "openId": {
                        "type": "openIdConnect",
                        "openIdConnectUrl": _openid_connect_url(settings),
                        "description": "An access token (JWT) of the workspace's OpenID "
                        "provider, sent as 'Authorization: Bearer <token>'.",
                    },
                },
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
        tokens=TokenVerifier(
            settings.oidc_issuers, settings.oidc_audience, leeway=settings.oidc_leeway_seconds
        ),
    )

    logs.configure(settings.log_level)
    pipeline.install(
        app,
        before=(
            logs.start,  # first: the request id exists before anything logs
            auth.guard,  # authenticates, spends the key's rate limit, checks its role
            i18n.negotiate,  # the answer's language: the request's, else the workspace's
        ),
        before_change=(
            conventions.check_content_type,
            conventions.check_precondition,
            idempotency.before,
        ),
        after_change=(
            i18n.stamp,  # a kept answer is replayed in the language it was written in
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
