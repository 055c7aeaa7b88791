"""The whole story, played through the Python client generated from the committed contract.

The Python twin of ``typescript/src/story.ts`` (seed 004, with the joint and closing
meetings of seed 000 and the theme of seed 001): an intake refused and then passed,
services, the competence matrix and its analyses, development agreements with check-ins,
meetings through to a closed project, both exports, and a real import read back.

Only the generated package speaks to the server, and every value the story sends on (ids,
versions for If-Match) comes from a typed answer. ``test_generated_client.py`` checks this
module with mypy at --strict and --disallow-any-expr together with the generated package,
and refuses casts, ``Any``, silenced checkers and HTTP of its own in it: a field the
contract leaves untyped fails the test instead of being papered over here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import TypeVar

from od_platform_client import AuthenticatedClient
from od_platform_client.api.actions import list_actions, update_action
from od_platform_client.api.competences import create_competence
from od_platform_client.api.development import (
    create_agreement,
    create_check_in,
    create_wish,
    get_agreement,
    get_matrix,
    list_agreements,
    list_check_ins,
    list_dependencies,
    list_level_history,
    list_priorities,
    set_levels,
    update_agreement,
)
from od_platform_client.api.exports import export_project, export_project_workbook
from od_platform_client.api.imports import create_import, get_import
from od_platform_client.api.intake import (
    create_finding,
    create_grievance,
    get_intake,
    put_conclusion,
    rate_readiness,
)
from od_platform_client.api.meetings import (
    create_action_report,
    create_commitment,
    create_meeting,
    get_round,
    list_commitments,
    list_meetings,
)
from od_platform_client.api.organisations import create_organisation, create_team
from od_platform_client.api.people import create_person
from od_platform_client.api.projects import (
    add_participant,
    create_project,
    create_transition,
    get_checklist,
    get_project,
    list_projects,
    list_transitions,
    update_project,
)
from od_platform_client.api.services import (
    add_contributor,
    create_feedback,
    create_service,
    list_coordinators,
    list_feedback,
    list_services,
    update_feedback,
    update_service,
)
from od_platform_client.api.themes import (
    assign_theme,
    create_theme,
    get_participant_progress,
    set_participant_progress,
)
from od_platform_client.models import (
    Action,
    ActionReport,
    ActionReportCreate,
    ActionUpdate,
    ActionUpdateStatus,
    Agreement,
    AgreementCreate,
    AgreementUpdate,
    AgreementUpdateStatus,
    Assignment,
    AssignmentCreate,
    AttendeeWrite,
    BatchResult,
    Cell,
    CellSource,
    CheckIn,
    CheckInCreate,
    CheckInCreateStatus,
    Checklist,
    CommitmentCreate,
    Competence,
    CompetenceCreate,
    Conclusion,
    ConclusionWrite,
    Contributor,
    ContributorCreate,
    Dependency,
    Feedback,
    FeedbackCreate,
    FeedbackUpdate,
    FeedbackUpdateStatus,
    Finding,
    FindingWrite,
    Grievance,
    GrievanceCreate,
    ImportReport,
    Intake,
    LevelCell,
    LevelCellSource,
    LevelsBatch,
    ListFeedbackStatus,
    Matrix,
    Meeting,
    MeetingCreate,
    MeetingCreateKind,
    NameOnly,
    NewStep,
    Organisation,
    OrganisationCreate,
    Participant,
    ParticipantCreate,
    ParticipantCreateRolesItem,
    Person,
    PersonCreate,
    Problem,
    Progress,
    ProgressWrite,
    Project,
    ProjectCreate,
    ProjectDocument,
    ProjectUpdate,
    Rating,
    RatingWrite,
    RequiredCompetence,
    RequiredCompetenceWrite,
    Round,
    Service,
    ServiceCreate,
    ServiceUpdate,
    Team,
    TeamCreate,
    Theme,
    ThemeCreate,
    Transition,
    TransitionCreate,
    TransitionCreateTo,
    Unmet,
    UnmetSubject,
    Wish,
    WishCreate,
)
from od_platform_client.types import File, Response, Unset

PROBLEM = "application/problem+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

T = TypeVar("T")
R = TypeVar("R")
M = TypeVar("M")


class StoryFailed(AssertionError):
    """A step of the story did not go as the contract says."""


class Tally:
    """What the story checked: the steps it played."""

    steps = 0


def check(condition: bool, what: str) -> None:
    Tally.steps += 1
    if not condition:
        raise StoryFailed(what)


def same(actual: T, expected: T, what: str) -> None:
    check(actual == expected, f"{what}: {actual!r} is not {expected!r}")


def made(response: Response[R], status: int, kind: type[M], what: str) -> M:
    """The answer's typed body, after checking it came with the status the contract names."""
    parsed = response.parsed
    if response.status_code != status or not isinstance(parsed, kind):
        raise StoryFailed(f"{what}: {response.status_code} {response.content[:500]!r}")
    return parsed


