"""RFC 9457 problem details: the one place where anything that goes wrong becomes a response.

Domain errors carry no HTTP codes; this module decides them. Nothing internal (stack
traces, SQL, driver messages) ever reaches a body.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any, TypeGuard

from flask import Response, current_app, g, json, request
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from api import i18n
from domain import errors as domain
from domain import import_jobs as jobs
from domain.texts import _

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)

# The titles of the statuses the API answers, in the catalogue (HTTPStatus's are English).
TITLES = {
    400: _("Bad Request"),
    401: _("Unauthorized"),
    403: _("Forbidden"),
    404: _("Not Found"),
    405: _("Method Not Allowed"),
    406: _("Not Acceptable"),
    409: _("Conflict"),
    412: _("Precondition Failed"),
    413: _("Content Too Large"),
    415: _("Unsupported Media Type"),
    422: _("Unprocessable Content"),
    428: _("Precondition Required"),
    429: _("Too Many Requests"),
    500: _("Internal Server Error"),
    503: _("Service Unavailable"),
}

# werkzeug's descriptions of the errors routing and reading a request answer.
DESCRIPTIONS = {
    400: _("The request could not be understood: it is malformed."),
    404: _("Nothing is found at this URL."),
    405: _("This method is not allowed here; the Allow header names those that are."),
    413: _("The request body is larger than the limit."),
    500: _("An unexpected error occurred; it has been logged."),
}


def problem(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json answer; its texts (``domain.texts.Text``) in the request's language."""
    body = problem_body(status, detail, slug=slug, title=title, **extra)
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_body(
    status: int, detail: str, *, slug: str | None = None, title: str | None = None, **extra: Any
) -> dict[str, Any]:
    """The problem document itself (also kept in a failed import job's answer)."""
    body = {
        "type": f"urn:od:problem:{slug}" if slug else "about:blank",
        "title": i18n.render(title or TITLES.get(status) or HTTPStatus(status).phrase),
        "status": status,
        "detail": i18n.render(detail),
        "instance": request.path,
        **i18n.render(extra),
    }
    # Every served request has one (``logs.start`` runs before anything else): the contract
    # has it required.
    request_id = getattr(g, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    return body


def _located(messages: Any, location: str) -> dict[str, list[str]]:
    """webargs' nested messages as flat ``field.path → messages``; body fields unprefixed."""
    flat: dict[str, list[str]] = {}

    def walk(node: Any, path: list[str]) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                walk(child, [*path, str(key)])
        else:
            items = node if isinstance(node, list) else [node]
            strings = [m for m in items if isinstance(m, str)]
            for item in items:
                if isinstance(item, dict):
                    walk(item, path)
            if strings:
                flat[".".join(path) or "_schema"] = strings

    prefix = [] if location == "json" else [location]
    walk(messages, prefix)
    return flat


def from_http_exception(error: HTTPException) -> Response:
    original = getattr(error, "original_exception", None)
    if _is_outage(original):
        # The database failed outside the view (an after_request hook, e.g. storing an
        # idempotent response): Flask wraps that in a 500 that never reaches
        # from_unexpected. It is an outage all the same.
        return from_database_outage(original)
    data = getattr(error, "data", None) or {}
    status = error.code or 500
    if status == 422 and "messages" in data:
        errors: dict[str, list[str]] = {}
        for location, messages in data["messages"].items():
            errors.update(_located(messages, location))
        return problem(
            422,
            _("The request does not validate: see errors for each field."),
            slug="validation",
            title=_("Invalid input"),
            errors=errors,
        )
    headers = {
        name: value
        for name, value in error.get_headers()
        if name.lower() not in ("content-type", "content-length")
    }
    headers.update(data.get("headers") or {})
    detail = data.get("message") or error.description or HTTPStatus(status).phrase
    if detail == type(error).description:  # werkzeug's own English
        detail = DESCRIPTIONS.get(status, detail)
    if status == 400 and data.get("messages"):
        detail = _("The request body is not valid JSON.")
    return problem(status, detail, headers=headers)


DOMAIN_STATUS: dict[type[domain.DomainError], tuple[int, str, str]] = {
    domain.NotFound: (404, "not-found", _("Not found")),
    domain.NotPermitted: (403, "not-permitted", _("Not permitted")),
    domain.StaleVersion: (412, "stale", _("Changed meanwhile")),
    domain.Conflict: (409, "conflict", _("Conflict")),
    domain.RuleViolation: (422, "rule-violation", _("A rule of the domain is not met")),
    domain.GateClosed: (409, "gate-closed", _("Phase gate not met")),
    # Only ever shown as an import job's end, never answered by a request of its own.
    jobs.WorkerLost: (500, "worker-lost", _("The import was cut off")),
    jobs.Unexpected: (500, "internal", TITLES[500]),
}


def _field_name(v: domain.Violation) -> str:
    """The field as ``errors`` names it, dotted as everywhere in the API: a document's
    "/people/3" and "name" make "people.3.name"; a file's "line 7" and "name" make
    "line 7: name"."""
    if v.location is None:
        return v.field
    if v.location.startswith("/"):
        return ".".join([p for p in v.location.split("/") if p] + ([v.field] if v.field else []))
    return f"{v.location}: {v.field}" if v.field else v.location


def from_domain_error(error: domain.DomainError) -> Response:
    body = domain_problem(error)
    return Response(json.dumps(body), status=body["status"], mimetype=MEDIA_TYPE)


def domain_problem(error: domain.DomainError) -> dict[str, Any]:
    """The problem document of a domain error: what a request that met it answers, and
    what an import job that failed on it shows."""
    status, slug, title = next(
        DOMAIN_STATUS[cls] for cls in type(error).__mro__ if cls in DOMAIN_STATUS
    )
    extra: dict[str, Any] = {}
    if isinstance(error, domain.RuleViolation):
        errors: dict[str, list[str]] = {}
        for v in error.violations:
            errors.setdefault(_field_name(v), []).append(v.message)
        extra["errors"] = errors
        extra["violations"] = [
            {
                **({"location": v.location} if v.location else {}),
                "field": v.field,
                "code": v.code,
                "message": v.message,
            }
            for v in error.violations
        ]
    elif isinstance(error, domain.GateClosed):
        extra["unmet"] = [
            {"code": u.code, "message": u.message, **({"subject": u.subject} if u.subject else {})}
            for u in error.unmet
        ]
    elif isinstance(error, domain.Conflict):
        extra["code"] = error.code
    return problem_body(status, error.message, slug=slug, title=title, **extra)


def from_database_outage(error: Exception) -> Response:
    log.warning("database unavailable: %s", type(error).__name__)
    return problem(
        503,
        _("The database is unavailable; retry shortly."),
        slug="unavailable",
        title=_("Service unavailable"),
        headers={"Retry-After": "2"},
    )


def _is_outage(error: BaseException | None) -> TypeGuard[Exception]:
    """The database is unreachable (down, restarting, or the pool exhausted), not wrong."""
    return isinstance(error, OperationalError | PoolTimeout) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


def _nested_too_deeply(error: BaseException) -> bool:
    """The JSON decoder ran out of stack on a body nested thousands of levels deep: the
    client sent bad input, which must not be answered as a server error."""
    if not isinstance(error, RecursionError):
        return False
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and frame.tb_frame.f_globals.get("__name__", "").startswith("json.")


def from_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return from_http_exception(error)
    if _is_outage(error):
        return from_database_outage(error)
    if _nested_too_deeply(error):
        return problem(400, _("The request body is not valid JSON: it is nested too deeply."))
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return problem(500, _("An unexpected error occurred; it has been logged."), slug="internal")


def register(app) -> None:
    app.register_error_handler(HTTPException, from_http_exception)
    app.register_error_handler(domain.DomainError, from_domain_error)
    app.register_error_handler(Exception, from_unexpected)
