"""Response headers for browsers and caches, and CORS for third-party front ends."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_cors import CORS

API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = "frame-ancestors 'none'"  # the docs page loads Swagger UI from its CDN


def secure_headers(response: Response) -> Response:
    """API data is never cached by intermediaries, sniffed, or framed."""
    headers = response.headers
    headers.setdefault("Cache-Control", "no-store")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    docs = request.path.endswith("/docs") or "/docs/" in request.path
    headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else API_CSP)
    return response


def init(app: Flask, origins: list[str]) -> None:
    app.after_request(secure_headers)
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
