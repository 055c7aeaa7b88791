"""The floors the large-reads and bulk-import rows divide by: the same work done with the
least machinery the schema allows (a bare DBAPI cursor; SQLAlchemy Core executemany).

A ratio against such a floor says how much the layers above cost, independent of the
machine the bench runs on.
"""

from __future__ import annotations

import gc
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert

from repositories import tables


def matrix_floor(engine: Engine, project_id: str) -> tuple[float, int]:
    """Seconds to fetch a project's level cells with a plain cursor and ``json.dumps`` them
    in the matrix's shape (a row per participant, a cell per competence); answers the
    seconds and the body's size. The matrix's small parts (the scale, the competence and
    service lists, names) are left out: the cells are nearly all of the document."""
    sqlite = engine.dialect.name == "sqlite"
    key = uuid.UUID(project_id).hex if sqlite else uuid.UUID(project_id)
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    texts: dict[Any, str] = {}

    def as_text(value: Any) -> str:
        # SQLite keeps UUIDs as 32 hex digits, psycopg answers UUID objects: either way
        # the document shows the dashed form, converted once per distinct id.
        if value not in texts:
            texts[value] = str(uuid.UUID(hex=value) if isinstance(value, str) else value)
        return texts[value]

    connection = engine.raw_connection()
    # The floor is the least the work can cost, so no collector pass lands inside it: on
    # PostgreSQL the driver's 40,000 UUID objects set off full collections that slowed
    # the floor and flattered the ratio.
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        cursor = connection.cursor()
        cursor.execute(
            "SELECT participant_id, competence_id, level, source FROM levels "
            f"WHERE project_id = {mark}",
            (key,),
        )
        rows: dict[str, dict] = {}
        for participant, competence, level, source in cursor.fetchall():
            pid = as_text(participant)
            row = rows.get(pid)
            if row is None:
                row = rows[pid] = {"id": pid, "levels": {}}
            row["levels"][as_text(competence)] = {"level": level, "source": source}
        body = json.dumps({"project_id": project_id, "participants": list(rows.values())})
        elapsed = time.perf_counter() - started
        cursor.close()
    finally:
        gc.enable()
        connection.close()
    return elapsed, len(body)


def _now() -> datetime:
    return datetime.now(UTC)


def _entity(workspace_id: uuid.UUID, **fields: Any) -> dict[str, Any]:
    now = _now()
    return {
        "id": uuid.uuid4(),
        "workspace_id": workspace_id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        **fields,
    }


def import_floor(
    engine: Engine, people: int, participants: int, competences: int
) -> dict[str, float]:
    """Seconds to insert ``people`` people, then a ``participants`` × ``competences`` level
    matrix with its history rows, by Core ``executemany`` in one transaction each (as the
    two imports are two requests). ``engine`` is a freshly migrated, empty database; the
    rows the imports presuppose (workspace, project, competences, participants) are
    inserted untimed, and every row is built before the clock starts."""
    workspace_id = uuid.uuid4()
    organisation = _entity(workspace_id, name="Organisation")
    team = _entity(workspace_id, organisation_id=organisation["id"], name="Team")
    project = _entity(
        workspace_id,
        organisation_id=organisation["id"],
        team_id=team["id"],
        name="Project",
        description="",
        phase="competence_mapping",
    )
    skills = [
        _entity(workspace_id, code=f"C-{i}", name=f"Skill {i}", description="")
        for i in range(competences)
    ]
    with engine.begin() as connection:
        connection.execute(
            insert(tables.workspaces), {"id": workspace_id, "name": "Bench", "created_at": _now()}
        )
        connection.execute(insert(tables.organisations), organisation)
        connection.execute(insert(tables.teams), team)
        connection.execute(insert(tables.projects), project)
        connection.execute(insert(tables.competences), skills)

    people_rows = [
        _entity(
            workspace_id,
            organisation_id=organisation["id"],
            external_id=f"E-{i}",
            name=f"Employee {i}",
            email=f"employee{i}@example.nl",
            active=True,
        )
        for i in range(people)
    ]
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(insert(tables.people), people_rows)
    people_seconds = time.perf_counter() - started

    members = [
        _entity(workspace_id, project_id=project["id"], person_id=person["id"], roles=["member"])
        for person in people_rows[:participants]
    ]
    with engine.begin() as connection:
        connection.execute(insert(tables.participants), members)
    cells, history = [], []
    for i, member in enumerate(members):
        for j, skill in enumerate(skills):
            where = {
                "project_id": project["id"],
                "participant_id": member["id"],
                "competence_id": skill["id"],
                "level": (i + j) % 5,
                "source": "import",
            }
            cells.append(_entity(workspace_id, **where))
            history.append(
                {
                    "id": uuid.uuid4(),
                    "workspace_id": workspace_id,
                    "previous_level": None,
                    "actor_id": None,
                    "created_at": _now(),
                    **where,
                }
            )
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(insert(tables.levels), cells)
        connection.execute(insert(tables.level_history), history)
    levels_seconds = time.perf_counter() - started
    return {"people_seconds": people_seconds, "levels_seconds": levels_seconds}
