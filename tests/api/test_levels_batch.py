"""PUT /projects/{id}/matrix/levels: many cells at once, validated as a whole, all or nothing,
each real change kept in the history, the batch audited as one change, in bulk."""

from collections import Counter
from uuid import uuid4

import pytest

from tests import builders
from tests.client import assert_problem

# The production default of MAX_BODY_BYTES (api/settings.py); the suite runs with 64 KiB.
PRODUCTION_BODY_LIMIT = 1024 * 1024


@pytest.fixture
def production_body_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", PRODUCTION_BODY_LIMIT)


@pytest.fixture
def team(client):
    """A project in competence_mapping with nothing rated yet."""
    return builders.coached_team(client, "competence_mapping", rated=False, wish=False)


def cell(participant, competence, level=2, source="self"):
    return {
        "participant_id": participant["id"],
        "competence_id": competence["id"],
        "level": level,
        "source": source,
    }


def put(client, team, levels):
    return client.put(f"{team.base}/matrix/levels", {"levels": levels})


def matrix_cells(client, team):
    """Every rated cell as {(participant_id, competence_id): (level, source)}."""
    matrix = client.ok("GET", f"{team.base}/matrix")
    return {
        (p["id"], cid): (c["level"], c["source"])
        for p in matrix["participants"]
        for cid, c in p["levels"].items()
    }


def history(client, team):
    return client.ok("GET", f"{team.base}/matrix/history", query_string={"page_size": 100})


def warm_key(app, client, team):
    """Verify the key afresh now, so the next request finds it in the cache (5 s)."""
    app.extensions["od"].key_cache.clear()
    client.ok("GET", f"/api/v1/projects/{team.project['id']}")


def test_levels_cannot_be_set_before_competence_mapping(client):
    project, members = builders.project_in(client, "service_definition")
    skill = builders.competence(client)

    refused = assert_problem(
        client.put(
            f"/api/v1/projects/{project['id']}/matrix/levels",
            {"levels": builders.cells(members, [skill])},
        ),
        409,
    )

    assert refused["code"] == "phase_not_reached"


# --- one invalid cell refuses the batch ----------------------------------------------


def level_five(client, team):
    return cell(team.members[1], team.skill, level=5), "level"


def participant_of_another_project(client, team):
    stranger = builders.participant(client, builders.project(client))
    return cell(stranger, team.skill), "participant_id"


def unknown_competence(client, team):
    return cell(team.members[1], {"id": str(uuid4())}), "competence_id"


def archived_competence(client, team):
    old = builders.competence(client)
    builders.competence(client, parent_id=old["id"])  # in use: retiring archives it
    client.ok("DELETE", f"/api/v1/competences/{old['id']}")
    return cell(team.members[1], old), "competence_id"


def source_agreement(client, team):
    return cell(team.members[1], team.skill, source="agreement"), "source"


def the_same_cell_twice(client, team):
    return cell(team.members[0], team.skill, level=3), "competence_id"


INVALID = [
    level_five,
    participant_of_another_project,
    unknown_competence,
    archived_competence,
    source_agreement,
    the_same_cell_twice,
]


@pytest.mark.parametrize("invalid", INVALID, ids=lambda f: f.__name__)
def test_one_invalid_cell_is_refused_with_its_error_located(client, team, invalid):
    bad, field = invalid(client, team)

    refused = assert_problem(put(client, team, [cell(team.members[0], team.skill), bad]), 422)

    assert list(refused["errors"]) == [f"levels.1.{field}"]


@pytest.mark.parametrize("invalid", INVALID, ids=lambda f: f.__name__)
def test_one_invalid_cell_writes_nothing(client, team, invalid):
    bad, _field = invalid(client, team)

    put(client, team, [cell(team.members[0], team.skill), bad])

    assert (matrix_cells(client, team), history(client, team)) == ({}, [])


def test_every_rule_broken_in_a_batch_is_reported_at_once(client, team):
    stranger = builders.participant(client, builders.project(client))
    batch = [
        cell(team.members[0], team.skill),
        cell(stranger, team.skill),
        cell(team.members[1], {"id": str(uuid4())}),
        cell(team.senior, team.skill, source="agreement"),
        cell(team.members[0], team.skill, level=4),
    ]

    refused = assert_problem(put(client, team, batch), 422)

    assert sorted(refused["errors"]) == [
        "levels.1.participant_id",
        "levels.2.competence_id",
        "levels.3.source",
        "levels.4.competence_id",
    ]


def test_every_malformed_cell_is_reported_at_once(client, team):
    batch = [
        cell(team.members[0], team.skill, level=5),
        {**cell(team.members[1], team.skill), "source": "rumour"},
        cell(team.senior, team.skill, level=-1),
    ]

    refused = assert_problem(put(client, team, batch), 422)

    assert sorted(refused["errors"]) == ["levels.0.level", "levels.1.source", "levels.2.level"]


def test_a_duplicate_cell_names_the_index_it_repeats(client, team):
    batch = [cell(team.members[0], team.skill), cell(team.members[0], team.skill, level=3)]

    refused = assert_problem(put(client, team, batch), 422)

    assert refused["violations"] == [
        {
            "field": "levels.1.competence_id",
            "code": "duplicate",
            "message": refused["errors"]["levels.1.competence_id"][0],
        }
    ]
    assert "index 0" in refused["violations"][0]["message"]


# --- what a valid batch does -----------------------------------------------------------


