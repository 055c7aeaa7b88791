"""Authentication by API key, and the role check: both run here, before any view.

Keys are looked up by their HMAC digest. Verified keys are remembered for a few seconds
(``API_KEY_CACHE_SECONDS``) so a read costs no extra query; revoking a key forgets it at
once in this process, and other processes within that many seconds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from flask import current_app, g, request

from api import headers, operations
from api.problems import problem
from domain.access import Language, Role, Scope
from domain.texts import _
from repositories.credentials import scope_for_digest

if TYPE_CHECKING:
    from api import AppState


@dataclass(frozen=True)
class Principal:
    scope: Scope
    role: Role
    language: Language  # the workspace's, for a request that names none

    @property
    def key_id(self):
        return self.scope.actor_id

    @cached_property
    def key_text(self) -> str:
        """The key's id as logs and rate limits name it, made once per cached key."""
        return str(self.scope.actor_id)


class KeyCache:
    """A small LRU of verified keys with an expiry; thread-safe for threaded workers."""

    def __init__(self, seconds: int, size: int = 1024) -> None:
        self.seconds, self.size = seconds, size
        self._entries: OrderedDict[str, tuple[float, Principal]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: str) -> Principal | None:
        if self.seconds <= 0:
            return None
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None or entry[0] < time.monotonic():
                self._entries.pop(digest, None)
                return None
            self._entries.move_to_end(digest)
            return entry[1]

    def put(self, digest: str, principal: Principal) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            self._entries[digest] = (time.monotonic() + self.seconds, principal)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def guard():
    """Before every request: public, or a valid key whose role the policy admits."""
    operation = operations.current()
    if operation is None or operation.public:
        return None  # routing will answer 404/405; CORS preflights carry no key
    state = current_app.extensions["od"]
    principal = authenticate(state)
    if principal is None:
        return problem(
            401,
            _("Send a valid API key as 'Authorization: Bearer <key>'."),
            headers={"WWW-Authenticate": 'Bearer realm="od-platform"'},
        )
    g.principal = principal
    spent = state.rate_limits.spend(principal.key_text, bulk=operation.bulk)
    headers.add(request.environ, spent.headers())  # on the response, whatever it will be
    if not spent.allowed:
        return problem(
            429,
            _(
                "Too many requests for this API key (limit: {budget}); retry later.",
                budget=spent.budget,
            ),
        )
    if principal.role not in operation.roles:
        return problem(
            403,
            _(
                "A {role} key may not do this ({operation}).",
                role=principal.role.value,
                operation=operation.id,
            ),
            slug="forbidden",
        )
    return None


def authenticate(state: AppState) -> Principal | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        return None
    digest = state.hasher.digest(secret)
    principal = state.key_cache.get(digest)
    if principal is None:
        found = scope_for_digest(state.engine, digest)
        if found is None:
            return None
        principal = Principal(*found)
        state.key_cache.put(digest, principal)
    return principal
