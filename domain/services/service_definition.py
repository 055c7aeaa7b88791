"""Service definition: services, their groups, MT feedback, and the derived coordinators."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page, expect_version
from domain.errors import NotFound, RuleViolation, Violation
from domain.indicators import Indicator, Measurement, find_indicator, indicators_of
from domain.meetings import MeetingKind
from domain.phases import Phase
from domain.ports import UnitOfWork
from domain.projects import ParticipantRole
from domain.service_definition import (
    Contribution,
    Coordinator,
    FeedbackStatus,
    ManagementFeedback,
    RequiredCompetence,
    Service,
    coordinators,
)
from domain.services import project_records as records
from domain.texts import _

SINCE = Phase.SERVICE_DEFINITION


# --- services ----------------------------------------------------------------------


def list_services(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[Service]:
    """Services with their groups and feedback counts, in a fixed number of statements."""
    with uow:
        uow.projects.get(project_id)
        page = uow.services.list(query.within(project_id=project_id))
        _show_groups(uow, project_id, page.items)
        return page


def get_service(uow: UnitOfWork, project_id: UUID, service_id: UUID) -> Service:
    with uow:
        uow.projects.get(project_id)
        service = uow.services.get(service_id, project_id=project_id)
        _show_groups(uow, project_id, [service])
        return service


def define_service(uow: UnitOfWork, project_id: UUID, values: dict[str, Any]) -> Service:
    with uow:
        records.open_project(uow, project_id, SINCE)
        _ensure_name_free(uow, project_id, values["name"])
        values["required_competences"] = _requirements(uow, values.get("required_competences", []))
        service = Service(project_id=project_id, **values)
        uow.services.add(service)
        uow.commit()
    return service


def update_service(
    uow: UnitOfWork,
    project_id: UUID,
    service_id: UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> Service:
    with uow:
        records.open_project(uow, project_id, SINCE)
        service = uow.services.get(service_id, project_id=project_id)
        expect_version(service, expected_version, "service")
        if "name" in changes and changes["name"] != service.name:
            _ensure_name_free(uow, project_id, changes["name"])
        if "required_competences" in changes:
            already = {r.competence_id for r in service.required_competences}
            changes["required_competences"] = _requirements(
                uow, changes["required_competences"], already
            )
        uow.services.update(service, service.change(**changes))
        _show_groups(uow, project_id, [service])
        uow.commit()
    return service


def delete_service(
    uow: UnitOfWork, project_id: UUID, service_id: UUID, expected_version: int | None
) -> None:
    """The service group and its MT feedback go with the service."""
    records.remove_from_project(uow, "services", project_id, service_id, expected_version, SINCE)


def _show_groups(uow: UnitOfWork, project_id: UUID, services: list[Service]) -> None:
    groups: dict[UUID, list[Contribution]] = defaultdict(list)
    for contribution in uow.contributions.all(project_id=project_id):
        groups[contribution.service_id].append(contribution)
    counts = uow.feedback.counts_by_service(project_id)
    measured: dict[UUID, list[Measurement]] = defaultdict(list)
    for measurement in uow.measurements.all(project_id=project_id):
        measured[measurement.service_id].append(measurement)
    for service in services:
        service.contributors = groups[service.id]
        service.feedback_counts = {s.value: counts[service.id][s] for s in FeedbackStatus}
        service.measured_indicators = indicators_of(service, measured[service.id])


# --- indicators and their measurements ---------------------------------------------


def list_indicators(uow: UnitOfWork, project_id: UUID, service_id: UUID) -> list[Indicator]:
    """The service's indicators, each with its latest measurement and trend."""
    with uow:
        uow.projects.get(project_id)
        service = uow.services.get(service_id, project_id=project_id)
        return indicators_of(service, uow.measurements.all(service_id=service_id))


def list_measurements(
    uow: UnitOfWork, project_id: UUID, service_id: UUID, indicator_id: UUID, query: ListQuery
) -> Page[Measurement]:
    """An indicator's measurements, oldest first."""
    with uow:
        uow.projects.get(project_id)
        service = uow.services.get(service_id, project_id=project_id)
        name = _indicator(service, indicator_id)
        return uow.measurements.list(query.within(service_id=service_id, indicator=name))


