"""OpenID Connect access tokens, checked as a resource server does.

A front end sends ``Authorization: Bearer <access token>`` issued by the consultancy's own
OpenID provider. The token's issuer must be one the configuration trusts, and it names
the workspace; its signing keys are found through the issuer's discovery document and
its JWKS, both kept, and the JWKS fetched again when a token names a key id it lacks (the
provider rotated its keys). The signature, ``iss``, ``aud``, ``exp`` and ``nbf`` (with a
small leeway for clocks) are checked by PyJWT, with asymmetric algorithms only: never
``none``, never an HMAC whose "secret" would be the provider's public key.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

import jwt

from domain.texts import _

ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
FETCH_TIMEOUT = 5  # seconds for the discovery document and the JWKS
JWKS_LIFESPAN = 3600  # seconds a fetched key set is trusted before it is fetched again


class InvalidToken(Exception):
    """The token cannot be trusted; the message says why, for the 401 problem."""


@dataclass(frozen=True)
class Identity:
    """Who a valid token says the caller is."""

    workspace_id: UUID
    issuer: str
    subject: str
    email: str | None


def looks_like_jwt(text: str) -> bool:
    """Three dot-separated parts: a token, not an API key."""
    return text.count(".") == 2


class TokenVerifier:
    """Verifies access tokens of the trusted issuers, each of one workspace."""

    def __init__(
        self,
        issuers: Mapping[str, UUID],
        audience: str | None,
        *,
        leeway: int = 30,
        algorithms: tuple[str, ...] = ALLOWED_ALGORITHMS,
        refresh_cooldown: float = 30,
    ) -> None:
        """``refresh_cooldown``: seconds between two fetches of a JWKS for unknown key ids,
        so tokens naming made-up ids cannot make us hammer the provider."""
        if unsafe := [a for a in algorithms if a not in ALLOWED_ALGORITHMS]:
            raise ValueError(f"algorithms not allowed for access tokens: {unsafe}")
        self.issuers = dict(issuers)  # issuer URL → workspace id
        self.audience = audience
        self.leeway = leeway
        self.algorithms = list(algorithms)
        self.refresh_cooldown = refresh_cooldown
        self._clients: dict[str, jwt.PyJWKClient] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.issuers) and self.audience is not None

    def trust(self, issuer: str, workspace_id: UUID) -> None:
        """Trust one more issuer, for ``workspace_id`` (tests start theirs at run time)."""
        self.issuers[issuer] = workspace_id

    def verify(self, token: str) -> Identity:
        if not self.enabled:
            raise InvalidToken(_("This server accepts no access tokens; send an API key."))
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise InvalidToken(_("The access token is not a well-formed JWT.")) from error
        algorithm = header.get("alg")
        if algorithm not in self.algorithms:
            raise InvalidToken(
                _(
                    "The access token's algorithm {algorithm} is not accepted.",
                    algorithm=repr(algorithm),
                )
            )
        issuer = claims.get("iss")
        if not isinstance(issuer, str) or issuer not in self.issuers:
            raise InvalidToken(_("The access token's issuer is not trusted here."))
        try:
            key = self._client(issuer).get_signing_key_from_jwt(token)
        except (jwt.PyJWKClientError, jwt.PyJWKError) as error:
            raise InvalidToken(
                _("The access token is signed with a key its issuer does not publish.")
            ) from error
        try:
            verified = jwt.decode(
                token,
                key,
                algorithms=self.algorithms,
                audience=self.audience,
                issuer=issuer,
                leeway=self.leeway,
                options={"require": ["iss", "sub", "aud", "exp"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise InvalidToken(_("The access token has expired.")) from error
        except jwt.ImmatureSignatureError as error:
            raise InvalidToken(_("The access token is not valid yet.")) from error
        except jwt.InvalidAudienceError as error:
            raise InvalidToken(_("The access token is meant for another audience.")) from error
        except jwt.InvalidSignatureError as error:
            raise InvalidToken(_("The access token's signature does not match.")) from error
        except jwt.PyJWTError as error:
            raise InvalidToken(
                _("The access token is not valid: {error}.", error=str(error))
            ) from error
        email = verified.get("email")
        return Identity(
            workspace_id=self.issuers[issuer],
            issuer=issuer,
            subject=str(verified["sub"]),
            email=email if isinstance(email, str) else None,
        )

    def _client(self, issuer: str) -> jwt.PyJWKClient:
        """The issuer's JWKS client, found through its discovery document once."""
        with self._lock:
            client = self._clients.get(issuer)
        if client is not None:
            return client
        try:
            discovery = _fetch_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
            jwks_uri = discovery["jwks_uri"]
            if discovery.get("issuer") != issuer:
                raise InvalidToken(_("The issuer's discovery document names another issuer."))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise InvalidToken(_("The access token's issuer could not be reached.")) from error
        # PyJWKClient keeps the key set and fetches it again once for an unknown kid.
        client = jwt.PyJWKClient(
            jwks_uri,
            cache_keys=True,
            lifespan=JWKS_LIFESPAN,
            timeout=FETCH_TIMEOUT,
            cooldown_duration=self.refresh_cooldown,
        )
        with self._lock:
            return self._clients.setdefault(issuer, client)


def _fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as response:
        return json.loads(response.read())
