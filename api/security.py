"""Response headers for browsers and caches, and CORS for third-party front ends."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask
from flask_cors import CORS

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = "frame-ancestors 'none'"  # the docs page loads Swagger UI from its CDN


_API_HEADERS = (
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)
_FOR_API = (*_API_HEADERS, ("Content-Security-Policy", API_CSP))
_FOR_DOCS = (*_API_HEADERS, ("Content-Security-Policy", DOCS_CSP))


class SecureHeaders:
    """WSGI middleware: API data is never cached by intermediaries, sniffed, or framed.

    It adds the headers to every response, whatever made it (a view, a problem, Flask's
    own 404, 405 or 500), as the response starts. The values are constants, so they go
    straight onto the header list; werkzeug checks and copies every header it is given.
    As a Flask hook these headers were a tenth of a small read. A header the view set
    itself is kept.
    """

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        extra = _FOR_DOCS if path.endswith("/docs") or "/docs/" in path else _FOR_API

        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(header for header in extra if header[0].lower() not in present)
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def init(app: Flask, origins: list[str]) -> None:
    """The headers above on every response; CORS for the configured origins."""
    app.wsgi_app = SecureHeaders(app.wsgi_app)
    if origins:
        CORS(
            app,
            origins=origins,
            methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
                "X-Request-ID",
            ],
            expose_headers=[
                "ETag",
                "Location",
                "Link",
                "X-Pagination",
                "X-Request-ID",
                "Retry-After",
                "Idempotent-Replayed",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
            ],
            max_age=600,
        )
