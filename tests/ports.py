"""A port for a server a test starts."""

from __future__ import annotations

import os
import socket


def free_port() -> int:
    """A free port on 127.0.0.1; within OD_TEST_PORTS (e.g. "8450-8499") when the machine
    is shared and each user keeps to a range of its own."""
    first, _, last = os.environ.get("OD_TEST_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last) + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise RuntimeError(f"no free port in OD_TEST_PORTS={os.environ['OD_TEST_PORTS']}")
