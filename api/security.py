"""Response headers for browsers and caches, and CORS for third-party front ends."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_cors import CORS

API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = "frame-ancestors 'none'"  # the docs page loads Swagger UI from its CDN


_API_HEADERS = (
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)


def secure_headers(response: Response) -> Response:
    """API data is never cached by intermediaries, sniffed, or framed. A header the view
    set itself is kept (looked up in one pass: five lookups cost four times as much)."""
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    path = request.path
    csp = DOCS_CSP if path.endswith("/docs") or "/docs/" in path else API_CSP
    headers.extend(
        [
            (name, value)
            for name, value in (*_API_HEADERS, ("Content-Security-Policy", csp))
            if name.lower() not in present
        ]
    )
    return response


def init(app: Flask, origins: list[str]) -> None:
    """CORS for the configured origins (the headers above run in api.pipeline)."""
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
