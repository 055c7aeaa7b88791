"""No N+1: a read costs the same few SQL statements whether there are 10 or 200 of a thing.

Each test makes one warm-up request right before counting, so the API key is verified
and remembered (the key cache keeps it for a few seconds) and only the read is counted.
A list is read a full page at a time in both sizes (``page_size`` 10 of 10, 100 of
200): a page that holds the whole collection skips counting it, one statement less
whatever the size, which is not what these tests are about.
"""

from dataclasses import dataclass, field

import pytest

from tests import builders
from tests.client import ApiClient

SMALL, LARGE = 10, 200
MOST_STATEMENTS_PER_READ = 8
MAX_PAGE_SIZE = 100


@dataclass
class Story:
    """An organisation with one team and one project, grown through the API."""

    client: ApiClient
    organisation_id: str
    team_id: str
    project_id: str
    people: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    projects: int = 1
    services: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    measured: int = 0
    survey: str | None = None
    questions: list[str] = field(default_factory=list)
    actions: int = 0

    @classmethod
    def start(cls, client: ApiClient) -> "Story":
        organisation = builders.organisation(client)
        team = builders.team(client, organisation["id"])
        project = builders.project(client, organisation["id"], team["id"])
        return cls(client, organisation["id"], team["id"], project["id"])

    def grow_people(self, to: int) -> None:
        """People of the team, all made in one HRIS sync request."""
        made = builders.hris_people(
            self.client,
            self.organisation_id,
            to - len(self.people),
            start=len(self.people) + 1,
            team_id=self.team_id,
        )
        self.people += [r["id"] for r in made]

    def grow_participants(self, to: int, rated: bool = False) -> None:
        """Participants of the project (each a person of the team), rated if asked."""
        self.grow_people(max(to, len(self.people)))
        base = f"/api/v1/projects/{self.project_id}"
        for person_id in self.people[len(self.participants) : to]:
            participant = self.client.ok(
                "POST", f"{base}/participants", {"person_id": person_id, "roles": ["member"]}
            )
            self.participants.append(participant["id"])
            if rated:
                self.client.ok(
                    "PUT",
                    f"{base}/intake/readiness/{participant['id']}",
                    {"desire": 4, "energy": 3, "feasibility": 4},
                    status=201,
                )

    def grow_measured_services(self, to: int) -> None:
        """Services with an indicator each, the first service's measured ``to`` times."""
        base = f"/api/v1/projects/{self.project_id}"
        if not self.services:
            project = self.client.ok("GET", base)
            builders.ready_intake(self.client, project)
            builders.move(self.client, project, "service_definition")
        while len(self.services) < to:
            made = self.client.ok(
                "POST",
                f"{base}/services",
                {"name": f"Service {len(self.services)}", "indicators": ["Satisfaction"]},
            )
            self.services.append(made["id"])
            indicator = self.client.ok("GET", f"{base}/services/{made['id']}/indicators")[0]
            self.indicators.append(indicator["id"])
        first = f"{base}/services/{self.services[0]}/indicators/{self.indicators[0]}"
        while self.measured < to:
            self.measured += 1
            self.client.ok(
                "POST",
                f"{first}/measurements",
                {"value": self.measured, "date": f"2026-01-{1 + self.measured % 28:02d}"},
            )

    def grow_answered_survey(self, to: int) -> None:
        """A survey with a scale and an open question, answered by ``to`` participants."""
        base = f"/api/v1/projects/{self.project_id}/surveys"
        if self.survey is None:
            questions = [{"kind": "scale", "text": "Trust?"}, {"kind": "open", "text": "Why?"}]
            made = self.client.ok("POST", base, {"title": "Pulse", "questions": questions})
            self.survey, self.questions = made["id"], [q["id"] for q in made["questions"]]
        answered = len(self.participants)
        self.grow_participants(to)
        for participant_id in self.participants[answered:]:
            self.client.ok(
                "POST",
                f"{base}/{self.survey}/responses",
                {
                    "participant_id": participant_id,
                    "answers": [
                        {"question_id": self.questions[0], "value": 1 + len(self.participants) % 5},
                        {"question_id": self.questions[1], "text": f"Because {participant_id}"},
                    ],
                },
            )

    def grow_actions(self, to: int) -> None:
        """Overdue actions of the project, each owned by its first participant."""
        self.grow_participants(max(1, len(self.participants)))
        base = f"/api/v1/projects/{self.project_id}/actions"
        for n in range(self.actions, to):
            self.client.ok(
                "POST",
                base,
                {
                    "text": f"Action {n}",
                    "owner_ids": self.participants[:1],
                    "due_date": "2020-01-01",
                },
            )
        self.actions = to

    def grow_projects(self, to: int) -> None:
        for _ in range(to - self.projects):
            builders.project(self.client, self.organisation_id, self.team_id)
        self.projects = to


