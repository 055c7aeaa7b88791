"""Reading a project document (the shape ``/projects/{id}/export`` gives) into a workspace.

Every part is matched by its natural key and created, updated or left unchanged, so the
same document twice changes nothing the second time, and an export read into an empty
workspace exports again as the same document. The document's form was checked by the
caller; here each reference (a person's ref, a competence's code, a meeting's ref) is
resolved, and each that resolves to nothing is reported at its JSON pointer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.actions import Action, ActionStatus
from domain.base import E, utcnow
from domain.competences import Competence
from domain.development import (
    Agreement,
    AgreementStatus,
    CheckIn,
    CheckInStatus,
    ExternalCoach,
    Training,
    coaching_columns,
    coaching_violation,
)
from domain.errors import entity_name
from domain.imports import Outcome, Tally
from domain.indicators import Measurement
from domain.intake import (
    BASELINE_ROUND,
    Conclusion,
    Finding,
    Grievance,
    ReadinessRating,
    ReadinessRound,
)
from domain.matrix import DevelopmentWish, Level, LevelChange, LevelSource
from domain.meetings import ActionReport, Attendee, Commitment, Meeting, MeetingKind
from domain.organisations import Organisation, Person, Team
from domain.phases import Phase
from domain.ports import Repository, UnitOfWork
from domain.projects import Participant, ParticipantRole, PhaseTransition, Project
from domain.pulse import PulseSurvey, Question, QuestionKind, RoundAnswers, Topic
from domain.service_definition import (
    Contribution,
    FeedbackStatus,
    ManagementFeedback,
    RequiredCompetence,
    Service,
)
from domain.services.row_imports import Batch
from domain.texts import _
from domain.themes import ProjectTheme, Step, Theme


class DocumentReader:
    """One document read into one unit of work; ``tally`` collects outcomes and problems."""

    def __init__(self, uow: UnitOfWork, tally: Tally) -> None:
        self.uow, self.tally = uow, tally
        self.people: dict[str, UUID] = {}  # ref → person id
        self.participants: dict[str, UUID] = {}  # ref → participant id
        self.competences: dict[str, UUID] = {}  # code → id
        self.themes: dict[str, Theme] = {}
        self.meetings: dict[str, UUID] = {}  # ref → id
        self.commitments: dict[str, UUID] = {}  # ref → id
        # The project's findings and grievances by text, once read (actions name them).
        self.sources: tuple[dict[str, UUID], dict[str, UUID]] | None = None

    # --- the one mechanism: match, then create, update or leave ---------------------

    def upsert(
        self,
        repository: Repository[E],
        kind: str,
        key: str,
        index: int,
        existing: E | None,
        make: type[E],
        identity: dict[str, Any],
        **values: Any,
    ) -> E:
        """One record, written at once: what follows in the document refers to its id."""
        batch = Batch(repository)
        entity, outcome = batch.upsert(existing, make, identity, **values)
        batch.write()
        self.tally.add(index, kind, key, outcome)
        return entity

    def ref(
        self, table: dict[str, UUID], value: str | None, pointer: str, what: str
    ) -> UUID | None:
        """Resolve a reference, or report it at ``pointer``; ``None`` stays ``None``."""
        if value is None:
            return None
        found = table.get(value)
        if found is None:
            self.tally.problem(
                pointer,
                "",
                _("No {entity} '{value}' in the document.", entity=entity_name(what), value=value),
                "unknown_ref",
            )
        return found

    # --- the parts, in the order they refer to each other ------------------------------

    def read(self, doc: dict[str, Any]) -> Project | None:
        organisation = self.organisation(doc["organisation"])
        teams = self.teams(organisation.id, doc.get("teams", []))
        self.persons(organisation.id, teams, doc.get("people", []))
        self.competence_catalogue(doc.get("competences", []))
        self.theme_catalogue(doc.get("themes", []))
        if self.tally.problems:
            return None  # the rest would only repeat what is already reported
        project = self.project(organisation.id, teams, doc["project"])
        if project is None:
            return None
        p = doc["project"]
        self.participations(project.id, p.get("participants", []))
        if self.tally.problems:
            return None
        self.transitions(project.id, p.get("transitions", []))
        self.intake(project.id, p.get("intake") or {})
        # Meetings before services: MT feedback names the presentation it came from.
        self.meeting_records(project.id, p.get("meetings", []))
        self.actions(project.id, p.get("actions", []))
        self.services(project.id, p.get("services", []))
        self.levels(project.id, p.get("levels", []), p.get("level_history", []))
        self.wishes(project.id, p.get("wishes", []))
        self.agreements(project.id, p.get("agreements", []))
        self.theme_progress(project.id, p.get("themes", []))
        self.surveys(project.id, p.get("surveys", []))
        return project

    def organisation(self, data: dict[str, Any]) -> Organisation:
        uow = self.uow
        existing = uow.organisations.find_by(name=data["name"])
        return self.upsert(
            uow.organisations,
            "organisation",
            data["name"],
            0,
            existing,
            Organisation,
            {"name": data["name"]},
        )

    def teams(self, organisation_id: UUID, items: list[dict[str, Any]]) -> dict[str, UUID]:
        stored = {t.name: t for t in self.uow.teams.all(organisation_id=organisation_id)}
        for index, item in enumerate(items):
            name = item["name"]
            if name not in stored:
                stored[name] = self.upsert(
                    self.uow.teams,
                    "teams",
                    name,
                    index,
                    None,
                    Team,
                    {"organisation_id": organisation_id, "name": name},
                )
            else:
                self.tally.add(index, "teams", name, Outcome.UNCHANGED)
        return {name: team.id for name, team in stored.items()}

    def persons(
        self, organisation_id: UUID, teams: dict[str, UUID], items: list[dict[str, Any]]
    ) -> None:
        stored = self.uow.people.all(organisation_id=organisation_id)
        by_external = {p.external_id: p for p in stored if p.external_id}
        by_name = {(p.name, p.email): p for p in stored if not p.external_id and not p.erased_at}
        for index, item in enumerate(items):
            pointer = f"/people/{index}"
            team_id = None
            if item.get("team"):
                team_id = teams.get(item["team"])
                if team_id is None:
                    self.tally.problem(
                        pointer,
                        "team",
                        _("No team '{team}' in the document.", team=item["team"]),
                        "unknown_ref",
                    )
                    continue
            values = {
                "name": item.get("name"),
                "email": item.get("email"),
                "active": item.get("active", True),
                "team_id": team_id,
            }
            external_id = item.get("external_id")
            existing = (
                by_external.get(external_id)
                if external_id
                else by_name.get((values["name"], values["email"]))
            )
            if existing is not None and existing.erased_at is not None:
                self.tally.problem(
                    pointer,
                    "external_id",
                    _("This person was erased and cannot be imported again."),
                    "erased",
                )
                continue
            person = self.upsert(
                self.uow.people,
                "people",
                item["ref"],
                index,
                existing,
                Person,
                {"organisation_id": organisation_id, "external_id": external_id},
                **values,
            )
            if item["ref"] in self.people:
                self.tally.problem(
                    pointer, "ref", _("This ref is already in the document."), "duplicate"
                )
            self.people[item["ref"]] = person.id

    def competence_catalogue(self, items: list[dict[str, Any]]) -> None:
        stored = {c.code: c for c in self.uow.competences.all()}
        self.competences = {code: c.id for code, c in stored.items()}
        for index, item in enumerate(items):
            parent_id = self.ref(
                self.competences, item.get("parent"), f"/competences/{index}/parent", "competence"
            )
            if item.get("parent") and parent_id is None:
                continue
            existing = stored.get(item["code"])
            archived_at = (
                (existing.archived_at if existing and existing.archived_at else utcnow())
                if item.get("archived")
                else None
            )
            values = {
                "name": item["name"],
                "description": item.get("description") or "",
                "parent_id": parent_id,
                "archived_at": archived_at,
            }
            competence = self.upsert(
                self.uow.competences,
                "competences",
                item["code"],
                index,
                existing,
                Competence,
                {"code": item["code"]},
                **values,
            )
            self.competences[item["code"]] = competence.id

    def theme_catalogue(self, items: list[dict[str, Any]]) -> None:
        stored = {t.name: t for t in self.uow.themes.all()}
        for index, item in enumerate(items):
            existing = stored.get(item["name"])
            titles = item.get("steps", [])
            old = {s.title: s for s in existing.steps} if existing else {}
            steps = [old.get(title) or Step(title) for title in titles]
            if existing and [s.title for s in existing.steps] == titles:
                steps = existing.steps
            values = {"description": item.get("description") or "", "steps": steps}
            self.themes[item["name"]] = self.upsert(
                self.uow.themes,
                "themes",
                item["name"],
                index,
                existing,
                Theme,
                {"name": item["name"]},
                **values,
            )

    def project(
        self, organisation_id: UUID, teams: dict[str, UUID], p: dict[str, Any]
    ) -> Project | None:
        team_id = teams.get(p["team"])
        if team_id is None:
            self.tally.problem(
                "/project/team",
                "",
                _("No team '{team}' in the document.", team=p["team"]),
                "unknown_ref",
            )
            return None
        existing = self.uow.projects.find_by(organisation_id=organisation_id, name=p["name"])
        values = {
            "team_id": team_id,
            "description": p.get("description") or "",
            "phase": Phase(p.get("phase", "intake")),
        }
        return self.upsert(
            self.uow.projects,
            "project",
            p["name"],
            0,
            existing,
            Project,
            {"organisation_id": organisation_id, "name": p["name"]},
            **values,
        )

    def participations(self, project_id: UUID, items: list[dict[str, Any]]) -> None:
        stored = {pt.person_id: pt for pt in self.uow.participants.all(project_id=project_id)}
        for index, item in enumerate(items):
            person_id = self.ref(
                self.people, item["person"], f"/project/participants/{index}/person", "person"
            )
            if person_id is None:
                continue
            roles = [ParticipantRole(r) for r in item.get("roles", [])]
            participant = self.upsert(
                self.uow.participants,
                "participants",
                item["person"],
                index,
                stored.get(person_id),
                Participant,
                {"project_id": project_id, "person_id": person_id, "roles": roles},
                roles=roles,
            )
            self.participants[item["person"]] = participant.id

    def who(self, ref: str | None, pointer: str) -> UUID | None:
        return self.ref(self.participants, ref, pointer, "participant")

    def what(self, code: str, pointer: str) -> UUID | None:
        return self.ref(self.competences, code, pointer, "competence")

    def transitions(self, project_id: UUID, items: list[dict[str, Any]]) -> None:
        stored = {
            (t.from_phase, t.to_phase, t.created_at)
            for t in self.uow.transitions.all(project_id=project_id)
        }
        new = []
        for index, item in enumerate(items):
            key = (Phase(item["from"]), Phase(item["to"]), item.get("at") or utcnow())
            outcome = Outcome.UNCHANGED if key in stored else Outcome.CREATED
            if outcome is Outcome.CREATED:
                new.append(
                    PhaseTransition(
                        project_id=project_id,
                        from_phase=key[0],
                        to_phase=key[1],
                        reason=item.get("reason"),
                        actor_id=self.uow.scope.actor_id,
                        created_at=key[2],
                    )
                )
            self.tally.add(index, "transitions", f"{key[0].value}>{key[1].value}", outcome)
        self.uow.transitions.add_many(new)

    def intake(self, project_id: UUID, data: dict[str, Any]) -> None:
        uow = self.uow
        findings = {f.text: f for f in uow.findings.all(project_id=project_id)}
        for index, text in enumerate(data.get("findings", [])):
            self.upsert(
                uow.findings,
                "findings",
                text[:60],
                index,
                findings.get(text),
                Finding,
                {"project_id": project_id, "text": text},
            )
        grievances = {g.text: g for g in uow.grievances.all(project_id=project_id)}
        for index, item in enumerate(data.get("grievances", [])):
            author = self.who(item.get("author"), f"/project/intake/grievances/{index}/author")
            values = {"anonymous": item.get("anonymous", False), "participant_id": author}
            self.upsert(
                uow.grievances,
                "grievances",
                item["text"][:60],
                index,
                grievances.get(item["text"]),
                Grievance,
                {"project_id": project_id, "text": item["text"]},
                **values,
            )
        opened = {r.number: r for r in uow.readiness_rounds.all(project_id=project_id)}
        for index, number in enumerate(data.get("readiness_rounds", [])):
            self.upsert(
                uow.readiness_rounds,
                "readiness_rounds",
                str(number),
                index,
                opened.get(number),
                ReadinessRound,
                {"project_id": project_id, "number": number},
            )
        ratings = {(r.participant_id, r.round): r for r in uow.readiness.all(project_id=project_id)}
        for index, item in enumerate(data.get("readiness", [])):
            participant_id = self.who(item["person"], f"/project/intake/readiness/{index}/person")
            if participant_id is None:
                continue
            values = {k: item[k] for k in ("desire", "energy", "feasibility")}
            round = item.get("round", BASELINE_ROUND)
            self.upsert(
                uow.readiness,
                "readiness",
                item["person"] if round == BASELINE_ROUND else f"{item['person']} (round {round})",
                index,
                ratings.get((participant_id, round)),
                ReadinessRating,
                {"project_id": project_id, "participant_id": participant_id, "round": round},
                **values,
            )
        conclusion = data.get("conclusion")
        if conclusion:
            values = {"ready": conclusion["ready"], "text": conclusion.get("text") or ""}
            self.upsert(
                uow.conclusions,
                "conclusion",
                "conclusion",
                0,
                uow.conclusions.find_by(project_id=project_id),
                Conclusion,
                {"project_id": project_id},
                **values,
            )

    def services(self, project_id: UUID, items: list[dict[str, Any]]) -> None:
        uow = self.uow
        stored = {s.name: s for s in uow.services.all(project_id=project_id)}
        contributions = {
            (c.service_id, c.participant_id): c
            for c in uow.contributions.all(project_id=project_id)
        }
        feedback = {(f.service_id, f.text): f for f in uow.feedback.all(project_id=project_id)}
        measured = {
            (m.service_id, m.indicator, m.date, m.source): m
            for m in uow.measurements.all(project_id=project_id)
        }
        for index, item in enumerate(items):
            pointer = f"/project/services/{index}"
            needs = []
            for n, need in enumerate(item.get("required_competences", [])):
                competence_id = self.what(
                    need["competence"], f"{pointer}/required_competences/{n}/competence"
                )
                if competence_id is not None:
                    needs.append(RequiredCompetence(competence_id, need["level"]))
            values: dict[str, Any] = {
                k: item.get(k) or default
                for k, default in (
                    ("description", ""),
                    ("client_group", ""),
                    ("deliverables", []),
                    ("indicators", []),
                )
            }
            values["required_competences"] = needs
            service = self.upsert(
                uow.services,
                "services",
                item["name"],
                index,
                stored.get(item["name"]),
                Service,
                {"project_id": project_id, "name": item["name"]},
                **values,
            )
            for n, c in enumerate(item.get("contributors", [])):
                participant_id = self.who(c["person"], f"{pointer}/contributors/{n}/person")
                if participant_id is None:
                    continue
                text = c.get("contribution") or ""
                self.upsert(
                    uow.contributions,
                    "contributions",
                    f"{item['name']}/{c['person']}",
                    n,
                    contributions.get((service.id, participant_id)),
                    Contribution,
                    {
                        "project_id": project_id,
                        "service_id": service.id,
                        "participant_id": participant_id,
                        "contribution": text,
                    },
                    contribution=text,
                )
            for n, f in enumerate(item.get("feedback", [])):
                author = self.who(f.get("author"), f"{pointer}/feedback/{n}/author")
                values = {
                    "participant_id": author,
                    "author_name": f.get("author_name"),
                    "status": FeedbackStatus(f.get("status", "open")),
                    "response": f.get("response"),
                    "meeting_id": self.ref(
                        self.meetings,
                        f.get("meeting"),
                        f"{pointer}/feedback/{n}/meeting",
                        "meeting",
                    ),
                }
                self.upsert(
                    uow.feedback,
                    "feedback",
                    f"{item['name']}/{f['text'][:40]}",
                    n,
                    feedback.get((service.id, f["text"])),
                    ManagementFeedback,
                    {"project_id": project_id, "service_id": service.id, "text": f["text"]},
                    **values,
                )
            for n, m in enumerate(item.get("measurements", [])):
                if m["indicator"] not in service.indicators:
                    self.tally.problem(
                        f"{pointer}/measurements/{n}/indicator",
                        "indicator",
                        _("Not one of the service's indicators."),
                        "unknown_ref",
                    )
                    continue
                key = (service.id, m["indicator"], m["date"], m.get("source") or "")
                self.upsert(
                    uow.measurements,
                    "measurements",
                    f"{item['name']}/{m['indicator'][:40]}/{m['date'].isoformat()}",
                    n,
                    measured.get(key),
                    Measurement,
                    {
                        "project_id": project_id,
                        "service_id": service.id,
                        "indicator": m["indicator"],
                        "date": m["date"],
                        "source": key[3],
                    },
                    value=m["value"],
                )

    def levels(
        self, project_id: UUID, items: list[dict[str, Any]], history: list[dict[str, Any]]
    ) -> None:
        uow = self.uow
        stored = {
            (x.participant_id, x.competence_id): x for x in uow.levels.all(project_id=project_id)
        }
        batch = Batch(uow.levels)
        for index, item in enumerate(items):
            pointer = f"/project/levels/{index}"
            participant_id, competence_id = (
                self.who(item["person"], f"{pointer}/person"),
                self.what(item["competence"], f"{pointer}/competence"),
            )
            if participant_id is None or competence_id is None:
                continue
            source = LevelSource(item.get("source", "import"))
            _, outcome = batch.upsert(
                stored.get((participant_id, competence_id)),
                Level,
                {
                    "project_id": project_id,
                    "participant_id": participant_id,
                    "competence_id": competence_id,
                },
                level=item["level"],
                source=source,
            )
            self.tally.add(index, "levels", f"{item['person']}/{item['competence']}", outcome)
        batch.write()
        kept = {
            (h.participant_id, h.competence_id, h.level, h.created_at)
            for h in uow.level_history.all(project_id=project_id)
        }
        entries = []
        for index, item in enumerate(history):
            pointer = f"/project/level_history/{index}"
            participant_id, competence_id = (
                self.who(item["person"], f"{pointer}/person"),
                self.what(item["competence"], f"{pointer}/competence"),
            )
            if participant_id is None or competence_id is None:
                continue
            at: datetime = item.get("at") or utcnow()
            if (participant_id, competence_id, item["level"], at) in kept:
                self.tally.add(
                    index,
                    "level_history",
                    f"{item['person']}/{item['competence']}",
                    Outcome.UNCHANGED,
                )
                continue
            entries.append(
                LevelChange(
                    project_id=project_id,
                    participant_id=participant_id,
                    competence_id=competence_id,
                    level=item["level"],
                    previous_level=item.get("previous_level"),
                    source=LevelSource(item["source"]),
                    actor_id=uow.scope.actor_id,
                    created_at=at,
                )
            )
            self.tally.add(
                index, "level_history", f"{item['person']}/{item['competence']}", Outcome.CREATED
            )
        uow.level_history.add_many(entries)

    def wishes(self, project_id: UUID, items: list[dict[str, Any]]) -> None:
        stored = {
            (w.participant_id, w.competence_id): w
            for w in self.uow.wishes.all(project_id=project_id)
        }
        for index, item in enumerate(items):
            pointer = f"/project/wishes/{index}"
            participant_id, competence_id = (
                self.who(item["person"], f"{pointer}/person"),
                self.what(item["competence"], f"{pointer}/competence"),
            )
            if participant_id is None or competence_id is None:
                continue
            motivation = item.get("motivation") or ""
            self.upsert(
                self.uow.wishes,
                "wishes",
                f"{item['person']}/{item['competence']}",
                index,
                stored.get((participant_id, competence_id)),
                DevelopmentWish,
                {
                    "project_id": project_id,
                    "participant_id": participant_id,
                    "competence_id": competence_id,
                    "motivation": motivation,
                },
                motivation=motivation,
            )

    def meeting_records(self, project_id: UUID, items: list[dict[str, Any]]) -> None:
        uow = self.uow
        stored = {(m.kind, m.date, m.topic): m for m in uow.meetings.all(project_id=project_id)}
        commitments = {
            (c.meeting_id, c.text): c for c in uow.commitments.all(project_id=project_id)
        }
        reports = {
            (r.meeting_id, r.commitment_id, r.participant_id): r
            for r in uow.action_reports.all(project_id=project_id)
        }
        for index, item in enumerate(items):
            pointer = f"/project/meetings/{index}"
            attendees = []
            for n, a in enumerate(item.get("attendees", [])):
                participant_id = self.who(a["person"], f"{pointer}/attendees/{n}/person")
                if participant_id is not None:
                    attendees.append(Attendee(participant_id, a.get("layer")))
            key = (MeetingKind(item["kind"]), item["date"], item.get("topic") or "")
            values = {
                "ground_rules": item.get("ground_rules", []),
                "attendees": attendees,
                "start_time": item.get("start_time"),
                "duration_minutes": item.get("duration_minutes"),
                "place": item.get("place") or "",
                "agenda": item.get("agenda", []),
                "notes": item.get("notes") or "",
                "decisions": item.get("decisions", []),
            }
            meeting = self.upsert(
                uow.meetings,
                "meetings",
                f"{key[0].value} {key[1].isoformat()}",
                index,
                stored.get(key),
                Meeting,
                {"project_id": project_id, "kind": key[0], "date": key[1], "topic": key[2]},
                **values,
            )
            self.meetings[item["ref"]] = meeting.id
            for n, c in enumerate(item.get("commitments", [])):
                values = self.action_values(project_id, c, f"{pointer}/commitments/{n}")
                commitment = self.upsert(
                    uow.commitments,
                    "commitments",
                    c["ref"],
                    n,
                    commitments.get((meeting.id, c["text"])),
                    Commitment,
                    {"project_id": project_id, "meeting_id": meeting.id, "text": c["text"]},
                    **values,
                )
                self.commitments[c["ref"]] = commitment.id
        for index, item in enumerate(items):
            meeting_id = self.meetings[item["ref"]]
            for n, r in enumerate(item.get("action_reports", [])):
                pointer = f"/project/meetings/{index}/action_reports/{n}"
                participant_id = self.who(r["person"], f"{pointer}/person")
                commitment_id = self.ref(
                    self.commitments, r["commitment"], f"{pointer}/commitment", "commitment"
                )
                if participant_id is None or (
                    r["commitment"] is not None and commitment_id is None
                ):
                    continue
                self.upsert(
                    uow.action_reports,
                    "action_reports",
                    f"{item['ref']}/{r['commitment'] or 'general'}/{r['person']}",
                    n,
                    reports.get((meeting_id, commitment_id, participant_id)),
                    ActionReport,
                    {
                        "project_id": project_id,
                        "meeting_id": meeting_id,
                        "commitment_id": commitment_id,
                        "participant_id": participant_id,
                        "text": r["text"],
                    },
                    text=r["text"],
                )

    def action_values(self, project_id: UUID, item: dict[str, Any], pointer: str) -> dict[str, Any]:
        """An action's values but its identity: owners and who set its status by ref,
        its finding or grievance by text."""
        if self.sources is None:
            uow = self.uow
            self.sources = (
                {f.text: f.id for f in uow.findings.all(project_id=project_id)},
                {g.text: g.id for g in uow.grievances.all(project_id=project_id)},
            )
        findings, grievances = self.sources
        owners = [self.who(o, f"{pointer}/owners") for o in item.get("owners", [])]
        return {
            "owner_ids": [o for o in owners if o],
            "due_date": item.get("due_date"),
            "status": ActionStatus(item.get("status", "open")),
            "status_by_id": self.who(item.get("status_by"), f"{pointer}/status_by"),
            "status_at": item.get("status_at"),
            "finding_id": self.ref(findings, item.get("finding"), f"{pointer}/finding", "finding"),
            "grievance_id": self.ref(
                grievances, item.get("grievance"), f"{pointer}/grievance", "grievance"
            ),
        }

    def actions(self, project_id: UUID, items: list[dict[str, Any]]) -> None:
        """Actions of no meeting (made from findings or grievances)."""
        stored = {
            c.text: c
            for c in self.uow.commitments.all(project_id=project_id)
            if c.meeting_id is None
        }
        for index, item in enumerate(items):
            values = self.action_values(project_id, item, f"/project/actions/{index}")
            action = self.upsert(
                self.uow.commitments,
                "actions",
                item["ref"],
                index,
                stored.get(item["text"]),
                Action,
                {"project_id": project_id, "text": item["text"]},
                **values,
            )
            self.commitments[item["ref"]] = action.id

    def agreements(self, project_id: UUID, items: list[dict[str, Any]]) -> None:
        uow = self.uow
        stored = {
            (a.participant_id, a.competence_id, a.start_level, a.target_level): a
            for a in uow.agreements.all(project_id=project_id)
        }
        check_ins = {
            (c.agreement_id, c.participant_id, c.date): c
            for c in uow.check_ins.all(project_id=project_id)
        }
        for index, item in enumerate(items):
            pointer = f"/project/agreements/{index}"
            participant_id, competence_id = (
                self.who(item["person"], f"{pointer}/person"),
                self.what(item["competence"], f"{pointer}/competence"),
            )
            coach_id = self.who(item.get("coach"), f"{pointer}/coach")
            external = item.get("external_coach")
            training = item.get("training")
            coaching = (
                coach_id,
                ExternalCoach(external["name"], external["organisation"]) if external else None,
                Training(
                    training["title"],
                    training["provider"],
                    training.get("starts_on"),
                    training.get("ends_on"),
                )
                if training
                else None,
            )
            meeting_id = self.ref(
                self.meetings, item.get("meeting"), f"{pointer}/meeting", "meeting"
            )
            if item.get("coach") is not None and coach_id is None:
                continue  # an unknown coach, reported above
            if (violation := coaching_violation(*coaching)) is not None:
                for v in violation.violations:
                    self.tally.problem(pointer, v.field, v.message, v.code)
                continue
            if participant_id is None or competence_id is None:
                continue
            key = (participant_id, competence_id, item["start_level"], item["target_level"])
            values = {
                **coaching_columns(*coaching),
                "due_date": item["due_date"],
                "status": AgreementStatus(item.get("status", "proposed")),
                "meeting_id": meeting_id,
            }
            agreement = self.upsert(
                uow.agreements,
                "agreements",
                f"{item['person']}/{item['competence']}",
                index,
                stored.get(key),
                Agreement,
                {
                    "project_id": project_id,
                    "participant_id": key[0],
                    "competence_id": key[1],
                    "start_level": key[2],
                    "target_level": key[3],
                },
                **values,
            )
            for n, c in enumerate(item.get("check_ins", [])):
                peer = self.who(c["person"], f"{pointer}/check_ins/{n}/person")
                if peer is None:
                    continue
                values = {"status": CheckInStatus(c["status"]), "note": c.get("note") or ""}
                self.upsert(
                    uow.check_ins,
                    "check_ins",
                    f"{item['person']}/{item['competence']}/{c['date'].isoformat()}",
                    n,
                    check_ins.get((agreement.id, peer, c["date"])),
                    CheckIn,
                    {
                        "project_id": project_id,
                        "agreement_id": agreement.id,
                        "participant_id": peer,
                        "date": c["date"],
                    },
                    **values,
                )

    def surveys(self, project_id: UUID, items: list[dict[str, Any]]) -> None:
        """Surveys by title; one already stored is left as it is, answers and all, so
        reading a document twice never counts its answers twice."""
        uow = self.uow
        stored = {s.title for s in uow.surveys.all(project_id=project_id)}
        for index, item in enumerate(items):
            if item["title"] in stored:
                self.tally.add(index, "surveys", item["title"], Outcome.UNCHANGED)
                continue
            questions = [
                Question(QuestionKind(q["kind"]), q["text"], Topic(q.get("topic", "other")))
                for q in item["questions"]
            ]
            survey = PulseSurvey(
                project_id=project_id, title=item["title"], questions=questions, round=item["round"]
            )
            uow.surveys.add(survey)
            self.tally.add(index, "surveys", item["title"], Outcome.CREATED)
            for n, held in enumerate(item.get("rounds", [])):
                pointer = f"/project/surveys/{index}/rounds/{n}"
                respondents = [
                    self.who(ref, f"{pointer}/respondents/{i}")
                    for i, ref in enumerate(held["respondents"])
                ]
                counts: dict[UUID, Counter[int]] = defaultdict(Counter)
                texts: dict[UUID, list[str]] = defaultdict(list)
                for position, value, count in held["counts"]:
                    if position < len(questions):
                        counts[questions[position].id][value] += count
                for position, text in held["texts"]:
                    if position < len(questions):
                        texts[questions[position].id].append(text)
                uow.pulse_answers.restore(
                    survey.id,
                    held["round"],
                    {r for r in respondents if r is not None},
                    RoundAnswers(len(respondents), counts, texts),
                )

    def theme_progress(self, project_id: UUID, items: list[dict[str, Any]]) -> None:
        uow = self.uow
        assigned = {a.theme_id: a for a in uow.project_themes.all(project_id=project_id)}
        for index, item in enumerate(items):
            pointer = f"/project/themes/{index}"
            theme = self.themes.get(item["theme"])
            if theme is None:
                self.tally.problem(
                    f"{pointer}/theme",
                    "",
                    _("No theme '{theme}' in the document.", theme=item["theme"]),
                    "unknown_ref",
                )
                continue
            self.upsert(
                uow.project_themes,
                "project_themes",
                theme.name,
                index,
                assigned.get(theme.id),
                ProjectTheme,
                {"project_id": project_id, "theme_id": theme.id},
            )
            done = uow.progress.done(project_id, theme.id)
            step_of = {s.title: s.id for s in theme.steps}
            for n, progress in enumerate(item.get("progress", [])):
                participant_id = self.who(progress["person"], f"{pointer}/progress/{n}/person")
                steps = set()
                for title in progress.get("steps_done", []):
                    if title not in step_of:
                        self.tally.problem(
                            f"{pointer}/progress/{n}/steps_done",
                            "",
                            _("No step '{step}' in theme '{theme}'.", step=title, theme=theme.name),
                            "unknown_ref",
                        )
                    else:
                        steps.add(step_of[title])
                if participant_id is None:
                    continue
                key = f"{theme.name}/{progress['person']}"
                if done.get(participant_id, set()) == steps:
                    self.tally.add(n, "progress", key, Outcome.UNCHANGED)
                    continue
                outcome = Outcome.UPDATED if participant_id in done else Outcome.CREATED
                uow.progress.set_done(project_id, theme.id, participant_id, steps)
                self.tally.add(n, "progress", key, outcome)


def read_document(uow: UnitOfWork, document: dict[str, Any], tally: Tally) -> Project | None:
    """Read the document into the unit of work; answers its project."""
    return DocumentReader(uow, tally).read(document)