def listed(response: Response[Problem | list[M]], what: str) -> list[M]:
    """The typed items of a list answer (200)."""
    parsed = response.parsed
    if response.status_code != 200 or not isinstance(parsed, list):
        raise StoryFailed(f"{what}: {response.status_code} {response.content[:500]!r}")
    return parsed


def refused(response: Response[R], status: int, what: str) -> Problem:
    """The typed problem of a refusal with this status (every error answer is a Problem)."""
    problem = response.parsed
    if response.status_code != status or not isinstance(problem, Problem):
        raise StoryFailed(f"{what}: expected {status}, got {response.status_code}")
    check(response.headers.get("Content-Type") == PROBLEM, f"{what}: problem+json")
    check(problem.status == status and bool(problem.title) and bool(problem.type_), what)
    check(bool(problem.detail) and problem.instance.startswith("/api/v1/"), f"{what}: where")
    check(len(problem.request_id) > 0, f"{what}: the request's id")
    return problem


def one(items: Sequence[T], test: Callable[[T], bool], what: str) -> T:
    """The one item that passes ``test``."""
    found = [item for item in items if test(item)]
    if len(found) != 1:
        raise StoryFailed(f"{what}: {len(found)} found")
    return found[0]


def present(value: T | Unset | None, what: str) -> T:
    if value is None or isinstance(value, Unset):
        raise StoryFailed(f"{what} is missing")
    return value


def if_match(version: int) -> str:
    """If-Match built from the version a typed answer carries."""
    return f'"v{version}"'


def codes(unmet: Sequence[Unmet]) -> list[str]:
    return sorted(u.code for u in unmet)


def subject(unmet: Unmet) -> UnmetSubject:
    """What the condition is about; nothing in particular when it has no subject."""
    return UnmetSubject() if isinstance(unmet.subject, Unset) else unmet.subject


def errors_on(problem: Problem, field: str) -> list[str]:
    """The messages a 422 gives for one input field."""
    errors = present(problem.errors, "errors")
    return errors.additional_properties.get(field, [])


