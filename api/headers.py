"""Headers every response carries, added as the response starts (a WSGI middleware).

Some are constants: API data is never cached by intermediaries, sniffed, or framed. Some
are decided before the view runs: the request id, what is left of the key's rate-limit
budget (``add``). All of them reach every response, whatever made it: a view, a
problem, a replayed answer, Flask's own 404, 405 or 500.

werkzeug checks every header set on a ``Response`` and checks and copies them all again
when it sends them; set that way, these headers were a fifth of a small read. They are
ours and already sound, so they go straight onto the list the server sends. A header the
view set itself is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The docs page (api.docs) runs this origin's scripts only; Swagger UI draws its icons as
# data: images and fetches the contract, and the calls tried out on the page, from here.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

_SECURE = (
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)
_FOR_API = (*_SECURE, ("Content-Security-Policy", API_CSP))
_FOR_DOCS = (*_SECURE, ("Content-Security-Policy", DOCS_CSP))

_ADDED = "od.headers"  # the environ key of a request's own headers


def add(environ: WSGIEnvironment, headers: Iterable[tuple[str, str]]) -> None:
    """Send ``headers`` with this request's response, whatever it turns out to be. The
    values must be sound already: nothing checks them again."""
    environ.setdefault(_ADDED, []).extend(headers)


class ResponseHeaders:
    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        secure = _FOR_DOCS if path.endswith("/docs") or "/docs/" in path else _FOR_API

        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            present = {name.lower() for name, _ in headers}
            for added in (secure, environ.get(_ADDED, ())):
                for header in added:
                    if header[0].lower() not in present:
                        headers.append(header)
                    elif header[0].lower() == "vary":  # both vary: CORS's Origin, a language
                        headers[:] = [_also(h, header[1]) for h in headers]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def _also(header: tuple[str, str], value: str) -> tuple[str, str]:
    """A ``Vary`` header that also names ``value``; any other header as it is."""
    name, present = header
    if name.lower() != "vary" or value.lower() in present.lower():
        return header
    return name, f"{present}, {value}"
