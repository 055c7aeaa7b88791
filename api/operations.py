"""What the steps around a view need to know about the operation a request is for.

The decorators of ``api.extensions`` and ``api.limits`` mark view methods (their operation
id, bulk, unversioned, accepted bodies, public). Those marks are read once, when the app
starts, into one ``Operation`` per route and method; a request finds its own with one
lookup. Reading them from the view on every request, once per step, cost a small read
as much as its key check.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from flask import Flask, current_app, request

from api.policy import POLICY
from domain.access import Role

JSON_ONLY = ("application/json",)


@dataclass(frozen=True)
class Operation:
    id: str | None  # None for the public ones (health, readiness, the docs)
    roles: frozenset[Role]  # who may call it, from api.policy
    public: bool = False
    bulk: bool = False  # spends the bulk budget; bodies up to MAX_BULK_CONTENT_LENGTH
    unversioned: bool = False  # If-Match naming a version is refused (412)
    accepts: tuple[str, ...] = JSON_ONLY
    body_limit: str | None = None  # the app config key of its own body limit, if any

    @property
    def body_limit_key(self) -> str:
        return self.body_limit or ("MAX_BULK_CONTENT_LENGTH" if self.bulk else "MAX_CONTENT_LENGTH")


Operations = dict[tuple[str, str], Operation]  # by (endpoint, method)


def current() -> Operation | None:
    """The request's operation; ``None`` when routing found none (404, 405) or for a CORS
    preflight, which no view serves."""
    operations: Operations = current_app.extensions["od"].operations
    return operations.get((request.endpoint or "", request.method))


def index(app: Flask) -> Operations:
    """Every route's operations. Refuses to start when an operation has no row in the
    policy, or a row names no operation: a gap there would be a hole or a dead rule."""
    operations: Operations = {}
    named = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            func = getattr(view_class, method.lower(), None) if view_class else view
            if func is None:
                continue
            if inspect.iscoroutinefunction(inspect.unwrap(func)):
                raise RuntimeError(f"{method} {rule.rule} is a coroutine; views here are plain")
            operation = _read(rule.endpoint, f"{method} {rule.rule}", func)
            if operation.id is not None:
                named.add(operation.id)
            operations[(rule.endpoint, method)] = operation
            if method == "GET":  # HEAD is served by GET, so guarded as GET
                operations[(rule.endpoint, "HEAD")] = operation
    if stale := set(POLICY) - named:
        raise RuntimeError(f"api.policy.POLICY names unknown operations: {sorted(stale)}")
    return operations


def _read(endpoint: str, route: str, func) -> Operation:
    if getattr(func, "_public", False) or endpoint.startswith(("api-docs.", "static")):
        return Operation(id=None, roles=frozenset(Role), public=True)
    operation_id = getattr(func, "_operation_id", None)
    if operation_id not in POLICY:
        raise RuntimeError(f"{route} has no row in api.policy.POLICY")
    return Operation(
        id=operation_id,
        roles=POLICY[operation_id],
        bulk=getattr(func, "_bulk", False),
        unversioned=getattr(func, "_unversioned", False),
        accepts=getattr(func, "_accepts", JSON_ONLY),
        body_limit=getattr(func, "_body_limit", None),
    )
