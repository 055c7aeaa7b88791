"""Imports: many records in one request, by natural keys, all or nothing.

An import upserts: each item is matched by its natural key (a person's ``external_id``,
a competence's ``code``, a service's name ...) and is then *created*, *updated* or left
*unchanged*. A file is validated as a whole; one bad row rejects it with every problem
located (a line of a CSV or NDJSON file, a JSON pointer into a document), and nothing of
it is kept.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeGuard
from uuid import UUID

from domain.base import Entity
from domain.errors import RuleViolation, Violation
from domain.texts import _n

# Beyond this many problems a file is plainly the wrong file; the rest are only counted.
MAX_REPORTED_PROBLEMS = 1000


class ImportFormat(enum.StrEnum):
    DOCUMENT = "document"  # the JSON document of /projects/{id}/export
    NDJSON = "ndjson"
    CSV = "csv"
    WORKBOOK = "workbook"  # the export.xlsx workbook, edited in a spreadsheet program


class RowKind(enum.StrEnum):
    """The kinds a CSV or NDJSON file may carry, one kind per file."""

    PEOPLE = "people"  # of an organisation
    COMPETENCES = "competences"  # of the workspace
    LEVELS = "levels"  # of a project's matrix
    CONTRIBUTIONS = "contributions"  # of a project's services
    WISHES = "wishes"  # of a project's participants


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Row:
    """One item of a file, as the reader found it: its values, or what is wrong with its
    form. ``location`` is what a person is told ("line 7", "/people/3")."""

    index: int
    location: str
    values: dict[str, Any] | None
    errors: dict[str, list[str]] = field(default_factory=dict)


class RowFile(Protocol):
    """The rows of a CSV or NDJSON file as a reader reads them, and what reading found out
    about the file, sure once every row was read: its text encoding (``utf-8``,
    ``utf-8-sig`` with a byte-order mark, ``windows-1252``) and its CSV delimiter."""

    @property
    def encoding(self) -> str | None: ...

    @property
    def delimiter(self) -> str | None: ...

    def __iter__(self) -> Iterator[Row]: ...


class WellFormed(Protocol):
    """A row whose form the reader found right (``Tally.well_formed``): it has its values,
    which are what the kinds of row apply."""

    @property
    def index(self) -> int: ...

    @property
    def location(self) -> str: ...

    @property
    def values(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ImportedItem:
    index: int
    kind: str
    key: str
    outcome: Outcome


@dataclass(kw_only=True, eq=False)
class Import(Entity):
    """The report of an applied import, kept so a script can read it back later."""

    format: ImportFormat
    kind: str | None = None  # the row kind of a CSV or NDJSON file
    target_id: UUID | None = None  # the organisation or project it was applied to
    # Whose data it touched (None: the workspace's own, competences): a key restricted to
    # another organisation does not see the report, whose items name that data.
    organisation_id: UUID | None = None
    dry_run: bool = False
    encoding: str | None = None  # of a CSV or NDJSON file, as read
    delimiter: str | None = None  # of a CSV file, as found in its header
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    items: list[ImportedItem] = field(default_factory=list)
    actor_id: UUID | None = None


class Tally:
    """What an import did so far, item by item and per kind; and what is wrong with it."""

    def __init__(self) -> None:
        self.items: list[ImportedItem] = []
        self.counts: dict[str, Counter[str]] = {}
        self.problems: list[Violation] = []
        self.unreported = 0

    def add(self, row: WellFormed | int, kind: str, key: str, outcome: Outcome) -> None:
        index = row if isinstance(row, int) else row.index
        self.items.append(ImportedItem(index, kind, key, outcome))
        self.counts.setdefault(kind, Counter())[outcome.value] += 1

    def problem(self, location: str, field_name: str | None, message: str, code: str) -> None:
        if len(self.problems) >= MAX_REPORTED_PROBLEMS:
            self.unreported += 1
            return
        self.problems.append(Violation(field_name or "", message, code, location))

    def form_errors(self, row: Row) -> bool:
        """Record what the reader found wrong with a row's form; answers whether it was wrong."""
        for name, messages in row.errors.items():
            for message in messages:
                self.problem(row.location, name, message, "invalid")
        return row.values is None or bool(row.errors)

    def well_formed(self, rows: Iterable[Row]) -> list[WellFormed]:
        """The rows to apply; what the reader found wrong with the others is recorded."""
        return [row for row in rows if self._is_well_formed(row)]

    def _is_well_formed(self, row: Row) -> TypeGuard[WellFormed]:
        return not self.form_errors(row)

    def check(self) -> None:
        """Reject the whole import if anything was wrong."""
        if self.problems:
            raise ImportRejected(self.problems, self.unreported)

    def report(self, **values: Any) -> Import:
        counts = {
            kind: {o.value: counter.get(o.value, 0) for o in Outcome}
            for kind, counter in self.counts.items()
        }
        return Import(counts=counts, items=self.items, **values)


class ImportRejected(RuleViolation):
    """The file breaks rules; nothing of it was written."""

    def __init__(self, problems: list[Violation], unreported: int = 0) -> None:
        super().__init__(problems)
        total = len(problems) + unreported
        self.message = (
            _n(
                "Nothing was imported: {count} problem in the file ({unreported} more not "
                "listed); each is listed with where it is.",
                "Nothing was imported: {count} problems in the file ({unreported} more not "
                "listed); each is listed with where it is.",
                total,
                unreported=unreported,
            )
            if unreported
            else _n(
                "Nothing was imported: {count} problem in the file; each is listed with "
                "where it is.",
                "Nothing was imported: {count} problems in the file; each is listed with "
                "where it is.",
                total,
            )
        )
        self.args = (self.message,)
