"""The steps around every view, in the order they run, behind one Flask hook each way.

Flask checks every hook it calls for being a coroutine; nine hooks made that check a
measurable part of a small read. One hook each way also puts the order in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, Response

Before = Callable[[], Response | None]
After = Callable[[Response], Response]


def install(app: Flask, before: Sequence[Before], after: Sequence[After]) -> None:
    """``before`` runs in order until a step answers; ``after`` runs in order on whatever
    response there is (the view's, a step's answer or an error's problem)."""
    before, after = tuple(before), tuple(after)

    def before_view() -> Response | None:
        for step in before:
            answer = step()
            if answer is not None:
                return answer
        return None

    def after_view(response: Response) -> Response:
        for step in after:
            response = step(response)
        return response

    app.before_request(before_view)
    app.after_request(after_view)
