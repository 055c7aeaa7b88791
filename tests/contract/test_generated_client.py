"""A client generated from the committed contract drives a real server.

What third parties do with ``openapi/openapi.json``: generate a client
(openapi-python-client), point it at a server started the way ``make run`` starts it
(``flask setup``, then gunicorn with ``gunicorn.conf.py``) and play an intake through to
the next phase. Only the generated code speaks to the server.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONTRACT = ROOT / "openapi" / "openapi.json"
PACKAGE = "od_platform_client"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package generated from the committed document, importable."""
    where = tmp_path_factory.mktemp("generated")
    config = where / "config.json"
    # No post hooks (they would run ruff over the output); the workbook is a file download.
    config.write_text(
        json.dumps({"post_hooks": [], "content_type_overrides": {XLSX: "application/octet-stream"}})
    )
    result = subprocess.run(
        [
            BIN / "openapi-python-client",
            "generate",
            "--path",
            CONTRACT,
            "--output-path",
            where / PACKAGE,
            "--meta",
            "none",
            "--config",
            config,
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout  # nothing of the contract was skipped
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn serving a fresh SQLite database, set up by the operator command; answers
    its base URL and the bootstrap admin key."""
    where = tmp_path_factory.mktemp("server")
    key = f"od-{secrets.token_urlsafe(32)}"
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PUBLIC_URL")},
        "DATABASE_URL": f"sqlite:///{where / 'od.sqlite3'}",
        "BOOTSTRAP_API_KEY": key,
        "SECRET_KEY": secrets.token_hex(32),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "warning",
    }
    setup = subprocess.run(
        [BIN / "flask", "--app", "wsgi", "setup"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert key in setup.stdout  # the bootstrap key is the workspace's admin key
    log = (where / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [BIN / "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(base, process, log)
        yield base, key
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_ready(base: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    log.seek(0)
    pytest.fail(f"gunicorn was not ready within 60 s:\n{log.read()[-3000:]}")


def test_a_generated_client_takes_a_project_through_its_intake(generated, server):
    base, key = server
    from od_platform_client import AuthenticatedClient
    from od_platform_client.api.intake import (
        create_finding,
        get_intake,
        put_conclusion,
        rate_readiness,
    )
    from od_platform_client.api.organisations import create_organisation, create_team
    from od_platform_client.api.people import create_person
    from od_platform_client.api.projects import (
        add_participant,
        create_project,
        create_transition,
        get_checklist,
        get_project,
    )
    from od_platform_client.models import (
        ConclusionWrite,
        Finding,
        FindingWrite,
        Organisation,
        OrganisationCreate,
        Participant,
        ParticipantCreate,
        ParticipantCreateRolesItem,
        Person,
        PersonCreate,
        Problem,
        Project,
        ProjectCreate,
        ProjectPhase,
        Rating,
        RatingWrite,
        Team,
        TeamCreate,
        Transition,
        TransitionCreate,
        TransitionCreateTo,
        TransitionToPhase,
    )

    api = AuthenticatedClient(
        base_url=base, token=key, raise_on_unexpected_status=True, timeout=30.0
    )

    def made(response, model):
        assert response.status_code == 201, (response.status_code, response.content[:500])
        assert isinstance(response.parsed, model), response.parsed
        return response.parsed

    with api:
        organisation = made(
            create_organisation.sync_detailed(
                client=api, body=OrganisationCreate(name="Gemeente Utrecht")
            ),
            Organisation,
        )
        team = made(
            create_team.sync_detailed(
                organisation.id, client=api, body=TeamCreate(name="Ondersteunende afdeling")
            ),
            Team,
        )
        people = [
            made(
                create_person.sync_detailed(
                    organisation.id,
                    client=api,
                    body=PersonCreate(
                        name=name,
                        external_id=f"E-{n}",
                        email=f"{name.lower()}@utrecht.example",
                        team_id=team.id,
                    ),
                ),
                Person,
            )
            for n, name in enumerate(["Anna", "Bram", "Chris"], start=1)
        ]
        project = made(
            create_project.sync_detailed(
                client=api,
                body=ProjectCreate(
                    name="Samen sterker", organisation_id=organisation.id, team_id=team.id
                ),
                idempotency_key="client-test-project-1",
            ),
            Project,
        )
        assert project.phase == ProjectPhase.INTAKE
        members = [
            made(
                add_participant.sync_detailed(
                    project.id,
                    client=api,
                    body=ParticipantCreate(
                        person_id=person.id, roles=[ParticipantCreateRolesItem.MEMBER]
                    ),
                ),
                Participant,
            )
            for person in people
        ]

        # Too early: the gate refuses, and the problem lists what is missing.
        refused = create_transition.sync_detailed(
            project.id,
            client=api,
            body=TransitionCreate(to=TransitionCreateTo.SERVICE_DEFINITION),
        )
        assert refused.status_code == 409
        assert isinstance(refused.parsed, Problem)
        unmet = {item["code"] for item in refused.parsed.unmet}
        assert unmet, refused.parsed
        checklist = get_checklist.sync(project.id, client=api)
        assert {u.code for u in checklist.unmet} == unmet
        assert checklist.ready is False

        made(
            create_finding.sync_detailed(
                project.id, client=api, body=FindingWrite(text="Nobody shares knowledge.")
            ),
            Finding,
        )
        for member, (desire, energy) in zip(members, [(4, 4), (5, 3), (3, 4)], strict=True):
            rated = rate_readiness.sync_detailed(
                project.id,
                member.id,
                client=api,
                body=RatingWrite(desire=desire, energy=energy, feasibility=3),
            )
            assert rated.status_code in (200, 201), rated.content[:500]
            assert isinstance(rated.parsed, Rating)
        concluded = put_conclusion.sync_detailed(
            project.id, client=api, body=ConclusionWrite(ready=True, text="We are ready.")
        )
        assert concluded.status_code in (200, 201), concluded.content[:500]

        intake = get_intake.sync(project.id, client=api)
        assert [f.text for f in intake.findings] == ["Nobody shares knowledge."]
        assert intake.readiness.members_rated == 3
        assert intake.conclusion.ready is True
        assert get_checklist.sync(project.id, client=api).ready is True

        moved = made(
            create_transition.sync_detailed(
                project.id,
                client=api,
                body=TransitionCreate(
                    to=TransitionCreateTo.SERVICE_DEFINITION, reason="Intake complete."
                ),
            ),
            Transition,
        )
        assert moved.to_phase == TransitionToPhase.SERVICE_DEFINITION
        assert get_project.sync(project.id, client=api).phase == ProjectPhase.SERVICE_DEFINITION
