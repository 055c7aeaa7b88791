"""Moving a project between phases (``domain.services.projects.transition``), over fakes."""

from uuid import uuid4

import pytest

from domain.errors import GateClosed, RuleViolation
from domain.intake import Conclusion, Finding, ReadinessRating
from domain.phases import Phase
from domain.projects import Participant, ParticipantRole, Project
from domain.services.projects import checklist, transition
from tests.unit.fakes import FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def project_in(uow: FakeUnitOfWork, phase: Phase = Phase.INTAKE) -> Project:
    project = Project(organisation_id=uuid4(), team_id=uuid4(), name="Samen sterker", phase=phase)
    uow.projects.seed(project)
    return project


def meet_intake(uow: FakeUnitOfWork, project: Project) -> None:
    """A finding, two members who both rated, and a team that says it is ready."""
    uow.findings.seed(Finding(project_id=project.id, text="Nobody shares knowledge."))
    for _ in range(2):
        member = Participant(
            project_id=project.id, person_id=uuid4(), roles=[ParticipantRole.MEMBER]
        )
        uow.participants.seed(member)
        uow.readiness.seed(
            ReadinessRating(
                project_id=project.id, participant_id=member.id, desire=4, energy=4, feasibility=3
            )
        )
    uow.conclusions.seed(Conclusion(project_id=project.id, ready=True))


def phase_of(uow: FakeUnitOfWork, project: Project) -> Phase:
    return uow.projects.get(project.id).phase


def test_a_met_gate_moves_the_project_forward_and_commits(uow):
    project = project_in(uow)
    meet_intake(uow, project)

    transition(uow, project.id, to=Phase.SERVICE_DEFINITION, reason=None)

    assert uow.committed
    assert phase_of(uow, project) is Phase.SERVICE_DEFINITION


def test_a_forward_move_is_recorded_as_a_phase_transition_by_the_actor(uow):
    project = project_in(uow)
    meet_intake(uow, project)

    transition(uow, project.id, to=Phase.SERVICE_DEFINITION, reason=None)

    [move] = uow.transitions.all(project_id=project.id)
    assert (move.from_phase, move.to_phase) == (Phase.INTAKE, Phase.SERVICE_DEFINITION)
    assert move.actor_id == uow.scope.actor_id
    assert not move.backwards


def test_an_unmet_gate_is_refused_with_every_unmet_condition(uow):
    project = project_in(uow)

    with pytest.raises(GateClosed) as refused:
        transition(uow, project.id, to=Phase.SERVICE_DEFINITION, reason=None)

    assert [u.code for u in refused.value.unmet] == ["no_findings", "no_members", "no_conclusion"]
    assert refused.value.unmet == checklist(uow, project.id).unmet


def test_a_refused_move_commits_nothing(uow):
    project = project_in(uow)

    with pytest.raises(GateClosed):
        transition(uow, project.id, to=Phase.SERVICE_DEFINITION, reason=None)

    assert not uow.committed
    assert phase_of(uow, project) is Phase.INTAKE
    assert uow.transitions.all() == []


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_moving_back_a_phase_needs_a_reason(uow, reason):
    project = project_in(uow, Phase.SERVICE_DEFINITION)

    with pytest.raises(RuleViolation) as refused:
        transition(uow, project.id, to=Phase.INTAKE, reason=reason)

    assert [(v.field, v.code) for v in refused.value.violations] == [("reason", "required")]
    assert not uow.committed
    assert phase_of(uow, project) is Phase.SERVICE_DEFINITION


def test_moving_back_a_phase_with_a_reason_keeps_the_reason_in_the_history(uow):
    project = project_in(uow, Phase.SERVICE_DEFINITION)

    transition(uow, project.id, to=Phase.INTAKE, reason="The MT wants a second intake.")

    assert uow.committed
    assert phase_of(uow, project) is Phase.INTAKE
    [move] = uow.transitions.all(project_id=project.id)
    assert move.backwards
    assert move.reason == "The MT wants a second intake."


def test_moving_back_passes_no_gate(uow):
    """The intake's gate is far from met, yet a project may return to it."""
    project = project_in(uow, Phase.SERVICE_DEFINITION)

    transition(uow, project.id, to=Phase.INTAKE, reason="Start over.")

    assert phase_of(uow, project) is Phase.INTAKE


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Phase.INTAKE, Phase.COMPETENCE_MAPPING),
        (Phase.DEVELOPMENT, Phase.SERVICE_DEFINITION),
        (Phase.INTAKE, Phase.INTAKE),
    ],
)
def test_a_move_of_other_than_one_phase_is_a_violation_on_to(uow, current, target):
    project = project_in(uow, current)
    meet_intake(uow, project)

    with pytest.raises(RuleViolation) as refused:
        transition(uow, project.id, to=target, reason="Because.")

    assert [(v.field, v.code) for v in refused.value.violations] == [("to", "not_adjacent")]
    assert not uow.committed
    assert phase_of(uow, project) is current


@pytest.mark.parametrize(
    ("current", "first_unmet"),
    [
        (Phase.SERVICE_DEFINITION, "no_services"),
        (Phase.COMPETENCE_MAPPING, "no_wishes"),
        (Phase.EVALUATION, "no_evaluation_meeting"),
    ],
)
def test_the_gates_of_later_phases_name_their_own_conditions(uow, current, first_unmet):
    project = project_in(uow, current)

    with pytest.raises(GateClosed) as refused:
        transition(uow, project.id, to=current.next, reason=None)

    assert refused.value.target == current.next.value
    assert first_unmet in [u.code for u in refused.value.unmet]
    assert not uow.committed
