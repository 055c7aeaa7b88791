"""Reading back the ``export.xlsx`` workbook after a consultant edited it: the Services
sheet (client group, deliverables, indicators) and the Matrix sheet (levels). Names,
refs and codes stay as exported, so the workbook updates what it names."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO, Any

from openpyxl import load_workbook

from api.i18n import in_every_language
from api.resources.exports.workbook import MATRIX, SERVICES, SPOF
from api.resources.imports.schemas import whole_number
from domain.competences import MAX_LEVEL, MIN_LEVEL
from domain.errors import RuleViolation
from domain.imports import Row
from domain.texts import Text, _


@dataclass
class WorkbookRows:
    services: list[Row] = field(default_factory=list)
    levels: list[Row] = field(default_factory=list)


def _lines(value) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def rows_of_workbook(stream: IO[bytes]) -> WorkbookRows:
    """The rows of both sheets; a cell that is not a level is reported where it is.

    A workbook is a zip archive, read whole: its size is bounded by the import limit."""
    try:
        book = load_workbook(BytesIO(stream.read()), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise RuleViolation.on(
            "body", _("Not a workbook this platform exported."), "malformed"
        ) from None
    services_sheet = _named(book.sheetnames, SERVICES)
    matrix_sheet = _named(book.sheetnames, MATRIX)
    if matrix_sheet is None and services_sheet is None:
        raise RuleViolation.on(
            "body", _("The workbook has no Matrix or Services sheet."), "malformed"
        )
    found = WorkbookRows()
    if services_sheet is not None:
        rows = book[services_sheet].iter_rows(min_row=2, values_only=True)
        for number, cells in enumerate(rows, 2):
            if not cells or not cells[0]:
                continue
            name, client_group, deliverables, indicators = (list(cells) + [None] * 4)[:4]
            values: dict[str, Any] = {
                "name": str(name).strip(),
                "client_group": str(client_group or ""),
                "deliverables": _lines(deliverables),
                "indicators": _lines(indicators),
            }
            found.services.append(Row(number, f"{services_sheet}!A{number}", values))
    if matrix_sheet is not None:
        rows = book[matrix_sheet].iter_rows(values_only=True)
        header = list(next(rows, ()))
        codes = [str(c).strip() if c is not None else None for c in header[3:]]
        end = in_every_language(SPOF)
        for number, cells in enumerate(rows, 2):
            if not cells or cells[0] is None or cells[0] in end:
                break
            person = str(cells[0]).strip()
            for offset, (code, value) in enumerate(zip(codes, cells[3:], strict=False)):
                if code is None or value in (None, ""):
                    continue
                where = f"{matrix_sheet}!{_column(offset + 4)}{number}"
                value = whole_number(value)
                if value is None:
                    message = _(
                        "A level is a whole number {low} to {high}.", low=MIN_LEVEL, high=MAX_LEVEL
                    )
                    found.levels.append(Row(number, where, None, {"level": [message]}))
                    continue
                values = {"person": person, "competence": code, "level": value, "source": None}
                found.levels.append(Row(number, where, values))
    return found


def _named(sheets: list[str], title: Text) -> str | None:
    """The sheet of this title in whichever language the workbook was exported in."""
    names = in_every_language(title)
    return next((sheet for sheet in sheets if sheet in names), None)


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
