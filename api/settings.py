"""Configuration, from environment variables only (each is documented in the README)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from repositories.settings import PROJECT_ROOT, database_url
from worker.settings import allow_private_targets, broker_url


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _secret_key() -> bytes:
    """The pepper for key digests. Set SECRET_KEY in production (the same on every
    instance); without it a random one is kept under instance/ for a local install."""
    if value := os.environ.get("SECRET_KEY"):
        return value.encode()
    path = PROJECT_ROOT / "instance" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _issuers() -> dict[str, UUID]:
    """``OIDC_ISSUERS``: ``<workspace id>=<issuer URL>`` pairs, comma-separated."""
    issuers: dict[str, UUID] = {}
    for pair in os.environ.get("OIDC_ISSUERS", "").split(","):
        if not pair.strip():
            continue
        workspace, separator, issuer = pair.strip().partition("=")
        if not separator or not issuer.strip():
            raise ValueError(f"OIDC_ISSUERS: {pair.strip()!r} is not <workspace id>=<issuer URL>")
        if issuer.strip() in issuers:
            raise ValueError(f"OIDC_ISSUERS: {issuer.strip()} is trusted for two workspaces")
        issuers[issuer.strip()] = UUID(workspace.strip())
    return issuers


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=database_url)
    secret_key: bytes = field(default_factory=_secret_key)
    max_body_bytes: int = field(default_factory=lambda: _int("MAX_BODY_BYTES", 1024 * 1024))
    max_bulk_body_bytes: int = field(
        default_factory=lambda: _int("MAX_BULK_BODY_BYTES", 16 * 1024 * 1024)
    )
    max_import_body_bytes: int = field(
        default_factory=lambda: _int("MAX_IMPORT_BODY_BYTES", 256 * 1024 * 1024)
    )
    # A body above this runs as a job on the worker, whatever the client prefers.
    import_async_bytes: int = field(
        default_factory=lambda: _int("IMPORT_ASYNC_BYTES", 8 * 1024 * 1024)
    )
    celery_broker_url: str = field(default_factory=broker_url)
    key_cache_seconds: int = field(default_factory=lambda: _int("API_KEY_CACHE_SECONDS", 5))
    db_pool_size: int = field(default_factory=lambda: _int("DB_POOL_SIZE", 5))
    # A request still running after gunicorn's timeout has been killed with its worker, so
    # an Idempotency-Key claim older than that belongs to nobody (see api/idempotency.py).
    idempotency_lease_seconds: int = field(
        default_factory=lambda: _int("IDEMPOTENCY_LEASE_SECONDS", _int("GUNICORN_TIMEOUT", 180))
    )
    bootstrap_api_key: str | None = field(
        default_factory=lambda: os.environ.get("BOOTSTRAP_API_KEY")
    )
    public_url: str = field(
        default_factory=lambda: (
            os.environ.get("PUBLIC_URL")
            or f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
        )
    )
    instance_path: Path = PROJECT_ROOT / "instance"
    cors_origins: list[str] = field(
        default_factory=lambda: [
            o.strip() for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()
        ]
    )
    redis_url: str | None = field(default_factory=lambda: os.environ.get("REDIS_URL") or None)
    rate_limit_default: str = field(
        default_factory=lambda: os.environ.get("RATELIMIT_DEFAULT", "600 per minute")
    )
    rate_limit_bulk: str = field(
        default_factory=lambda: os.environ.get("RATELIMIT_BULK", "30 per minute")
    )
    log_level: str = field(default_factory=lambda: os.environ.get("LOG_LEVEL", "info"))
    oidc_issuers: dict[str, UUID] = field(default_factory=_issuers)
    oidc_audience: str | None = field(
        default_factory=lambda: os.environ.get("OIDC_AUDIENCE") or None
    )
    oidc_leeway_seconds: int = field(default_factory=lambda: _int("OIDC_LEEWAY_SECONDS", 30))
    # The worker reads the same variable: it checks each target again before each call.
    webhook_allow_private_targets: bool = field(default_factory=allow_private_targets)
