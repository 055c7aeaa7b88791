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

from flask import Flask, current_app, g, request

from api.policy import POLICY
from api.problems import problem
from domain.access import Role, Scope
from repositories.credentials import scope_for_digest


@dataclass(frozen=True)
class Principal:
    scope: Scope
    role: Role

    @property
    def key_id(self):
        return self.scope.actor_id


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


def view_method(endpoint: str, method: str):
    """The view method that will serve the request; HEAD is served by GET, so guarded as GET."""
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return view
    name = "get" if method == "HEAD" else method.lower()
    return getattr(view_class, name, None)


def guard():
    """Before every request: public, or a valid key whose role the policy admits."""
    if request.endpoint is None or request.method == "OPTIONS":
        return None  # routing will answer 404/405; CORS preflights carry no key
    func = view_method(request.endpoint, request.method)
    if func is None or getattr(func, "_public", False) or request.endpoint.startswith("api-docs."):
        return None
    principal = authenticate()
    if principal is None:
        return problem(
            401,
            "Send a valid API key as 'Authorization: Bearer <key>'.",
            headers={"WWW-Authenticate": 'Bearer realm="od-platform"'},
        )
    g.principal = principal
    state = current_app.extensions["od"]
    g.rate_limit = spent = state.rate_limits.spend(
        str(principal.key_id), bulk=getattr(func, "_bulk", False)
    )
    if not spent.allowed:
        # Its X-RateLimit headers and Retry-After come with every limited response.
        return problem(
            429, f"Too many requests for this API key (limit: {spent.budget}); retry later."
        )
    operation_id = func._operation_id
    if principal.role not in POLICY[operation_id]:
        return problem(
            403,
            f"A {principal.role.value} key may not {operation_id.replace('_', ' ')}.",
            slug="forbidden",
        )
    return None


def authenticate() -> Principal | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    state = current_app.extensions["od"]
    digest = state.hasher.digest(secret.strip())
    principal = state.key_cache.get(digest)
    if principal is None:
        found = scope_for_digest(state.engine, digest)
        if found is None:
            return None
        principal = Principal(*found)
        state.key_cache.put(digest, principal)
    return principal


def check_policy_covers(app: Flask) -> None:
    """Refuse to start when an operation has no row in the policy (or a row has no operation)."""
    named = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            func = getattr(view_class, method.lower(), None) if view_class else view
            if (
                func is None
                or getattr(func, "_public", False)
                or rule.endpoint.startswith(("api-docs.", "static"))
            ):
                continue
            operation_id = getattr(func, "_operation_id", None)
            if operation_id not in POLICY:
                raise RuntimeError(f"{method} {rule.rule} has no row in api.policy.POLICY")
            named.add(operation_id)
    if stale := set(POLICY) - named:
        raise RuntimeError(f"api.policy.POLICY names unknown operations: {sorted(stale)}")
