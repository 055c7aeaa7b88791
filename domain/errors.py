"""Domain errors: what went wrong in the terms of the domain, never as HTTP status codes.

The HTTP layer maps each class to one response in one place (``api.problems``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from domain.phases import Phase
from domain.texts import Text, _, _n

# What a person calls each kind of thing a message may be about; keyed as repositories
# and services name them (``entity_type``, which the audit trail keeps language-neutral).
ENTITIES: dict[str, Text] = {
    "action": _("action"),
    "action_report": _("action report"),
    "agreement": _("development agreement"),
    "api_key": _("API key"),
    "check_in": _("check-in"),
    "commitment": _("commitment"),
    "competence": _("competence"),
    "conclusion": _("conclusion"),
    "contribution": _("contribution"),
    "contributor": _("contributor"),
    "feedback": _("MT feedback"),
    "finding": _("finding"),
    "grievance": _("grievance"),
    "import": _("import"),
    "level": _("level"),
    "measurement": _("measurement"),
    "meeting": _("meeting"),
    "organisation": _("organisation"),
    "participant": _("participant"),
    "person": _("person"),
    "project": _("project"),
    "project_theme": _("project theme"),
    "pulse_survey": _("pulse survey"),
    "readiness_rating": _("readiness rating"),
    "readiness_round": _("readiness round"),
    "service": _("service"),
    "team": _("team"),
    "theme": _("theme"),
    "user": _("user"),
    "webhook": _("webhook"),
    "wish": _("development wish"),
    "workspace": _("workspace"),
}


def entity_name(entity: str) -> Text | str:
    """The name of a kind of thing, to translate; a kind without one reads as its key."""
    key = entity.lower().replace(" ", "_")
    return ENTITIES.get(key, entity.replace("_", " "))


class DomainError(Exception):
    """Base of every error a caller can cause and correct."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message  # a ``Text`` where the domain wrote it: English as a str


class NotFound(DomainError):
    """The thing does not exist *for this caller*: other workspaces' data looks the same."""

    def __init__(
        self, entity: str, key: object | None = None, *, message: Text | None = None
    ) -> None:
        name = entity_name(entity)
        if message is None:
            message = (
                _("No {entity} here.", entity=name)
                if key is None
                else _("No {entity} {key} here.", entity=name, key=key)
            )
        super().__init__(message)
        self.entity = entity


class NotPermitted(DomainError):
    """The caller is known but may not do this (e.g. a key restricted to one organisation)."""


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate name, a thing still in use)."""

    def __init__(self, message: str, code: str = "conflict") -> None:
        super().__init__(message)
        self.code = code


class StaleVersion(DomainError):
    """The caller's copy is out of date: someone else changed the thing since it was read."""

    def __init__(self, entity: str, detail: str | None = None) -> None:
        super().__init__(
            detail
            or _(
                "The {entity} was changed by someone else; read it again and reapply your change.",
                entity=entity_name(entity),
            )
        )


@dataclass(frozen=True)
class Violation:
    """One broken rule, located at the input field it concerns; in a file, also at the
    item (``location``: "line 7" of a CSV or NDJSON file, "/people/3" of a document)."""

    field: str
    message: str
    code: str = "invalid"
    location: str | None = None


class RuleViolation(DomainError):
    """Input that is well-formed but breaks a rule of the domain (HTTP would say 422)."""

    def __init__(self, violations: Sequence[Violation] | Violation) -> None:
        if isinstance(violations, Violation):
            violations = [violations]
        self.violations = list(violations)
        # "field: message; field: message", each message in the language it is read in.
        super().__init__(
            Text(
                "; ".join(f"{{field{i}}}: {{message{i}}}" for i in range(len(self.violations))),
                {
                    key: value
                    for i, v in enumerate(self.violations)
                    for key, value in ((f"field{i}", v.field), (f"message{i}", v.message))
                },
            )
        )

    @classmethod
    def on(cls, field_name: str, message: str, code: str = "invalid") -> RuleViolation:
        return cls(Violation(field_name, message, code))


UnmetSubject = dict[str, str | list[str]]
"""What an unmet condition is about, by id, so a front end can point at it: keys from
``participant_id``, ``service_id``, ``competence_id``, ``wish_id``, ``meeting_id``,
``agreement_id`` (a uuid string each) and ``participant_ids``, ``service_ids``,
``competence_ids`` (lists of uuid strings); empty for a condition about the project."""


@dataclass(frozen=True)
class Unmet:
    """One condition of a phase gate that is not met yet, for a checklist."""

    code: str
    message: str
    subject: UnmetSubject = field(default_factory=dict)


class GateClosed(DomainError):
    """A phase transition was refused because its gate has unmet conditions."""

    def __init__(self, target: str, unmet: Sequence[Unmet]) -> None:
        super().__init__(
            _n(
                "The project cannot move to {target} yet: {count} condition unmet.",
                "The project cannot move to {target} yet: {count} conditions unmet.",
                len(unmet),
                target=Phase(target).label,
            )
        )
        self.target = target
        self.unmet = list(unmet)
