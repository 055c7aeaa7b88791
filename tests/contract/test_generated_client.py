"""A client generated from the committed contract drives a real server.

What third parties do with ``openapi/openapi.json``: generate a client
(openapi-python-client), point it at a server started the way ``make run`` starts it
(``flask setup``, then gunicorn with ``gunicorn.conf.py``) and play an intake through to
the next phase. Only the generated code speaks to the server.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
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
    config.write_text(json.dumps({"post_hooks": []}))  # no ruff run over the output
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
    # Nothing of the contract was skipped, but the import bodies this generator has no
    # body type for (CSV, NDJSON, the workbook): the JSON document import stays typed.
    skipped = re.findall(r"Unsupported content type (\S+)", result.stdout + result.stderr)
    assert set(skipped) <= {"application/x-ndjson", "text/csv", XLSX}, result.stderr
    warned = re.findall(r"WARNING parsing (.+) within", result.stdout + result.stderr)
    assert set(warned) <= {"POST /api/v1/imports"}, result.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


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
        assert refused.parsed.status == 409  # typed as always there
        unmet = {item.code for item in refused.parsed.unmet}
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

        # The workbook is a file to the generated client, not an unexpected answer.
        from od_platform_client.api.exports import export_project, export_project_workbook
        from od_platform_client.types import File

        workbook = export_project_workbook.sync(project.id, client=api)
        assert isinstance(workbook, File)
        assert workbook.payload.read(2) == b"PK"  # a zip, as every xlsx is
        document = export_project.sync(project.id, client=api)
        assert document.project.name == "Samen sterker"

        # The export imports back unchanged: nothing created, nothing duplicated.
        from od_platform_client.api.imports import create_import

        report = create_import.sync(client=api, body=document, dry_run=True)
        assert report.dry_run is True, report
