"""The steps around every view, in the order they run, behind one Flask hook each way.

Flask checks every hook it calls for being a coroutine; nine hooks made that check a
measurable part of a small read. One hook each way also puts the order in one place.
Steps that only concern changes (bodies, preconditions, idempotency) are skipped for
reads with one test of the method, rather than each step testing it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, Response, request

from api.conventions import SAFE_METHODS

Before = Callable[[], Response | None]
After = Callable[[Response], Response]


def install(
    app: Flask,
    before: Sequence[Before],
    after: Sequence[After],
    *,
    before_change: Sequence[Before] = (),
    after_change: Sequence[After] = (),
) -> None:
    """``before`` runs in order until a step answers, then, for a change, ``before_change``
    likewise. ``after_change`` (for a change) then ``after`` run in order on whatever
    response there is (the view's, a step's answer or an error's problem)."""
    before = tuple(before)
    after = tuple(after)
    before_change = tuple(before_change)
    after_change = tuple(after_change)

    def before_view() -> Response | None:
        for step in before:
            answer = step()
            if answer is not None:
                return answer
        if request.method not in SAFE_METHODS:
            for step in before_change:
                answer = step()
                if answer is not None:
                    return answer
        return None

    def after_view(response: Response) -> Response:
        if request.method not in SAFE_METHODS:
            for step in after_change:
                response = step(response)
        for step in after:
            response = step(response)
        return response

    app.before_request(before_view)
    app.after_request(after_view)
