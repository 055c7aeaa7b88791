"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out; SQLite would otherwise hand back naive datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; the application works in UTC")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class StrEnumType(TypeDecorator[enum.StrEnum]):
    """An enum stored as its plain string value (portable, and readable in SQL)."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum_class: type[enum.StrEnum]) -> None:
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum_class(value).value

    def result_processor(self, dialect, coltype):
        # Each value read is looked up by a dict's own C code, with no Python call in
        # between: calling the enum class takes a microsecond, and the matrix reads 20,000
        # values. (The string impl has no result processor of its own to chain.)
        members = {m.value: m for m in self.enum_class}
        return {None: None, **members}.__getitem__


class StrEnumList(TypeDecorator[list]):
    """A short list of enum values, kept as JSON."""

    impl = JSON
    cache_ok = True

    def __init__(self, enum_class: type[enum.StrEnum]) -> None:
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else [self.enum_class(v).value for v in value]

    def process_result_value(self, value, dialect):
        return None if value is None else [self.enum_class(v) for v in value]