def play(api: AuthenticatedClient) -> int:
    """Plays the story through ``api``; answers the number of steps checked."""
    Tally.steps = 0

    # --- the client organisation, its team, its people and the catalogue ---------------

    organisation = made(
        create_organisation.sync_detailed(
            client=api, body=OrganisationCreate(name="Gemeente Utrecht")
        ),
        201,
        Organisation,
        "organisation",
    )
    team = made(
        create_team.sync_detailed(
            organisation.id, client=api, body=TeamCreate(name="Ondersteunende afdeling")
        ),
        201,
        Team,
        "team",
    )
    fb = made(
        create_competence.sync_detailed(
            client=api, body=CompetenceCreate(code="FB", name="Giving feedback")
        ),
        201,
        Competence,
        "competence FB",
    )
    plan = made(
        create_competence.sync_detailed(
            client=api, body=CompetenceCreate(code="PLAN", name="Planning")
        ),
        201,
        Competence,
        "competence PLAN",
    )
    project = made(
        create_project.sync_detailed(
            client=api,
            body=ProjectCreate(
                name="Samen sterker", organisation_id=organisation.id, team_id=team.id
            ),
            idempotency_key="py-story-project",
        ),
        201,
        Project,
        "project",
    )
    same(project.phase, "intake", "a project starts at its intake")

    def take_part(n: int, name: str, roles: list[ParticipantCreateRolesItem]) -> Participant:
        person = made(
            create_person.sync_detailed(
                organisation.id,
                client=api,
                body=PersonCreate(
                    name=name,
                    external_id=f"P-{n}",
                    email=f"{name.lower()}@utrecht.example",
                    team_id=team.id,
                ),
            ),
            201,
            Person,
            f"person {name}",
        )
        participant = made(
            add_participant.sync_detailed(
                project.id, client=api, body=ParticipantCreate(person_id=person.id, roles=roles)
            ),
            201,
            Participant,
            f"participant {name}",
        )
        check(
            participant.person_id == person.id
            and participant.name == name
            and not participant.left,
            f"participant {name}",
        )
        return participant

    member, senior = ParticipantCreateRolesItem.MEMBER, ParticipantCreateRolesItem.SENIOR
    # Anna and Bram are members; Carla is a member and a senior; Dirk a senior; Els in the MT.
    anna = take_part(1, "Anna", [member])
    bram = take_part(2, "Bram", [member])
    carla = take_part(3, "Carla", [member, senior])
    dirk = take_part(4, "Dirk", [senior])
    els = take_part(5, "Els", [ParticipantCreateRolesItem.MT_MEMBER])
    names = {p.id: p.name for p in (anna, bram, carla, dirk, els)}

    def move(to: TransitionCreateTo) -> Transition:
        moved = made(
            create_transition.sync_detailed(project.id, client=api, body=TransitionCreate(to=to)),
            201,
            Transition,
            f"transition to {to}",
        )
        same(moved.to_phase, to, "moved")
        return moved

    def gate(to: TransitionCreateTo) -> list[Unmet]:
        problem = refused(
            create_transition.sync_detailed(project.id, client=api, body=TransitionCreate(to=to)),
            409,
            f"the gate to {to}",
        )
        return present(problem.unmet, f"unmet to {to}")

    def checklist() -> Checklist:
        return made(get_checklist.sync_detailed(project.id, client=api), 200, Checklist, "list")

    # --- phase 1, the intake: too early, the gate refuses with every unmet condition typed

    unmet = gate(TransitionCreateTo.SERVICE_DEFINITION)
    same(codes(unmet), ["no_conclusion", "no_findings", "readiness_not_rated"], "the intake")
    for u in unmet:
        check(len(u.message) > 0, f"{u.code} has a message")
    before = checklist()
    check(
        before.phase == "intake" and before.next_phase == "service_definition",
        "the checklist's phases",
    )
    check(not before.ready, "not ready")
    same(codes(before.unmet), codes(unmet), "the checklist says the same")

    made(
        create_finding.sync_detailed(
            project.id, client=api, body=FindingWrite(text="Nobody shares knowledge.")
        ),
        201,
        Finding,
        "finding",
    )
    grievance = made(
        create_grievance.sync_detailed(
            project.id,
            client=api,
            body=GrievanceCreate(
                text="The MT only hears about us when things go wrong.", anonymous=True
            ),
        ),
        201,
        Grievance,
        "grievance",
    )
    check(grievance.anonymous and grievance.participant_id is None, "an anonymous grievance")
    for rated, desire, energy in [(anna, 4, 4), (bram, 5, 3), (carla, 3, 4)]:
        rating = made(
            rate_readiness.sync_detailed(
                project.id,
                rated.id,
                client=api,
                body=RatingWrite(desire=desire, energy=energy, feasibility=3),
            ),
            201,
            Rating,
            "rating",
        )
        check(rating.participant_id == rated.id and rating.round_ == 1, "a baseline rating")
    conclusion = made(
        put_conclusion.sync_detailed(
            project.id, client=api, body=ConclusionWrite(ready=True, text="We are ready.")
        ),
        200,
        Conclusion,
        "conclusion",
    )
    check(conclusion.ready, "the team is ready")
    intake = made(get_intake.sync_detailed(project.id, client=api), 200, Intake, "intake")
    same(intake.unmet, [], "nothing left at the intake")
    readiness = intake.readiness
    check(readiness.members_rated == 3 and readiness.enough_members_rated, "all rated")
    check(readiness.desire.mean == 4 and readiness.energy.median == 4, "readiness summarised")
    check(len(intake.grievances) == 1 and len(intake.findings) == 1, "what was said is held")

    # A change under If-Match, its value from the typed answer; the old one is refused after.
    current = made(get_project.sync_detailed(project.id, client=api), 200, Project, "project")
    renamed = made(
        update_project.sync_detailed(
            project.id,
            client=api,
            body=ProjectUpdate(name="Samen sterker!"),
            if_match=if_match(current.version),
        ),
        200,
        Project,
        "rename",
    )
    check(renamed.version == current.version + 1, "the version moved on")
    same(renamed.name, "Samen sterker!", "renamed")
    refused(
        update_project.sync_detailed(
            project.id,
            client=api,
            body=ProjectUpdate(name="Overwritten"),
            if_match=if_match(current.version),
        ),
        412,
        "a stale If-Match",
    )

    first = move(TransitionCreateTo.SERVICE_DEFINITION)
    same(first.from_phase, "intake", "from the intake")

    # --- phase 2, services: each needs two contributors, deliverables and indicators -----

    same(codes(gate(TransitionCreateTo.COMPETENCE_MAPPING)), ["no_services"], "no services")
    onboarding = made(
        create_service.sync_detailed(
            project.id,
            client=api,
            body=ServiceCreate(
                name="Onboarding",
                client_group="Line managers",
                required_competences=[
                    RequiredCompetenceWrite(competence_id=fb.id),
                    RequiredCompetenceWrite(competence_id=plan.id, level=2),
                ],
            ),
        ),
        201,
        Service,
        "service Onboarding",
    )
    same(
        onboarding.required_competences,
        [
            RequiredCompetence(competence_id=fb.id, level=3),
            RequiredCompetence(competence_id=plan.id, level=2),
        ],
        "a required level defaults to 3",
    )
    advice = made(
        create_service.sync_detailed(
            project.id,
            client=api,
            body=ServiceCreate(
                name="HR advice",
                deliverables=["Advice"],
                required_competences=[RequiredCompetenceWrite(competence_id=fb.id)],
            ),
        ),
        201,
        Service,
        "service HR advice",
    )
    service_names = {s.id: s.name for s in (onboarding, advice)}

    def per_service(items: Sequence[Unmet]) -> list[str]:
        named = (service_names.get(present(subject(u).service_id, "a service")) for u in items)
        return sorted(f"{u.code}:{name}" for u, name in zip(items, named, strict=True))

    same(
        per_service(checklist().unmet),
        [
            "no_deliverables:Onboarding",
            "no_indicators:HR advice",
            "no_indicators:Onboarding",
            "too_few_contributors:HR advice",
            "too_few_contributors:Onboarding",
        ],
        "what each service lacks",
    )
    completed = made(
        update_service.sync_detailed(
            project.id,
            onboarding.id,
            client=api,
            body=ServiceUpdate(deliverables=["Workplace ready"], indicators=["Days to ready"]),
            if_match=if_match(onboarding.version),
        ),
        200,
        Service,
        "Onboarding completed",
    )
    same(
        (completed.deliverables, completed.indicators),
        (["Workplace ready"], ["Days to ready"]),
        "Onboarding's lists",
    )
    made(
        update_service.sync_detailed(
            project.id,
            advice.id,
            client=api,
            body=ServiceUpdate(indicators=["Turnaround time"]),
            if_match=if_match(advice.version),
        ),
        200,
        Service,
        "HR advice completed",
    )
    for service, group in [(onboarding, (anna, carla)), (advice, (bram, carla))]:
        for p in group:
            contributor = made(
                add_contributor.sync_detailed(
                    project.id,
                    service.id,
                    client=api,
                    body=ContributorCreate(
                        participant_id=p.id, contribution=f"{p.name} does part of {service.name}."
                    ),
                ),
                201,
                Contributor,
                "contributor",
            )
            check(
                contributor.service_id == service.id and contributor.name == p.name,
                "a contributor",
            )

    # Carla contributes to both services: the server derives her coordination task.
    coordinators = listed(list_coordinators.sync_detailed(project.id, client=api), "coordinators")
    coordinator = one(coordinators, lambda _: True, "one coordinator")
    check(coordinator.participant_id == carla.id and coordinator.name == "Carla", "Carla")
    same(
        sorted(s.name for s in coordinator.services),
        ["HR advice", "Onboarding"],
        "the services she coordinates",
    )

    # The MT's feedback keeps the gate closed until the service group processed it.
    feedback = made(
        create_feedback.sync_detailed(
            project.id,
            onboarding.id,
            client=api,
            body=FeedbackCreate(text="Add the security training.", participant_id=els.id),
        ),
        201,
        Feedback,
        "MT feedback",
    )
    check(feedback.status == "open" and feedback.response is None, "feedback is open")
    same(
        per_service(gate(TransitionCreateTo.COMPETENCE_MAPPING)),
        ["feedback_open:Onboarding"],
        "open feedback",
    )
    still_open = listed(
        list_feedback.sync_detailed(project.id, client=api, status=ListFeedbackStatus.OPEN),
        "open feedback",
    )
    same([f.id for f in still_open], [feedback.id], "the open feedback listed")
    unanswered = refused(
        update_feedback.sync_detailed(
            project.id,
            onboarding.id,
            feedback.id,
            client=api,
            body=FeedbackUpdate(status=FeedbackUpdateStatus.PROCESSED),
        ),
        422,
        "processed without a response",
    )
    same(len(errors_on(unanswered, "response")), 1, "the response is asked for")
    processed = made(
        update_feedback.sync_detailed(
            project.id,
            onboarding.id,
            feedback.id,
            client=api,
            body=FeedbackUpdate(
                status=FeedbackUpdateStatus.PROCESSED, response="Added to the introduction days."
            ),
            if_match=if_match(feedback.version),
        ),
        200,
        Feedback,
        "feedback processed",
    )
    same(processed.status, "processed", "processed")
    services = listed(list_services.sync_detailed(project.id, client=api), "services")
    counted = one(services, lambda s: s.id == onboarding.id, "Onboarding").feedback_counts
    check(counted.open_ == 0 and counted.processed == 1, "feedback counted per status")
    move(TransitionCreateTo.COMPETENCE_MAPPING)

    # --- phase 3, the matrix: levels, dependencies, wishes and priorities ----------------
    # By hand: FB is needed by both services at 3 and only Carla holds it (rank 1, a single
    # point of failure); PLAN is needed by Onboarding at 2 and held by Anna, Bram and Dirk.

    missing = gate(TransitionCreateTo.DEVELOPMENT)
    same(
        codes(missing),
        ["levels_missing", "levels_missing", "levels_missing", "no_wishes"],
        "levels and wishes",
    )
    same(
        sorted(
            str(names.get(present(subject(u).participant_id, "whose")))
            for u in missing
            if u.code == "levels_missing"
        ),
        ["Anna", "Bram", "Carla"],
        "whose levels are missing",
    )
    grid = [(anna, 2, 3), (bram, 1, 2), (carla, 4, 1), (dirk, 2, 4)]
    cells = LevelsBatch(
        levels=[
            LevelCell(
                participant_id=p.id,
                competence_id=competence.id,
                level=level,
                source=LevelCellSource.SELF,
            )
            for p, fb_level, plan_level in grid
            for competence, level in ((fb, fb_level), (plan, plan_level))
        ]
    )
    same(
        made(set_levels.sync_detailed(project.id, client=api, body=cells), 200, BatchResult, "1"),
        BatchResult(created=8, updated=0, unchanged=0),
        "levels stored",
    )
    same(
        made(set_levels.sync_detailed(project.id, client=api, body=cells), 200, BatchResult, "2"),
        BatchResult(created=0, updated=0, unchanged=8),
        "the same levels change nothing",
    )
    matrix = made(get_matrix.sync_detailed(project.id, client=api), 200, Matrix, "matrix")
    carla_row = one(matrix.participants, lambda p: p.id == carla.id, "Carla's row")
    same(carla_row.levels[str(fb.id)], Cell(level=4, source=CellSource.SELF), "Carla's FB")
    same(
        sorted(carla_row.contributions.additional_keys),
        sorted([str(onboarding.id), str(advice.id)]),
        "Carla's contributions",
    )
    same([c.code for c in matrix.competences], ["FB", "PLAN"], "the matrix's competences")

    def shape(dependencies: Sequence[Dependency]) -> list[tuple[int, str, int, int, bool]]:
        return [
            (d.rank, d.competence.code, d.demand, len(d.holders), d.single_point_of_failure)
            for d in dependencies
        ]

    ranking = listed(list_dependencies.sync_detailed(project.id, client=api), "dependencies")
    same(shape(ranking), [(1, "FB", 2, 1, True), (2, "PLAN", 1, 3, False)], "ranked")
    fb_dependency = one(ranking, lambda d: d.competence.id == fb.id, "FB's dependency")
    same(fb_dependency.holders, [carla.id], "Carla alone holds FB")
    same(
        sorted(s.name for s in fb_dependency.services_at_risk),
        ["HR advice", "Onboarding"],
        "services at risk",
    )

    anna_wish = made(
        create_wish.sync_detailed(
            project.id,
            client=api,
            body=WishCreate(
                participant_id=anna.id,
                competence_id=fb.id,
                motivation="I want to coach new colleagues.",
            ),
        ),
        201,
        Wish,
        "Anna's wish",
    )
    made(
        create_wish.sync_detailed(
            project.id,
            client=api,
            body=WishCreate(participant_id=bram.id, competence_id=plan.id),
        ),
        201,
        Wish,
        "Bram's wish",
    )
    priorities = listed(list_priorities.sync_detailed(project.id, client=api), "priorities")
    same(
        [(p.participant_id, p.rank, p.candidate_coaches) for p in priorities],
        [(anna.id, 1, [carla.id]), (bram.id, 2, [dirk.id])],
        "development priorities",
    )
    top = one(priorities, lambda p: p.wish_id == anna_wish.id, "Anna's priority")
    check(top.single_point_of_failure, "Anna's wish covers a single point of failure")
    check("single point of failure" in top.reason, f"reason: {top.reason}")
    move(TransitionCreateTo.DEVELOPMENT)

    # --- phase 4, development: agreements made together, coached by seniors, peers check in

    joint = made(
        create_meeting.sync_detailed(
            project.id,
            client=api,
            body=MeetingCreate(
                kind=MeetingCreateKind.JOINT,
                date=datetime.date(2026, 12, 1),
                topic="Development agreements and cooperation",
                place="Room 2.14",
                attendees=[
                    AttendeeWrite(participant_id=anna.id, layer="team"),
                    AttendeeWrite(participant_id=bram.id, layer="team"),
                    AttendeeWrite(participant_id=carla.id, layer="team"),
                    AttendeeWrite(participant_id=dirk.id, layer="seniors"),
                ],
                ground_rules=["What is said here stays here", "Room to be vulnerable"],
            ),
        ),
        201,
        Meeting,
        "joint meeting",
    )
    same(
        [a.participant_id for a in joint.attendees],
        [anna.id, bram.id, carla.id, dirk.id],
        "attendees",
    )
    same(
        [(u.code, subject(u).wish_id) for u in gate(TransitionCreateTo.EVALUATION)],
        [("spof_wish_uncovered", anna_wish.id)],
        "Anna's wish is not covered",
    )

    def proposal(coach: Participant) -> AgreementCreate:
        return AgreementCreate(
            participant_id=anna.id,
            competence_id=fb.id,
            target_level=3,
            due_date=datetime.date(2027, 6, 30),
            meeting_id=joint.id,
            coach_id=coach.id,
        )

    too_weak = refused(
        create_agreement.sync_detailed(project.id, client=api, body=proposal(dirk)),
        422,
        "a coach below level 3",
    )
    same(
        [v.code for v in present(too_weak.violations, "violations")],
        ["coach_level_too_low"],
        "the coach's level",
    )
    own_coach = refused(
        create_agreement.sync_detailed(project.id, client=api, body=proposal(anna)),
        422,
        "coaching oneself",
    )
    check(len(errors_on(own_coach, "coach_id")) > 0, "coach_id is refused")
    agreement = made(
        create_agreement.sync_detailed(project.id, client=api, body=proposal(carla)),
        201,
        Agreement,
        "Anna's agreement",
    )
    check(agreement.start_level == 2 and agreement.status == "proposed", "proposed at 2")
    check(
        agreement.coaching == "senior"
        and agreement.coach_id == carla.id
        and agreement.meeting_id == joint.id,
        "coached by Carla, agreed at the joint meeting",
    )
    check(
        agreement.last_check_in is None and agreement.days_since_check_in is None,
        "no check-in yet",
    )
    bram_agreement = made(
        create_agreement.sync_detailed(
            project.id,
            client=api,
            body=AgreementCreate(
                participant_id=bram.id,
                competence_id=plan.id,
                target_level=3,
                coach_id=dirk.id,
                due_date=datetime.date(2027, 6, 30),
            ),
        ),
        201,
        Agreement,
        "Bram's agreement",
    )
    check(
        bram_agreement.start_level == 2 and bram_agreement.coach_id == dirk.id,
        "Dirk coaches Bram",
    )

    not_a_peer = refused(
        create_check_in.sync_detailed(
            project.id,
            agreement.id,
            client=api,
            body=CheckInCreate(participant_id=anna.id, status=CheckInCreateStatus.ON_TRACK),
        ),
        422,
        "checking in on oneself",
    )
    same(
        [v.code for v in present(not_a_peer.violations, "violations")],
        ["not_a_peer"],
        "a peer checks in",
    )
    check_in = made(
        create_check_in.sync_detailed(
            project.id,
            agreement.id,
            client=api,
            body=CheckInCreate(
                participant_id=bram.id, status=CheckInCreateStatus.AT_RISK, note="Busy month."
            ),
        ),
        201,
        CheckIn,
        "Bram checks in",
    )
    check(check_in.agreement_id == agreement.id and check_in.status == "at_risk", "check-in")
    check_ins = listed(
        list_check_ins.sync_detailed(project.id, agreement.id, client=api), "check-ins"
    )
    same([c.id for c in check_ins], [check_in.id], "the check-ins listed")
    shown = made(
        get_agreement.sync_detailed(project.id, agreement.id, client=api),
        200,
        Agreement,
        "agreement",
    )
    last_check_in = present(shown.last_check_in, "the last check-in")
    check(last_check_in.status == "at_risk" and shown.days_since_check_in == 0, "it shows")

    skipped = refused(
        update_agreement.sync_detailed(
            project.id,
            agreement.id,
            client=api,
            body=AgreementUpdate(status=AgreementUpdateStatus.ACHIEVED),
            if_match=if_match(shown.version),
        ),
        422,
        "achieved before agreed",
    )
    check(len(errors_on(skipped, "status")) > 0, "the status order is kept")
    for status in (
        AgreementUpdateStatus.AGREED,
        AgreementUpdateStatus.IN_PROGRESS,
        AgreementUpdateStatus.ACHIEVED,
    ):
        following = made(
            update_agreement.sync_detailed(
                project.id,
                agreement.id,
                client=api,
                body=AgreementUpdate(status=status),
                if_match=if_match(shown.version),
            ),
            200,
            Agreement,
            f"agreement {status}",
        )
        check(
            following.status.value == status.value and following.version > shown.version,
            f"agreement {status}",
        )
        shown = following
    grown = made(get_matrix.sync_detailed(project.id, client=api), 200, Matrix, "matrix after")
    same(
        one(grown.participants, lambda p: p.id == anna.id, "Anna's row").levels[str(fb.id)],
        Cell(level=3, source=CellSource.AGREEMENT),
        "Anna grew",
    )
    history = listed(
        list_level_history.sync_detailed(
            project.id, client=api, participant_id=anna.id, competence_id=fb.id
        ),
        "level history",
    )
    same(
        [(h.previous_level, h.level, h.source) for h in history],
        [(None, 2, "self"), (2, 3, "agreement")],
        "Anna's FB history",
    )

    # The joint meeting's commitments, each followed up: an action.
    sharing = made(
        create_commitment.sync_detailed(
            project.id,
            joint.id,
            client=api,
            body=CommitmentCreate(text="Share the planning weekly."),
        ),
        201,
        Action,
        "commitment for all",
    )
    visits = made(
        create_commitment.sync_detailed(
            project.id,
            joint.id,
            client=api,
            body=CommitmentCreate(
                text="Visit a team of the MT's each quarter.",
                owner_ids=[anna.id],
                due_date=datetime.date(2027, 2, 1),
            ),
        ),
        201,
        Action,
        "Anna's commitment",
    )
    check(
        sharing.meeting_id == joint.id and sharing.status == "open" and not sharing.owner_ids,
        "owned by all",
    )
    same(visits.owner_ids, [anna.id], "owned by Anna")
    commitments = listed(
        list_commitments.sync_detailed(project.id, joint.id, client=api), "commitments"
    )
    same(
        sorted(c.id for c in commitments),
        sorted([sharing.id, visits.id]),
        "the meeting's commitments",
    )

    # Seed 001: a learning theme of four steps, taken up by the project.
    theme = made(
        create_theme.sync_detailed(
            client=api,
            body=ThemeCreate(
                name="Cultuur van vertrouwen",
                steps=[
                    NewStep(title="Leidinggeven vanuit vertrouwen"),
                    NewStep(title="Wat is vertrouwen?"),
                    NewStep(title="Een cultuur van vertrouwen creëren"),
                    NewStep(title="Vertrouwen in de organisatie"),
                ],
            ),
        ),
        201,
        Theme,
        "theme",
    )
    made(
        assign_theme.sync_detailed(
            project.id, client=api, body=AssignmentCreate(theme_id=theme.id)
        ),
        201,
        Assignment,
        "theme taken up",
    )
    nothing_yet = made(
        get_participant_progress.sync_detailed(project.id, theme.id, anna.id, client=api),
        200,
        Progress,
        "progress",
    )
    same(nothing_yet.text, "0 of 4 steps done, 0%", "nothing done yet")
    same(nothing_yet.steps_total, 4, "four steps")
    step1, step2 = theme.steps[0].id, theme.steps[1].id
    done = made(
        set_participant_progress.sync_detailed(
            project.id,
            theme.id,
            anna.id,
            client=api,
            body=ProgressWrite(steps_done=[step2, step1]),
        ),
        200,
        Progress,
        "steps done",
    )
    check(done.percent == 50 and done.text == "2 of 4 steps done, 50%", done.text)
    move(TransitionCreateTo.EVALUATION)

    # --- phase 5, evaluation: what did you do to realise the agreements? -----------------

    same(codes(gate(TransitionCreateTo.CLOSED)), ["no_evaluation_meeting"], "no evaluation")
    annas_actions = listed(
        list_actions.sync_detailed(project.id, client=api, owner_id=anna.id), "Anna's actions"
    )
    same(sorted(a.id for a in annas_actions), sorted([sharing.id, visits.id]), "Anna's both")
    shared = made(
        update_action.sync_detailed(
            project.id,
            sharing.id,
            client=api,
            body=ActionUpdate(status=ActionUpdateStatus.DONE, status_by_id=anna.id),
            if_match=if_match(sharing.version),
        ),
        200,
        Action,
        "sharing done",
    )
    check(
        shared.status == "done" and shared.status_by_id == anna.id and shared.status_at is not None,
        "done, by Anna",
    )

    closing = made(
        create_meeting.sync_detailed(
            project.id,
            client=api,
            body=MeetingCreate(
                kind=MeetingCreateKind.EVALUATION,
                date=datetime.date(2027, 3, 1),
                attendees=[AttendeeWrite(participant_id=p.id) for p in (anna, bram, carla)],
            ),
        ),
        201,
        Meeting,
        "evaluation meeting",
    )
    silent = one(gate(TransitionCreateTo.CLOSED), lambda _: True, "one unmet condition")
    same(silent.code, "action_reports_missing", "the round is not complete")
    same(subject(silent).meeting_id, closing.id, "about the evaluation meeting")
    same(
        sorted(present(subject(silent).participant_ids, "who")),
        sorted([anna.id, bram.id, carla.id]),
        "everyone still to answer",
    )
    check(all(name in silent.message for name in ("Anna", "Bram", "Carla")), silent.message)

    def report(body: ActionReportCreate) -> ActionReport:
        answered = made(
            create_action_report.sync_detailed(project.id, closing.id, client=api, body=body),
            201,
            ActionReport,
            "action report",
        )
        check(
            answered.meeting_id == closing.id and answered.participant_id == body.participant_id,
            "the report",
        )
        return answered

    report(
        ActionReportCreate(
            participant_id=anna.id, commitment_id=sharing.id, text="I shared it every Monday."
        )
    )
    report(
        ActionReportCreate(
            participant_id=anna.id, commitment_id=visits.id, text="Visited two teams."
        )
    )
    report(ActionReportCreate(participant_id=bram.id, text="I asked before judging, every time."))
    halfway = made(get_round.sync_detailed(project.id, closing.id, client=api), 200, Round, "1")
    check(not halfway.complete, "the round is not complete")
    same(halfway.silent, [carla.id], "Carla is still to answer")
    same(
        one(halfway.entries, lambda e: e.commitment.id == sharing.id, "sharing").not_reported,
        [carla.id],
        "sharing waits for Carla",
    )
    same([g.participant_id for g in halfway.general], [bram.id], "Bram answered in general")
    report(
        ActionReportCreate(
            participant_id=carla.id, commitment_id=sharing.id, text="I put it on the wall."
        )
    )
    full = made(get_round.sync_detailed(project.id, closing.id, client=api), 200, Round, "2")
    check(full.complete and not full.silent, "everyone answered")
    same(
        one(full.entries, lambda e: e.commitment.id == sharing.id, "sharing").commitment.status,
        "done",
        "done shows",
    )
    meetings = listed(list_meetings.sync_detailed(project.id, client=api), "meetings")
    same(sorted(m.kind for m in meetings), ["evaluation", "joint"], "the project's meetings")

    last = move(TransitionCreateTo.CLOSED)
    same(last.from_phase, "evaluation", "closed from the evaluation")
    too_late = refused(
        create_finding.sync_detailed(project.id, client=api, body=FindingWrite(text="Too late.")),
        409,
        "a finding after closing",
    )
    same(too_late.code, "project_closed", "a closed project takes nothing")
    transitions = listed(list_transitions.sync_detailed(project.id, client=api), "history")
    same(
        [t.to_phase for t in transitions],
        ["service_definition", "competence_mapping", "development", "evaluation", "closed"],
        "the phases passed",
    )

    # --- both exports: the workbook a file, the document typed ---------------------------

    workbook = export_project_workbook.sync_detailed(project.id, client=api)
    octets = made(workbook, 200, File, "workbook").payload.read()
    check(len(octets) > 1000 and octets[:2] == b"PK", "the workbook is a zip")
    same(workbook.headers.get("Content-Type"), XLSX, "the workbook's media type")
    check(".xlsx" in workbook.headers.get("Content-Disposition", ""), "a file to save")

    document = made(
        export_project.sync_detailed(project.id, client=api), 200, ProjectDocument, "export"
    )
    same(document.format_, "od-platform/project", "the document's format")
    same(document.organisation.name, "Gemeente Utrecht", "the organisation exported")
    check(document.project.phase == "closed", "the project exported closed")
    same(document.project.name, "Samen sterker!", "under its new name")
    same(len(present(document.people, "people")), 5, "the people exported")
    same(len(present(document.competences, "competences")), 2, "the competences exported")

    # --- imports: a dry run writes nothing; the document read into a new organisation ----

    dry = made(
        create_import.sync_detailed(client=api, body=document, dry_run=True),
        200,
        ImportReport,
        "dry run",
    )
    check(dry.dry_run and dry.format_ == "document", "a dry run of a document")
    same(dry.target_id, project.id, "of the same project")
    counts = dry.counts.additional_properties
    check(
        all(c.created == 0 and c.updated == 0 and c.unchanged > 0 for c in counts.values()),
        f"the same document changes nothing: {counts}",
    )
    copy = ProjectDocument(
        format_=document.format_,
        version=document.version,
        organisation=NameOnly(name="Gemeente Utrecht, kopie"),
        project=document.project,
        teams=document.teams,
        people=document.people,
        competences=document.competences,
        themes=document.themes,
    )
    imported = made(
        create_import.sync_detailed(client=api, body=copy, idempotency_key="py-story-import"),
        201,
        ImportReport,
        "import",
    )
    check(not imported.dry_run and imported.format_ == "document", "applied")
    same(imported.counts["people"], BatchResult(created=5, updated=0, unchanged=0), "people")
    same(
        imported.counts["competences"],
        BatchResult(created=0, updated=0, unchanged=2),
        "the catalogue shared",
    )
    check(len(imported.items) > 0, "every item reported")
    check(all(i.outcome != "updated" for i in imported.items), "nothing updated")
    replayed = create_import.sync_detailed(client=api, body=copy, idempotency_key="py-story-import")
    same(made(replayed, 201, ImportReport, "replayed"), imported, "a retry replays the answer")
    same(replayed.headers.get("Idempotent-Replayed"), "true", "said to be replayed")

    # Read back: the report at its id, the new project, and its export equal to what went in.
    kept = made(get_import.sync_detailed(imported.id, client=api), 200, ImportReport, "kept")
    same(kept, imported, "the report is kept")
    copied = made(
        get_project.sync_detailed(present(imported.target_id, "target"), client=api),
        200,
        Project,
        "imported project",
    )
    check(copied.id != project.id, "a new project")
    same(copied.organisation_id, imported.organisation_id, "in the new organisation")
    check(copied.phase == "closed" and copied.name == "Samen sterker!", "as it was exported")
    projects = listed(
        list_projects.sync_detailed(
            client=api, organisation_id=present(imported.organisation_id, "organisation")
        ),
        "the organisation's projects",
    )
    same([p.id for p in projects], [copied.id], "the copy is the organisation's project")
    copied_coordinators = listed(
        list_coordinators.sync_detailed(copied.id, client=api), "copy coordinators"
    )
    same([c.name for c in copied_coordinators], ["Carla"], "Carla coordinates the copy too")
    now_ranked = listed(list_dependencies.sync_detailed(project.id, client=api), "now")
    same(
        shape(now_ranked),
        [(1, "FB", 2, 2, False), (2, "PLAN", 1, 3, False)],
        "Anna's growth took FB off the edge",
    )
    copied_ranking = listed(list_dependencies.sync_detailed(copied.id, client=api), "copy's")
    same(shape(copied_ranking), shape(now_ranked), "the copy's dependencies")
    copied_agreements = listed(
        list_agreements.sync_detailed(copied.id, client=api), "copy agreements"
    )
    same(
        sorted(a.status for a in copied_agreements),
        ["achieved", "proposed"],
        "the agreements came along",
    )
    again = made(export_project.sync_detailed(copied.id, client=api), 200, ProjectDocument, "again")
    same(again, copy, "the copy exports the document it was made from")
    return Tally.steps
