"""Test data made through the API itself, so the data is what a caller could make."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from itertools import count
from typing import Any

from tests.client import ApiClient

_numbers = count(1)


def organisation(api: ApiClient, name: str | None = None) -> dict[str, Any]:
    return api.ok(
        "POST", "/api/v1/organisations", {"name": name or f"Organisation {next(_numbers)}"}
    )


def team(api: ApiClient, organisation_id: str, name: str | None = None) -> dict[str, Any]:
    return api.ok(
        "POST",
        f"/api/v1/organisations/{organisation_id}/teams",
        {"name": name or f"Team {next(_numbers)}"},
    )


def person(api: ApiClient, organisation_id: str, **fields: Any) -> dict[str, Any]:
    n = next(_numbers)
    body = {
        "name": f"Person {n}",
        "external_id": f"E-{n}",
        "email": f"person{n}@example.nl",
        **fields,
    }
    return api.ok("POST", f"/api/v1/organisations/{organisation_id}/people", body)


def project(
    api: ApiClient, organisation_id: str | None = None, team_id: str | None = None, **fields
) -> dict[str, Any]:
    if organisation_id is None:
        organisation_id = organisation(api)["id"]
    if team_id is None:
        team_id = team(api, organisation_id)["id"]
    body = {
        "name": f"Project {next(_numbers)}",
        "organisation_id": organisation_id,
        "team_id": team_id,
        **fields,
    }
    return api.ok("POST", "/api/v1/projects", body)


def participant(
    api: ApiClient, project: dict[str, Any], roles=("member",), **person_fields
) -> dict[str, Any]:
    someone = person(api, project["organisation_id"], team_id=project["team_id"], **person_fields)
    return api.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/participants",
        {"person_id": someone["id"], "roles": list(roles)},
    )


def ready_intake(api: ApiClient, project: dict[str, Any], members: int = 2) -> list[dict[str, Any]]:
    """An intake that meets the gate: a finding, every member rated, the team ready."""
    base = f"/api/v1/projects/{project['id']}/intake"
    people = [participant(api, project) for _ in range(members)]
    api.ok("POST", f"{base}/findings", {"text": "Nobody shares knowledge."})
    for p in people:
        api.ok(
            "PUT",
            f"{base}/readiness/{p['id']}",
            {"desire": 4, "energy": 4, "feasibility": 3},
            status=201,
        )
    api.ok("PUT", f"{base}/conclusion", {"ready": True, "text": "We are ready."})
    return people


def project_in(
    api: ApiClient, phase: str, members: int = 2
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A project moved through its gates into ``phase``, with its member participants."""
    made = project(api)
    people = ready_intake(api, made, members)
    if phase == "intake":
        return api.ok("GET", f"/api/v1/projects/{made['id']}"), people
    move(api, made, "service_definition")
    if phase != "service_definition":
        # The later gates, met in the smallest way the domain allows.
        skill = competence(api)
        service(api, made, people, needs=[(skill, 1)])
        move(api, made, "competence_mapping")
        cells = [
            {"participant_id": p["id"], "competence_id": skill["id"], "level": 2, "source": "self"}
            for p in people
        ]
        api.ok("PUT", f"/api/v1/projects/{made['id']}/matrix/levels", {"levels": cells})
        api.ok(
            "POST",
            f"/api/v1/projects/{made['id']}/wishes",
            {"participant_id": people[0]["id"], "competence_id": skill["id"]},
        )
        for target in ("development", "evaluation"):
            if _reached(phase, target):
                move(api, made, target)
    return api.ok("GET", f"/api/v1/projects/{made['id']}"), people


PHASES = [
    "intake",
    "service_definition",
    "competence_mapping",
    "development",
    "evaluation",
    "closed",
]


def _reached(wanted: str, step: str) -> bool:
    return PHASES.index(step) <= PHASES.index(wanted)


def move(api: ApiClient, project: dict[str, Any], to: str) -> dict[str, Any]:
    return api.ok("POST", f"/api/v1/projects/{project['id']}/transitions", {"to": to}, status=201)


def competence(api: ApiClient, code: str | None = None, **fields: Any) -> dict[str, Any]:
    n = next(_numbers)
    body = {"code": code or f"C-{n}", "name": f"Competence {n}", **fields}
    return api.ok("POST", "/api/v1/competences", body)


