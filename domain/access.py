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
    """What a key or user may do; the operation × role table lives in ``api.policy``."""

    ADMIN = "admin"
    CONSULTANT = "consultant"
    INTEGRATION = "integration"
    VIEWER = "viewer"
    # Users only: a member of the client's team, doing their own part in their projects,
    # and a member of the client's management team (MT) giving its feedback.
    PARTICIPANT = "participant"
    MT_MEMBER = "mt_member"

    @property
    def acts_for_itself(self) -> bool:
        """A role that reaches only the projects its person takes part in, and only that
        person's own data there (``api.policy.OWN``)."""
        return self in SELF_ROLES


KEY_ROLES = frozenset({Role.ADMIN, Role.CONSULTANT, Role.INTEGRATION, Role.VIEWER})
SELF_ROLES = frozenset({Role.PARTICIPANT, Role.MT_MEMBER})


class ActorKind(enum.StrEnum):
    """Who the audit trail names: an integration's key or a person signed in."""

    API_KEY = "api_key"
    USER = "user"


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


@dataclass(kw_only=True, eq=False)
class User(Entity):
    """Someone who signs in through the workspace's OpenID provider.

    Made by an admin with an e-mail (an invitation); the first sign-in with a token whose
    e-mail matches links the token's issuer and subject, and from then on only that
    subject is this user. ``person_id`` is who they are in a client organisation.
    """

    email: str
    display_name: str
    role: Role
    person_id: UUID | None = None
    issuer: str | None = None
    subject: str | None = None
    signed_in_at: datetime | None = None

    @property
    def invited(self) -> bool:
        """Not signed in yet: no subject is linked."""
        return self.subject is None


@dataclass(frozen=True)
class Scope:
    """What a unit of work may see and on whose behalf it writes.

    Repositories apply it to every query, so data of another workspace, or outside a
    restricted key's organisation, simply does not exist for the caller.
    """

    workspace_id: UUID
    organisation_id: UUID | None = None
    actor_id: UUID | None = None
    actor_kind: ActorKind = ActorKind.API_KEY

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
