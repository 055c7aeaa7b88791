"""What every stored thing of the domain has in common."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID, uuid4

from domain.errors import StaleVersion


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(kw_only=True, eq=False)
class Entity:
    """An identity with a version: the version makes lost updates detectable (ETag/If-Match)."""

    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def change(self, **values: Any) -> frozenset[str]:
        """Apply ``values`` and answer which fields really changed.

        An empty answer means the write can be skipped: a repeated HRIS upsert is then a
        true no-op, with no new version and no audit record.
        """
        changed = frozenset(k for k, v in values.items() if getattr(self, k) != v)
        for name in changed:
            setattr(self, name, values[name])
        return changed


E = TypeVar("E", bound=Entity)
T = TypeVar("T")  # anything a list answers: entities, and log entries that are not


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    page_size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class ListQuery:
    """How a caller narrows a list: equality filters, an incremental-sync cursor, a page."""

    filters: dict[str, Any] = field(default_factory=dict)
    updated_since: datetime | None = None
    search: str | None = None
    page: PageRequest = field(default_factory=PageRequest)

    def within(self, **filters: Any) -> ListQuery:
        """The same query, narrowed to a parent (a project's findings, an organisation's teams)."""
        return replace(self, filters={**self.filters, **filters})


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int


def expect_version(entity: Entity, expected: int | None, name: str) -> None:
    """Honour a caller's precondition: they may only overwrite the version they have seen."""
    if expected is not None and expected != entity.version:
        raise StaleVersion(name)