def service(
    api: ApiClient, project: dict[str, Any], contributors: list[dict[str, Any]], needs=(), **fields
) -> dict[str, Any]:
    """A complete service: deliverables, indicators, the given group and required competences."""
    body = {
        "name": f"Service {next(_numbers)}",
        "deliverables": ["A deliverable"],
        "indicators": ["An indicator"],
        "required_competences": [{"competence_id": c["id"], "level": lv} for c, lv in needs],
        **fields,
    }
    made = api.ok("POST", f"/api/v1/projects/{project['id']}/services", body)
    for p in contributors:
        api.ok(
            "POST",
            f"/api/v1/projects/{project['id']}/services/{made['id']}/contributors",
            {"participant_id": p["id"], "contribution": "Part of it."},
        )
    return made


def api_key(
    api: ApiClient, role: str = "consultant", organisation_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    """A new key as its creation answers it: the only response that carries the ``secret``."""
    body = {
        "name": f"Key {next(_numbers)}",
        "role": role,
        "organisation_id": organisation_id,
        **fields,
    }
    return api.ok("POST", "/api/v1/api-keys", body)


def hris_people(
    api: ApiClient, organisation_id: str, how_many: int, start: int = 1, **fields: Any
) -> list[dict[str, Any]]:
    """``how_many`` HRIS-managed people (external ids H-<n>) made in one sync request."""
    items = [
        {
            "external_id": f"H-{n}",
            "name": f"Employee {n}",
            "email": f"employee{n}@example.nl",
            **fields,
        }
        for n in range(start, start + how_many)
    ]
    report = api.ok(
        "POST",
        f"/api/v1/organisations/{organisation_id}/people/sync",
        {"people": items},
        status=200,
    )
    return report["results"]


def audit_trail(api: ApiClient, **filters: Any) -> list[dict[str, Any]]:
    """The audit records matching ``filters``, newest first (at most 100)."""
    return api.ok("GET", "/api/v1/audit", query_string={"page_size": 100, **filters})


def meeting(
    api: ApiClient,
    project: dict[str, Any],
    attendees: list[dict[str, Any]] = (),
    kind: str = "joint",
    date: str = "2014-03-10",
    **fields: Any,
) -> dict[str, Any]:
    """A meeting of the project attended by the given participants (no layer)."""
    body = {
        "kind": kind,
        "date": date,
        "attendees": [{"participant_id": p["id"]} for p in attendees],
        **fields,
    }
    return api.ok("POST", f"/api/v1/projects/{project['id']}/meetings", body)


def commitment(
    api: ApiClient,
    project: dict[str, Any],
    meeting: dict[str, Any],
    owners: list[dict[str, Any]] = (),
    text: str | None = None,
) -> dict[str, Any]:
    """A commitment made at ``meeting``; owned by all its attendees unless ``owners``."""
    return api.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/meetings/{meeting['id']}/commitments",
        {"text": text or f"Commitment {next(_numbers)}", "owner_ids": [p["id"] for p in owners]},
    )


def action_report(
    api: ApiClient,
    project: dict[str, Any],
    meeting: dict[str, Any],
    by: dict[str, Any],
    on: dict[str, Any] | None,
    text: str = "I did my part.",
) -> dict[str, Any]:
    """``by`` tells at ``meeting`` what they did to realise the commitment ``on``, or with
    ``on=None`` what they did to realise the agreements in general."""
    return api.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/meetings/{meeting['id']}/action-reports",
        {"participant_id": by["id"], "commitment_id": on["id"] if on else None, "text": text},
    )


def leave(api: ApiClient, participant: dict[str, Any]) -> None:
    """The participant's person leaves the organisation (as an HRIS sync deactivates them)."""
    api.ok("PATCH", f"/api/v1/people/{participant['person_id']}", {"active": False})


def theme(api: ApiClient, steps: int = 4, **fields: Any) -> dict[str, Any]:
    """A workspace theme with ``steps`` numbered steps."""
    body = {
        "name": f"Theme {next(_numbers)}",
        "steps": [{"title": f"Step {i}"} for i in range(1, steps + 1)],
        **fields,
    }
    return api.ok("POST", "/api/v1/themes", body)


def many_participants(
    api: ApiClient, project: dict[str, Any], how_many: int, start: int = 1, roles=("member",)
) -> list[dict[str, Any]]:
    """``how_many`` participants of ``project``: their people made in one HRIS sync request
    (external ids H-<start>…), then each added to the project."""
    people = hris_people(
        api, project["organisation_id"], how_many, start=start, team_id=project["team_id"]
    )
    return [
        api.ok(
            "POST",
            f"/api/v1/projects/{project['id']}/participants",
            {"person_id": p["id"], "roles": list(roles)},
        )
        for p in people
    ]