def measure(
    uow: UnitOfWork,
    project_id: UUID,
    service_id: UUID,
    indicator_id: UUID,
    values: dict[str, Any],
) -> Measurement:
    """Record what an indicator measured on a day: the effect the client sees."""
    with uow:
        records.open_project(uow, project_id, SINCE)
        service = uow.services.get(service_id, project_id=project_id)
        measurement = Measurement(
            project_id=project_id,
            service_id=service_id,
            indicator=_indicator(service, indicator_id),
            **values,
        )
        return records.add_to_project(uow, "measurements", measurement)


def _indicator(service: Service, indicator_id: UUID) -> str:
    name = find_indicator(service, indicator_id)
    if name is None:
        raise NotFound("indicator", indicator_id)
    return name


def _ensure_name_free(uow: UnitOfWork, project_id: UUID, name: str) -> None:
    if uow.services.find_by(project_id=project_id, name=name):
        raise RuleViolation.on(
            "name", _("The project already has a service with this name."), "duplicate"
        )


def _requirements(
    uow: UnitOfWork, wanted: Sequence[dict[str, Any]], already: Collection[UUID] = ()
) -> list[RequiredCompetence]:
    """Each required competence must exist, be named once, and be current unless the
    service ``already`` requires it (archiving keeps existing requirements readable)."""
    found = {c.id: c for c in uow.competences.find_many({w["competence_id"] for w in wanted})}
    violations: list[Violation] = []
    seen: set[UUID] = set()
    for index, item in enumerate(wanted):
        where = f"required_competences.{index}.competence_id"
        competence = found.get(item["competence_id"])
        if competence is None:
            violations.append(
                Violation(where, _("No competence with this id."), "unknown_competence")
            )
        elif competence.archived and competence.id not in already:
            violations.append(Violation(where, _("This competence is archived."), "archived"))
        elif competence.id in seen:
            violations.append(Violation(where, _("Listed twice."), "duplicate"))
        seen.add(item["competence_id"])
    if violations:
        raise RuleViolation(violations)
    return [RequiredCompetence(w["competence_id"], w["level"]) for w in wanted]


# --- the service group -------------------------------------------------------------


def list_contributors(
    uow: UnitOfWork, project_id: UUID, service_id: UUID, query: ListQuery
) -> Page[Contribution]:
    with uow:
        uow.projects.get(project_id)
        uow.services.get(service_id, project_id=project_id)
        return uow.contributions.list(query.within(service_id=service_id))


def get_contributor(
    uow: UnitOfWork, project_id: UUID, service_id: UUID, participant_id: UUID
) -> Contribution:
    with uow:
        uow.projects.get(project_id)
        uow.services.get(service_id, project_id=project_id)
        return _contribution(uow, service_id, participant_id)


def add_contributor(
    uow: UnitOfWork, project_id: UUID, service_id: UUID, *, participant_id: UUID, contribution: str
) -> Contribution:
    with uow:
        records.open_project(uow, project_id, SINCE)
        uow.services.get(service_id, project_id=project_id)
        participant = records.participant_in(uow, project_id, participant_id)
        if uow.contributions.find_by(service_id=service_id, participant_id=participant_id):
            raise RuleViolation.on(
                "participant_id",
                _("This participant already contributes to the service."),
                "duplicate",
            )
        record = Contribution(
            project_id=project_id,
            service_id=service_id,
            participant_id=participant_id,
            contribution=contribution,
            name=participant.name,
        )
        return records.add_to_project(uow, "contributions", record)


