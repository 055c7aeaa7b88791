"""What the generated-client tests share: a server started the way ``make run`` starts it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from bench import serve

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn serving a fresh SQLite database, set up by the operator command; answers
    its base URL and the bootstrap admin key."""
    where = tmp_path_factory.mktemp("server")
    key = f"od-{secrets.token_urlsafe(32)}"
    env = {
        "DATABASE_URL": f"sqlite:///{where / 'od.sqlite3'}",
        "BOOTSTRAP_API_KEY": key,
        "SECRET_KEY": secrets.token_hex(32),
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "warning",
        "REDIS_URL": "",  # empty is unset: this server counts its limits itself
        "PUBLIC_URL": "",  # and names itself by where it listens
    }
    setup = subprocess.run(
        [BIN / "flask", "--app", "wsgi", "setup"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert key in setup.stdout  # the bootstrap key is the workspace's admin key
    with serve.gunicorn("wsgi:app", env) as running:
        yield running.url, key
