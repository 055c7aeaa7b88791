"""Who is acting: workspaces, API keys, roles and the scope a key can see."""

from __future__ import annotations

import enum
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from domain.base import Entity, utcnow


class Role(enum.StrEnum):
    """What a key may do; the operation × role table lives in ``api.policy``."""

    ADMIN = "admin"
    CONSULTANT = "consultant"
    INTEGRATION = "integration"
    VIEWER = "viewer"


class Language(enum.StrEnum):
    """The languages the platform writes its texts in (the catalogue's, ``api.i18n``)."""

    EN = "en"
    NL = "nl"


@dataclass(kw_only=True, eq=False)
class Workspace:
    """A consultancy: the tenant every other record belongs to."""

    id: UUID = field(default_factory=uuid4)
    name: str
    created_at: datetime = field(default_factory=utcnow)
    # What the platform's texts are written in when a request names no language.
    language: Language = Language.EN


@dataclass(kw_only=True, eq=False)
class ApiKey(Entity):
    """A credential; only a digest of its secret is ever stored."""

    name: str
    role: Role
    organisation_id: UUID | None = None
    prefix: str
    digest: str
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Scope:
    """What a unit of work may see and on whose behalf it writes.

    Repositories apply it to every query, so data of another workspace, or outside a
    restricted key's organisation, simply does not exist for the caller.
    """

    workspace_id: UUID
    organisation_id: UUID | None = None
    actor_id: UUID | None = None

    def admits(self, organisation_id: UUID) -> bool:
        return self.organisation_id is None or self.organisation_id == organisation_id


SECRET_PREFIX = "odk_"


def new_secret() -> str:
    """A high-entropy key secret; recognisable by its prefix when it leaks into a log."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class KeyHasher:
    """Digests key secrets with a server-side pepper (HMAC-SHA256).

    Keys are random, so a slow password hash would add latency without adding safety;
    the pepper means a leaked table alone cannot be used to check guesses.
    """

    pepper: bytes

    def digest(self, secret: str) -> str:
        return hmac.digest(self.pepper, secret.encode(), "sha256").hex()