def test_a_mixed_batch_counts_created_updated_and_unchanged(client, team):
    anna, bram = team.members
    other = builders.competence(client)
    builders.set_levels(client, team.project, [cell(anna, team.skill), cell(bram, team.skill)])

    result = builders.set_levels(
        client,
        team.project,
        [cell(anna, team.skill), cell(bram, team.skill, level=3), cell(anna, other, level=1)],
    )

    assert result == {"created": 1, "updated": 1, "unchanged": 1}


def test_a_mixed_batch_leaves_the_matrix_as_sent(client, team):
    anna, bram = team.members
    other = builders.competence(client)
    builders.set_levels(client, team.project, [cell(anna, team.skill), cell(bram, team.skill)])

    builders.set_levels(
        client,
        team.project,
        [cell(anna, team.skill), cell(bram, team.skill, level=3), cell(anna, other, level=1)],
    )

    assert matrix_cells(client, team) == {
        (anna["id"], team.skill["id"]): (2, "self"),
        (bram["id"], team.skill["id"]): (3, "self"),
        (anna["id"], other["id"]): (1, "self"),
    }


def test_an_unchanged_cell_writes_no_history(client, team):
    builders.set_levels(client, team.project, [cell(team.members[0], team.skill)])

    builders.set_levels(client, team.project, [cell(team.members[0], team.skill)])

    assert len(history(client, team)) == 1


def test_a_changed_source_alone_is_an_update(client, team):
    builders.set_levels(client, team.project, [cell(team.members[0], team.skill)])

    result = builders.set_levels(
        client, team.project, [cell(team.members[0], team.skill, source="peer")]
    )

    assert result == {"created": 0, "updated": 1, "unchanged": 0}
    assert matrix_cells(client, team) == {(team.members[0]["id"], team.skill["id"]): (2, "peer")}


def test_a_changed_source_alone_is_kept_in_the_history(client, team):
    builders.set_levels(client, team.project, [cell(team.members[0], team.skill)])

    builders.set_levels(client, team.project, [cell(team.members[0], team.skill, source="peer")])

    assert [(h["previous_level"], h["level"], h["source"]) for h in history(client, team)] == [
        (None, 2, "self"),
        (2, 2, "peer"),
    ]


def test_a_batch_is_audited_as_one_change_of_the_matrix(client, team):
    builders.set_levels(client, team.project, builders.cells(team.members, [team.skill]))

    trail = builders.audit_trail(client, entity_type="matrix")

    assert [(r["action"], r["entity_id"]) for r in trail] == [("set_levels", team.project["id"])]


def test_the_cells_of_a_batch_leave_no_audit_records_of_their_own(client, team):
    builders.set_levels(client, team.project, builders.cells(team.members, [team.skill]))

    assert builders.audit_trail(client, entity_type="level") == []


def test_a_batch_that_changes_nothing_is_not_audited(client, team):
    builders.set_levels(client, team.project, builders.cells(team.members, [team.skill]))

    builders.set_levels(client, team.project, builders.cells(team.members, [team.skill]))

    assert len(builders.audit_trail(client, entity_type="matrix")) == 1


# --- large batches -----------------------------------------------------------------------


@pytest.fixture
def crowd(client, team):
    """50 more participants and 100 competences in the team's project."""
    participants = builders.many_participants(client, team.project, 50)
    competences = [builders.competence(client) for _ in range(100)]
    return participants, competences


def test_a_batch_of_5000_cells_is_applied(client, team, crowd, production_body_limit):
    participants, competences = crowd

    result = builders.set_levels(client, team.project, builders.cells(participants, competences))

    assert result == {"created": 5000, "updated": 0, "unchanged": 0}
    assert len(matrix_cells(client, team)) == 5000


def test_the_statements_of_a_batch_do_not_grow_with_its_size(
    app, client, team, crowd, count_statements, production_body_limit
):
    participants, competences = crowd
    first = participants[0]
    builders.set_levels(client, team.project, builders.cells([first], competences[:50], level=1))
    warm_key(app, client, team)
    with count_statements() as small:  # 100 cells: 50 changed, 50 new
        builders.set_levels(client, team.project, builders.cells([first], competences, level=2))

    warm_key(app, client, team)
    with count_statements() as large:  # 5,000 cells: 100 changed, 4,900 new
        builders.set_levels(
            client, team.project, builders.cells(participants, competences, level=3)
        )

    assert large.count == small.count


def test_a_batch_is_written_in_bulk_statements(
    app, client, team, crowd, count_statements, production_body_limit
):
    participants, competences = crowd
    builders.set_levels(client, team.project, builders.cells(participants[:1], competences))
    warm_key(app, client, team)

    with count_statements() as counter:  # 100 changed cells, 4,900 new ones
        builders.set_levels(
            client, team.project, builders.cells(participants, competences, level=3)
        )

    verbs = Counter(s.split()[0].upper() for s in counter.statements)
    # New levels, their history and one audit record; the changed levels in one go; the
    # change's event, numbered in the workspace's stream by the same statement (the
    # outbox, at commit; on PostgreSQL a WITH that takes the stream's counter first).
    assert (verbs["INSERT"] + verbs["WITH"], verbs["UPDATE"]) == (4, 1)


def test_the_largest_documented_batch_fits_the_default_body_limit(
    client, team, production_body_limit
):
    strangers = [{"id": str(uuid4())} for _ in range(500)]
    fake = [{"id": str(uuid4())} for _ in range(100)]

    response = put(client, team, builders.cells(strangers, fake))

    assert response.status_code == 422  # read and validated (the ids are unknown)
