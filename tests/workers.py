"""A real Celery worker with its clock (``worker --beat``), as ``make run`` starts it.

``--beat`` runs the clock in a child process of the worker. The worker is started in a
session of its own and stopped, or killed, with its whole process group: killing the
worker alone left its clock running, orphaned, re-sending jobs into the broker of a test
long gone (and taking a fifth of a core each, for the rest of the suite).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


class Worker:
    def __init__(self, env: dict[str, str], schedule: Path) -> None:
        command = [sys.executable, "-m", "celery", "--app", "worker.app", "worker", "--beat"]
        command += ["--pool", "solo", "--loglevel", "warning", "--schedule", str(schedule)]
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self._errors: str | None = None

    def running(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as a machine that dies: the worker and its clock, mid-whatever."""
        self._signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> str:
        """Stopped as ``make run`` stops it (SIGTERM); answers what it wrote on stderr."""
        if self._errors is not None:
            return self._errors
        self._signal(signal.SIGTERM)
        try:
            _, errors = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            _, errors = self.process.communicate(timeout=10)
        self._signal(signal.SIGKILL)  # whatever of the group outlived the worker
        self._errors = errors.decode(errors="replace")
        return self._errors

    def _signal(self, number: int) -> None:
        with suppress(ProcessLookupError):  # the whole group is gone already
            os.killpg(self.process.pid, number)


@contextmanager
def celery_worker(env: dict[str, str], schedule: Path) -> Iterator[Worker]:
    """A worker for the ``with`` block; stopped with its clock however the block ends."""
    worker = Worker(env, schedule)
    try:
        yield worker
    finally:
        worker.stop()
