"""Airing grievances at the intake (``domain.services.intake.air_grievance``), over fakes."""

from uuid import uuid4

import pytest

from domain.errors import RuleViolation
from domain.projects import Participant, ParticipantRole, Project
from domain.services.intake import air_grievance
from tests.unit.fakes import FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def project(uow: FakeUnitOfWork) -> Project:
    made = Project(organisation_id=uuid4(), team_id=uuid4(), name="Samen sterker")
    uow.projects.seed(made)
    return made


def participant(uow: FakeUnitOfWork, project: Project) -> Participant:
    made = Participant(project_id=project.id, person_id=uuid4(), roles=[ParticipantRole.MEMBER])
    uow.participants.seed(made)
    return made


def violation_of(refused: pytest.ExceptionInfo[RuleViolation]) -> tuple[str, str]:
    [violation] = refused.value.violations
    return violation.field, violation.code


def test_an_anonymous_grievance_is_stored_without_a_participant(uow):
    target = project(uow)

    aired = air_grievance(
        uow, target.id, text="Conflicts are never addressed.", anonymous=True, participant_id=None
    )

    assert uow.committed
    kept = uow.grievances.get(aired.id)
    assert (kept.anonymous, kept.participant_id) == (True, None)


def test_an_anonymous_grievance_naming_a_participant_is_refused(uow):
    target = project(uow)
    author = participant(uow, target)

    with pytest.raises(RuleViolation) as refused:
        air_grievance(uow, target.id, text="…", anonymous=True, participant_id=author.id)

    assert violation_of(refused) == ("participant_id", "anonymous_with_author")
    assert not uow.committed
    assert uow.grievances.all() == []


def test_a_signed_grievance_keeps_its_author(uow):
    target = project(uow)
    author = participant(uow, target)

    aired = air_grievance(uow, target.id, text="…", anonymous=False, participant_id=author.id)

    assert uow.grievances.get(aired.id).participant_id == author.id


def test_a_signed_grievance_needs_a_participant(uow):
    target = project(uow)

    with pytest.raises(RuleViolation) as refused:
        air_grievance(uow, target.id, text="…", anonymous=False, participant_id=None)

    assert violation_of(refused) == ("participant_id", "unknown_participant")
    assert not uow.committed


def test_a_signed_grievance_needs_a_participant_of_the_same_project(uow):
    target, elsewhere = project(uow), project(uow)
    stranger = participant(uow, elsewhere)

    with pytest.raises(RuleViolation) as refused:
        air_grievance(uow, target.id, text="…", anonymous=False, participant_id=stranger.id)

    assert violation_of(refused) == ("participant_id", "unknown_participant")
    assert uow.grievances.all() == []
