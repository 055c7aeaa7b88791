"""Domain errors: what went wrong in the terms of the domain, never as HTTP status codes.

The HTTP layer maps each class to one response in one place (``api.problems``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


class DomainError(Exception):
    """Base of every error a caller can cause and correct."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing does not exist *for this caller*: other workspaces' data looks the same."""

    def __init__(self, entity: str, key: object | None = None) -> None:
        suffix = f" {key}" if key is not None else ""
        super().__init__(f"No {entity.replace('_', ' ')}{suffix} here.")
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
            or f"The {entity.replace('_', ' ')} was changed by someone else; "
            "read it again and reapply your change."
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
        super().__init__("; ".join(f"{v.field}: {v.message}" for v in self.violations))

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
            f"The project cannot move to {target} yet: {len(unmet)} condition(s) unmet."
        )
        self.target = target
        self.unmet = list(unmet)