def cells(
    participants: list[dict[str, Any]],
    competences: list[dict[str, Any]],
    level: int = 2,
    source: str = "self",
) -> list[dict[str, Any]]:
    """Level cells for every participant × competence, as ``PUT …/matrix/levels`` takes them."""
    return [
        {"participant_id": p["id"], "competence_id": c["id"], "level": level, "source": source}
        for p in participants
        for c in competences
    ]


def set_levels(api: ApiClient, project: dict[str, Any], levels: list[dict[str, Any]]) -> Any:
    return api.ok("PUT", f"/api/v1/projects/{project['id']}/matrix/levels", {"levels": levels})


@dataclass
class CoachedTeam:
    """A project past service definition: two members, a senior able to coach, and one
    competence (``skill``) that a service needs at level 3."""

    project: dict[str, Any]
    members: list[dict[str, Any]]
    senior: dict[str, Any]
    skill: dict[str, Any]

    @property
    def base(self) -> str:
        return f"/api/v1/projects/{self.project['id']}"


def coached_team(
    api: ApiClient,
    phase: str = "development",
    member_level: int = 1,
    senior_level: int = 4,
    wish: bool = True,
    rated: bool = True,
) -> CoachedTeam:
    """A project in ``phase`` (competence_mapping or development), its members rated
    ``member_level`` and its senior ``senior_level`` in ``skill``; with ``wish`` the first
    member wishes to develop it (the development gate needs a wish). ``rated=False`` leaves
    the matrix and its history empty (for a project in competence_mapping)."""
    made, members = project_in(api, "service_definition")
    senior = participant(api, made, roles=("senior",))
    skill = competence(api)
    service(api, made, members, needs=[(skill, 3)])
    move(api, made, "competence_mapping")
    if rated:
        set_levels(
            api,
            made,
            cells(members, [skill], level=member_level)
            + cells([senior], [skill], level=senior_level),
        )
    if wish:
        api.ok(
            "POST",
            f"/api/v1/projects/{made['id']}/wishes",
            {"participant_id": members[0]["id"], "competence_id": skill["id"]},
        )
    if _reached(phase, "development"):
        move(api, made, "development")
    return CoachedTeam(api.ok("GET", f"/api/v1/projects/{made['id']}"), members, senior, skill)


def agreement(api: ApiClient, team: CoachedTeam, **fields: Any) -> dict[str, Any]:
    """A proposed agreement: the first member grows in ``skill``, coached by the senior."""
    body = {
        "participant_id": team.members[0]["id"],
        "competence_id": team.skill["id"],
        "target_level": 3,
        "coach_id": team.senior["id"],
        "due_date": "2027-06-30",
        **fields,
    }
    return api.ok("POST", f"{team.base}/agreements", body)


def move_agreement(api: ApiClient, team: CoachedTeam, agreement: dict[str, Any], *statuses):
    """PATCH the agreement through ``statuses`` in order; answers the last state."""
    for status in statuses:
        agreement = api.ok("PATCH", f"{team.base}/agreements/{agreement['id']}", {"status": status})
    return agreement


def contributor(
    api: ApiClient,
    project: dict[str, Any],
    service: dict[str, Any],
    who: dict[str, Any],
    contribution: str = "Part of it.",
) -> dict[str, Any]:
    """``who`` joins the service group of ``service``."""
    return api.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/services/{service['id']}/contributors",
        {"participant_id": who["id"], "contribution": contribution},
    )