def full_page(size: int) -> int:
    return min(size, MAX_PAGE_SIZE)


def statements_of(client: ApiClient, count_statements, path: str) -> int:
    client.ok("GET", path)  # warm-up
    with count_statements() as counter:
        client.ok("GET", path)
    return counter.count


# The reads under test: how to grow the data they show, and the path to read at a size.
READS = {
    "list people": (
        Story.grow_people,
        lambda s, n: f"/api/v1/organisations/{s.organisation_id}/people?page_size={full_page(n)}",
    ),
    "get person": (Story.grow_people, lambda s, n: f"/api/v1/people/{s.people[0]}"),
    "list projects": (
        Story.grow_projects,
        lambda s, n: f"/api/v1/projects?page_size={full_page(n)}",
    ),
    "get project": (Story.grow_participants, lambda s, n: f"/api/v1/projects/{s.project_id}"),
    "list participants": (
        Story.grow_participants,
        lambda s, n: f"/api/v1/projects/{s.project_id}/participants?page_size={full_page(n)}",
    ),
    "list actions": (
        Story.grow_actions,
        lambda s, n: f"/api/v1/projects/{s.project_id}/actions?page_size={full_page(n)}",
    ),
    "list an owner's overdue actions": (
        Story.grow_actions,
        lambda s, n: (
            f"/api/v1/projects/{s.project_id}/actions?page_size={full_page(n)}"
            f"&owner_id={s.participants[0]}&overdue=true&status=open"
        ),
    ),
    "change feed": (
        Story.grow_people,
        lambda s, n: f"/api/v1/changes?limit={full_page(n)}&organisation_id={s.organisation_id}",
    ),
    "project reminders": (
        Story.grow_participants,
        lambda s, n: f"/api/v1/projects/{s.project_id}/reminders",
    ),
    "intake overview": (
        lambda s, n: s.grow_participants(n, rated=True),
        lambda s, n: f"/api/v1/projects/{s.project_id}/intake",
    ),
    "list services": (
        Story.grow_measured_services,
        lambda s, n: f"/api/v1/projects/{s.project_id}/services?page_size={full_page(n)}",
    ),
    "list measurements": (
        Story.grow_measured_services,
        lambda s, n: (
            f"/api/v1/projects/{s.project_id}/services/{s.services[0]}/indicators/"
            f"{s.indicators[0]}/measurements?page_size={full_page(n)}"
        ),
    ),
    "list indicators": (
        Story.grow_measured_services,
        lambda s, n: f"/api/v1/projects/{s.project_id}/services/{s.services[0]}/indicators",
    ),
    "survey results": (
        Story.grow_answered_survey,
        lambda s, n: f"/api/v1/projects/{s.project_id}/surveys/{s.survey}/results",
    ),
    "readiness rounds": (
        lambda s, n: s.grow_participants(n, rated=True),
        lambda s, n: f"/api/v1/projects/{s.project_id}/intake/readiness/rounds",
    ),
}


@pytest.mark.parametrize("read", list(READS))
def test_a_read_costs_as_many_statements_for_200_as_for_10(client, count_statements, read):
    grow, path = READS[read]
    story = Story.start(client)
    grow(story, SMALL)
    small = statements_of(client, count_statements, path(story, SMALL))

    grow(story, LARGE)
    large = statements_of(client, count_statements, path(story, LARGE))

    assert large == small


@pytest.mark.parametrize("read", READS)
def test_a_read_costs_at_most_eight_statements(client, count_statements, read):
    grow, path = READS[read]
    story = Story.start(client)
    grow(story, SMALL)

    assert statements_of(client, count_statements, path(story, SMALL)) <= MOST_STATEMENTS_PER_READ


# The effect reads one statement per kind of measure (readiness and its rounds, pulse
# answers, measurements, the level history and the matrix, the services and their needs):
# more than the eight of a plain read, but as many for 200 of each as for 10.
EFFECT_STATEMENTS = 14


def test_the_effect_costs_as_many_statements_for_200_as_for_10(client, count_statements):
    story = Story.start(client)
    path = f"/api/v1/projects/{story.project_id}/effect"
    story.grow_measured_services(SMALL)
    story.grow_answered_survey(SMALL)
    small = statements_of(client, count_statements, path)

    story.grow_measured_services(LARGE)
    story.grow_answered_survey(LARGE)
    large = statements_of(client, count_statements, path)

    assert large == small <= EFFECT_STATEMENTS


def test_a_remembered_key_costs_no_statement_and_a_forgotten_one_costs_one(
    app, client, count_statements
):
    story = Story.start(client)
    path = f"/api/v1/projects/{story.project_id}"
    warm = statements_of(client, count_statements, path)

    app.extensions["od"].key_cache.clear()
    with count_statements() as cold:
        client.ok("GET", path)

    assert cold.count == warm + 1
