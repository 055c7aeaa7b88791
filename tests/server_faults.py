"""The API as gunicorn serves it, with the faults only a test wants (``X-Test-Fault``):
an exception that escapes the app before or after its answer began, and a request that
outlives the worker's timeout. Each runs the real app first, so the request has its id."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from wsgi import app as api


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    body = api(environ, start_response)
    fault = environ.get("HTTP_X_TEST_FAULT")
    if fault == "raise":
        raise RuntimeError("escaped before the answer began")
    if fault == "hang":
        time.sleep(120)
    if fault == "break":
        return _broken(body)
    return body


def _broken(body: Iterable[bytes]) -> Iterator[bytes]:
    yield from body
    raise RuntimeError("escaped after the answer began")
