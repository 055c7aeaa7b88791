"""A real HTTP receiver of webhooks on 127.0.0.1, for tests: it keeps what it was sent and
answers what the test tells it to (or does not answer at all)."""

from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# The ports of this suite's receivers when OD_TEST_PORTS gives no range of its own.
PORTS = range(8350, 8400)


def _ports() -> range:
    first, _, last = os.environ.get("OD_TEST_PORTS", "").partition("-")
    return range(int(first), int(last) + 1) if last else PORTS


class Receiver:
    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[dict[str, Any]] = []
        self.status = 204
        self.hang = threading.Event()  # set: take the request and never answer
        self.got_one = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.got_one.set()
                if receiver.hang.is_set():
                    # Hold the call unanswered until the test clears ``hang`` (an Event's
                    # wait returns at once while it is set, which answered nothing but
                    # closed the connection: the sender saw a failure, not a hang).
                    for _ in range(600):
                        if not receiver.hang.is_set():
                            break
                        time.sleep(0.1)
                    return
                if receiver.status < 300:
                    receiver.received.append(
                        {
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                            "json": json.loads(body),
                        }
                    )
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def free_receiver() -> Receiver:
    for port in _ports():
        try:
            return Receiver(port).start()
        except OSError:
            continue
    raise RuntimeError("no free port for a receiver")