def update_contribution(
    uow: UnitOfWork,
    project_id: UUID,
    service_id: UUID,
    participant_id: UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> Contribution:
    with uow:
        records.open_project(uow, project_id, SINCE)
        uow.services.get(service_id, project_id=project_id)
        record = _contribution(uow, service_id, participant_id)
        expect_version(record, expected_version, "contribution")
        uow.contributions.update(record, record.change(**changes))
        uow.commit()
    return record


def remove_contributor(
    uow: UnitOfWork,
    project_id: UUID,
    service_id: UUID,
    participant_id: UUID,
    expected_version: int | None,
) -> None:
    with uow:
        records.open_project(uow, project_id, SINCE)
        uow.services.get(service_id, project_id=project_id)
        record = _contribution(uow, service_id, participant_id)
        expect_version(record, expected_version, "contribution")
        uow.contributions.remove(record)
        uow.commit()


def _contribution(uow: UnitOfWork, service_id: UUID, participant_id: UUID) -> Contribution:
    record = uow.contributions.find_by(service_id=service_id, participant_id=participant_id)
    if record is None:
        raise NotFound("contributor", participant_id)
    return record


def list_coordinators(uow: UnitOfWork, project_id: UUID) -> list[Coordinator]:
    """Derived on every read from the contributions, so it follows them at once."""
    with uow:
        uow.projects.get(project_id)
        return coordinators(
            uow.contributions.all(project_id=project_id), uow.services.all(project_id=project_id)
        )


# --- MT feedback -------------------------------------------------------------------


def list_feedback(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[ManagementFeedback]:
    """Feedback of a project, or of one service when the query names it."""
    with uow:
        uow.projects.get(project_id)
        if "service_id" in query.filters:
            uow.services.get(query.filters["service_id"], project_id=project_id)
        return uow.feedback.list(query.within(project_id=project_id))


def get_feedback(
    uow: UnitOfWork, project_id: UUID, service_id: UUID, feedback_id: UUID
) -> ManagementFeedback:
    with uow:
        uow.projects.get(project_id)
        return uow.feedback.get(feedback_id, project_id=project_id, service_id=service_id)


def give_feedback(
    uow: UnitOfWork,
    project_id: UUID,
    service_id: UUID,
    *,
    text: str,
    participant_id: UUID | None,
    author_name: str | None,
    meeting_id: UUID | None = None,
) -> ManagementFeedback:
    """Feedback comes from an MT member: a participant with that role, or one named."""
    with uow:
        records.open_project(uow, project_id, SINCE)
        uow.services.get(service_id, project_id=project_id)
        if (participant_id is None) == (author_name is None):
            raise RuleViolation.on(
                "participant_id",
                _("Name the MT member who gave it: participant_id or author_name, not both."),
                "author_required",
            )
        if participant_id is not None:
            participant = uow.participants.find(participant_id, project_id=project_id)
            if participant is None or not participant.has_role(ParticipantRole.MT_MEMBER):
                raise RuleViolation.on(
                    "participant_id",
                    _("No participant with the mt_member role and this id in the project."),
                    "not_mt_member",
                )
        _presentation(uow, project_id, meeting_id)
        feedback = ManagementFeedback(
            project_id=project_id,
            service_id=service_id,
            text=text,
            participant_id=participant_id,
            author_name=author_name,
            meeting_id=meeting_id,
        )
        return records.add_to_project(uow, "feedback", feedback)


def update_feedback(
    uow: UnitOfWork,
    project_id: UUID,
    service_id: UUID,
    feedback_id: UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> ManagementFeedback:
    """Processing feedback needs the service group's response; processed stays processed."""
    with uow:
        records.open_project(uow, project_id, SINCE)
        feedback = uow.feedback.get(feedback_id, project_id=project_id, service_id=service_id)
        expect_version(feedback, expected_version, "feedback")
        if "meeting_id" in changes:
            _presentation(uow, project_id, changes["meeting_id"])
        status = changes.get("status", feedback.status)
        response = changes.get("response", feedback.response)
        if feedback.status is FeedbackStatus.PROCESSED and status is FeedbackStatus.OPEN:
            raise RuleViolation.on("status", _("Processed feedback cannot be reopened."), "reopen")
        if status is FeedbackStatus.PROCESSED and not (response and response.strip()):
            raise RuleViolation.on(
                "response",
                _("Processing feedback needs the service group's response."),
                "response_required",
            )
        uow.feedback.update(feedback, feedback.change(**changes))
        uow.commit()
    return feedback


def _presentation(uow: UnitOfWork, project_id: UUID, meeting_id: UUID | None) -> None:
    """Feedback names the meeting that produced it: an MT presentation of the project."""
    if meeting_id is None:
        return
    meeting = uow.meetings.find(meeting_id, project_id=project_id)
    if meeting is None:
        raise RuleViolation.on(
            "meeting_id", _("No meeting with this id in the project."), "unknown_meeting"
        )
    if meeting.kind is not MeetingKind.MT_PRESENTATION:
        raise RuleViolation.on(
            "meeting_id",
            _(
                "Feedback comes from an MT presentation; this meeting is {kind}.",
                kind=meeting.kind.value,
            ),
            "not_mt_presentation",
        )
