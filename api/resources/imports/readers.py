"""Reading an uploaded file row by row, never whole: each row is checked against the
schema of its kind as it is read, and handed on as a ``Row`` with its location."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import IO

import marshmallow as ma

from domain.imports import Row
from domain.texts import _, _n

NOT_UTF8 = _("The file is not UTF-8 text.")


def _checked(schema: ma.Schema, index: int, location: str, data: object) -> Row:
    if not isinstance(data, dict):
        return Row(index, location, None, {"": [_("Each row must be a JSON object.")]})
    try:
        return Row(index, location, schema.load(data))
    except ma.ValidationError as error:
        return Row(index, location, None, flat_errors(error.messages))


def flat_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(messages, list):
        return {prefix: [m if isinstance(m, str) else str(m) for m in messages]}  # Text kept
    flat: dict[str, list[str]] = {}
    for name, inner in messages.items():
        flat.update(flat_errors(inner, f"{prefix}.{name}" if prefix else str(name)))
    return flat


def _text(stream: IO[bytes]) -> io.TextIOWrapper:
    # utf-8-sig: spreadsheet programs put a byte-order mark before the header.
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def ndjson_rows(stream: IO[bytes], schema: ma.Schema) -> Iterator[Row]:
    """One JSON object per line; blank lines are skipped."""
    number = 0
    try:
        for number, line in enumerate(_text(stream), start=1):
            if not line.strip():
                continue
            location = f"line {number}"
            try:
                data = json.loads(line)
            except ValueError as error:
                yield Row(
                    number, location, None, {"": [_("Not valid JSON: {error}.", error=error.msg)]}
                )
                continue
            yield _checked(schema, number, location, data)
    except UnicodeDecodeError:
        yield Row(number + 1, f"line {number + 1}", None, {"": [NOT_UTF8]})


def csv_rows(stream: IO[bytes], schema: ma.Schema, columns: tuple[str, ...]) -> Iterator[Row]:
    """A header line naming the columns (any order, unknown ones refused), then one row per
    line; an empty cell is a missing value."""
    try:
        reader = csv.DictReader(_text(stream), strict=True)
        header = reader.fieldnames or []
        unknown = [c for c in header if c not in columns]
        if unknown or not header:
            expected = ", ".join(columns)
            unknown_names = ", ".join(map(repr, unknown))
            yield Row(
                1,
                "line 1",
                None,
                {
                    "header": [
                        _n(
                            "Unknown column {names}; the columns are: {expected}.",
                            "Unknown columns {names}; the columns are: {expected}.",
                            len(unknown),
                            names=unknown_names,
                            expected=expected,
                        )
                    ]
                    if unknown
                    else [
                        _(
                            "The file has no header line; the columns are: {expected}.",
                            expected=expected,
                        )
                    ]
                },
            )
            return
        for record in reader:
            number = reader.line_num
            if None in record or None in record.values():
                yield Row(
                    number,
                    f"line {number}",
                    None,
                    {"": [_("The row has a different number of cells than the header.")]},
                )
                continue
            values = {k: v for k, v in record.items() if v != ""}
            yield _checked(schema, number, f"line {number}", values)
    except UnicodeDecodeError:
        yield Row(0, "file", None, {"": [NOT_UTF8]})
    except csv.Error as error:
        yield Row(0, "file", None, {"": [_("Not a valid CSV file: {error}.", error=str(error))]})