def feedback(
    api: ApiClient, project: dict[str, Any], service: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    """Open MT feedback on ``service``, from a named MT member unless ``fields`` say otherwise."""
    body = {"text": f"Feedback {next(_numbers)}", "author_name": "Director", **fields}
    return api.ok(
        "POST", f"/api/v1/projects/{project['id']}/services/{service['id']}/feedback", body
    )


def busy_services(
    api: ApiClient,
    project: dict[str, Any],
    how_many: int,
    people: list[dict[str, Any]],
    needs: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """``how_many`` services, each with two of ``people`` in its group (taken in turn, so
    everyone coordinates), every competence of ``needs`` required, and one open MT
    feedback item."""
    made = []
    for i in range(how_many):
        group = [people[i % len(people)], people[(i + 1) % len(people)]]
        one = service(api, project, group, needs=[(c, 2) for c in needs])
        feedback(api, project, one)
        made.append(one)
    return made


def rich_project(client: ApiClient) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A project in evaluation with something in every part of it."""
    project, (anna, bram) = project_in(client, "development")
    base = f"/api/v1/projects/{project['id']}"
    carla = participant(client, project, roles=("member", "senior"))
    fb = competence(client, "FB", name="Giving feedback")
    client.ok(
        "PUT",
        f"{base}/matrix/levels",
        {
            "levels": [
                {
                    "participant_id": carla["id"],
                    "competence_id": fb["id"],
                    "level": 4,
                    "source": "coach",
                },
                {
                    "participant_id": anna["id"],
                    "competence_id": fb["id"],
                    "level": 1,
                    "source": "self",
                },
            ]
        },
    )
    advice = service(client, project, [anna, carla], needs=[(fb, 3)], name="Advice")
    presentation = client.ok(
        "POST",
        f"{base}/meetings",
        {
            "kind": "mt_presentation",
            "date": "2026-10-20",
            "start_time": "09:30",
            "duration_minutes": 60,
            "place": "Boardroom",
            "agenda": ["The services", "Questions"],
            "notes": "The CFO asked about speed.",
            "decisions": ["Advice answers within two days."],
        },
    )
    client.ok(
        "POST",
        f"{base}/services/{advice['id']}/feedback",
        {"text": "Faster please.", "author_name": "CFO", "meeting_id": presentation["id"]},
    )
    grievance = client.ok(
        "POST", f"{base}/intake/grievances", {"text": "Nobody listens.", "anonymous": True}
    )
    heard = client.ok(
        "POST",
        f"{base}/actions",
        {"grievance_id": grievance["id"], "owner_ids": [carla["id"]], "due_date": "2026-12-15"},
    )
    client.ok(
        "PATCH",
        f"{base}/actions/{heard['id']}",
        {"status": "done", "status_by_id": bram["id"]},
        headers={"If-Match": f'"v{heard["version"]}"'},
    )
    meeting = client.ok(
        "POST",
        f"{base}/meetings",
        {
            "kind": "joint",
            "date": "2026-11-01",
            "topic": "Budget",
            "attendees": [{"participant_id": anna["id"], "layer": "team"}],
            "ground_rules": ["Speak for yourself"],
        },
    )
    client.ok("POST", f"{base}/meetings/{meeting['id']}/commitments", {"text": "Share the budget."})
    later = client.ok(
        "POST",
        f"{base}/meetings",
        {"kind": "evaluation", "date": "2026-12-01", "attendees": [{"participant_id": anna["id"]}]},
    )
    client.ok(
        "POST",
        f"{base}/meetings/{later['id']}/action-reports",
        {"participant_id": anna["id"], "text": "I shared what I knew."},
    )
    agreement = client.ok(
        "POST",
        f"{base}/agreements",
        {
            "participant_id": anna["id"],
            "competence_id": fb["id"],
            "target_level": 3,
            "coach_id": carla["id"],
            "due_date": "2027-06-30",
            "meeting_id": meeting["id"],
        },
    )
    client.ok(
        "POST",
        f"{base}/agreements/{agreement['id']}/check-ins",
        {"participant_id": bram["id"], "status": "on_track", "date": "2026-11-20"},
    )
    # Coached from outside the team: by an external coach, and by a training.
    for who, target, coaching in (
        (bram, 2, {"external_coach": {"name": "Ineke de Vries", "organisation": "Coachbureau"}}),
        (
            anna,
            2,
            {
                "training": {
                    "title": "Feedback geven",
                    "provider": "Academie West",
                    "starts_on": "2027-02-01",
                    "ends_on": None,
                }
            },
        ),
    ):
        client.ok(
            "POST",
            f"{base}/agreements",
            {
                "participant_id": who["id"],
                "competence_id": fb["id"],
                "target_level": target,
                "due_date": "2027-06-30",
                **coaching,
            },
        )
    theme = client.ok(
        "POST", "/api/v1/themes", {"name": "Trust", "steps": [{"title": "One"}, {"title": "Two"}]}
    )
    client.ok("POST", f"{base}/themes", {"theme_id": theme["id"]})
    client.ok(
        "PUT",
        f"{base}/themes/{theme['id']}/progress/{anna['id']}",
        {"steps_done": [theme["steps"][0]["id"]]},
    )
    return project, {"anna": anna, "bram": bram, "carla": carla}


def user(api: ApiClient, role: str = "viewer", **fields: Any) -> dict[str, Any]:
    """An invited user (not signed in yet)."""
    body = {"email": f"{uuid.uuid4().hex[:10]}@example.nl", "display_name": "Someone"}
    return api.ok("POST", "/api/v1/users", {**body, "role": role, **fields})
