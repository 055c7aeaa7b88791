"""No N+1 in the competence matrix and what is derived from it: GET /matrix, the team
view, /dependencies and /priorities cost the same few SQL statements for a team of 10
rated on 10 competences as for 200 rated on 100 (20,000 cells); so do a participant's own
reads (their row, their history, the team view), signed in through the OpenID provider.

Before counting, the API key is verified afresh with a cheap request, so the key cache
(5 s) holds it and only the read itself is counted.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests import builders
from tests.client import ApiClient

SMALL = (10, 10)  # participants, competences
LARGE = (200, 100)
MOST_STATEMENTS_PER_READ = 8
COMPETENCES_PER_SERVICE = 10
READS = ("matrix", "matrix/team", "dependencies", "priorities")
OWN_READS = ("matrix", "matrix/history", "matrix/team")  # a participant's, of their own


@pytest.fixture
def large_bodies(app, monkeypatch):
    """Room for 20,000 cells in one PUT (about 3 MB; the suite allows 64 KiB)."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 8 * 1024 * 1024)


@dataclass
class Grid:
    """A project in competence_mapping grown through the API: participants rated on every
    competence, services each needing ten of them, and wishes."""

    client: ApiClient
    project: dict[str, Any]
    participants: list[dict[str, Any]]
    competences: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def start(cls, client: ApiClient) -> "Grid":
        project, members = builders.project_in(client, "service_definition")
        grid = cls(client, project, members)
        grid._add_competences(COMPETENCES_PER_SERVICE)
        builders.move(client, project, "competence_mapping")
        return grid

    @property
    def base(self) -> str:
        return f"/api/v1/projects/{self.project['id']}"

    def grow(self, participants: int, competences: int) -> None:
        """Grow to this size: the new participants and competences rated in one batch, and a
        wish for every tenth new participant."""
        old = len(self.participants), len(self.competences)
        self.participants += builders.many_participants(
            self.client, self.project, participants - old[0], start=old[0] + 1
        )
        self._add_competences(competences - old[1])
        new_cells = [
            {
                "participant_id": p["id"],
                "competence_id": c["id"],
                "level": (i + j) % 5,
                "source": "self",
            }
            for i, p in enumerate(self.participants)
            for j, c in enumerate(self.competences)
            if i >= old[0] or j >= old[1]
        ]
        result = builders.set_levels(self.client, self.project, new_cells)
        assert result["created"] == len(new_cells) == participants * competences - old[0] * old[1]
        for i in range(old[0], participants, 10):
            self.client.ok(
                "POST",
                f"{self.base}/wishes",
                {
                    "participant_id": self.participants[i]["id"],
                    "competence_id": self.competences[i % competences]["id"],
                },
            )

    def _add_competences(self, how_many: int) -> None:
        """New competences, and a service (delivered by two participants) per ten of them."""
        made = [builders.competence(self.client) for _ in range(how_many)]
        self.competences += made
        for i in range(0, len(made), COMPETENCES_PER_SERVICE):
            needs = [(c, 2 + n % 2) for n, c in enumerate(made[i : i + COMPETENCES_PER_SERVICE])]
            builders.service(self.client, self.project, self.participants[:2], needs=needs)

    def statements(self, app, count_statements, read: str, caller=None, **query) -> int:
        caller = caller or self.client
        app.extensions["od"].key_cache.clear()
        caller.ok("GET", self.base)  # the key (or token) verified now, and remembered
        with count_statements() as counter:
            caller.ok("GET", f"{self.base}/{read}", query_string=query)
        return counter.count

    def own_reads(self, app, count_statements, participant) -> dict[str, int]:
        """What the participant's own reads cost: their row, their history, the team view."""
        mine = {"participant_id": self.participants[0]["id"]}
        return {
            read: self.statements(app, count_statements, read, participant, **mine)
            for read in OWN_READS
        }


def test_the_matrix_reads_cost_as_many_statements_for_200_by_100_as_for_10_by_10(
    app, client, workspace, oidc, count_statements, large_bodies
):
    grid = Grid.start(client)
    grid.grow(*SMALL)
    participant = workspace.user(oidc, "participant", grid.participants[0]["person_id"])
    small = {read: grid.statements(app, count_statements, read) for read in READS}
    small_own = grid.own_reads(app, count_statements, participant)

    grid.grow(*LARGE)
    large = {read: grid.statements(app, count_statements, read) for read in READS}
    large_own = grid.own_reads(app, count_statements, participant)

    assert large == small
    assert large_own == small_own
    # A participant's read costs one statement more than a key's: which projects are theirs.
    assert all(n <= MOST_STATEMENTS_PER_READ + 1 for n in large_own.values()), large_own


@pytest.mark.parametrize("read", READS)
def test_a_matrix_read_costs_at_most_eight_statements(app, client, count_statements, read):
    grid = Grid.start(client)
    grid.grow(*SMALL)

    assert grid.statements(app, count_statements, read) <= MOST_STATEMENTS_PER_READ
