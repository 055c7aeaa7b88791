"""Response headers for browsers and caches, and CORS for third-party front ends."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

from api.headers import ResponseHeaders


def init(app: Flask, origins: list[str]) -> None:
    """The headers of ``api.headers`` on every response; CORS for the configured origins."""
    # Flask's documented way to wrap its WSGI app; its types declare wsgi_app a method.
    app.wsgi_app = ResponseHeaders(app.wsgi_app)  # type: ignore[method-assign]
    if origins:
        CORS(
            app,
            origins=origins,
            methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
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
