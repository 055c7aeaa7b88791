"""Reading an uploaded file row by row, never whole: each row is checked against the
schema of its kind as it is read, and handed on as a ``Row`` with its location.

A CSV file is read as spreadsheet programs write it: Dutch Excel separates cells with
semicolons and, saved as plain "CSV", writes Windows-1252 rather than UTF-8. So the
delimiter is found in the header line, and the encoding as the bytes arrive: UTF-8, with
or without a byte-order mark, unless a byte is met that UTF-8 cannot hold before any
character beyond ASCII was; then the file is Windows-1252 (whose first 128 characters
are ASCII, so what was read so far reads alike).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
from collections.abc import Iterator
from typing import IO

import marshmallow as ma

from domain.imports import Row
from domain.texts import _, _n

UTF8, UTF8_BOM, WINDOWS_1252 = "utf-8", "utf-8-sig", "windows-1252"
ENCODINGS = (UTF8, UTF8_BOM, WINDOWS_1252)
DELIMITERS = (",", ";", "\t")
NOT_TEXT = _("The file is neither UTF-8 nor Windows-1252 text.")
CHUNK = io.DEFAULT_BUFFER_SIZE  # a sliver: the first rows are checked as soon as they arrive


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


def _nullable(schema: ma.Schema, name: str) -> bool:
    field = schema.fields.get(name)
    return field is not None and field.allow_none and not field.required


class Transcoded(io.RawIOBase):
    """The upload as UTF-8, chunk by chunk: UTF-8 passes through (its byte-order mark
    dropped), Windows-1252 is converted. ``encoding`` says which it was, once read."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.encoding = UTF8
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._only_ascii = True  # so far: a wrong byte now means Windows-1252
        self._started = False
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            chunk = self.stream.read(CHUNK)
            if not chunk:
                if self.encoding != WINDOWS_1252:
                    self._utf8.decode(b"", final=True)  # a character cut off at the end
                return 0
            if not self._started:
                self._started = True
                if chunk.startswith(codecs.BOM_UTF8):
                    self.encoding, chunk = UTF8_BOM, chunk[len(codecs.BOM_UTF8) :]
            self._pending = self._converted(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _converted(self, chunk: bytes) -> bytes:
        if self.encoding == WINDOWS_1252:
            return chunk.decode("cp1252").encode()
        try:
            self._utf8.decode(chunk)
        except UnicodeDecodeError as error:
            if self.encoding == UTF8 and self._only_ascii and chunk[: error.start].isascii():
                self.encoding = WINDOWS_1252
                return chunk.decode("cp1252").encode()
            raise
        self._only_ascii = self._only_ascii and chunk.isascii()
        return chunk


class RowFile:
    """The rows of a file as they are read, and what reading found out about the file:
    its encoding and (CSV) delimiter, known for sure once every row was read."""

    def __init__(self, source: Transcoded, rows: Iterator[Row]) -> None:
        self.source = source
        self.rows = rows
        self.delimiter: str | None = None

    @property
    def encoding(self) -> str:
        return self.source.encoding

    def __iter__(self) -> Iterator[Row]:
        return self

    def __next__(self) -> Row:
        return next(self.rows)


def _text(stream: IO[bytes]) -> tuple[Transcoded, io.TextIOWrapper]:
    source = Transcoded(stream)
    return source, io.TextIOWrapper(io.BufferedReader(source), encoding=UTF8, newline="")


def ndjson_rows(stream: IO[bytes], schema: ma.Schema) -> RowFile:
    """One JSON object per line; blank lines are skipped."""
    source, text = _text(stream)

    def rows() -> Iterator[Row]:
        number = 0
        try:
            for number, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                location = f"line {number}"
                try:
                    data = json.loads(line)
                except ValueError as error:  # not JSON, or an integer too long to read
                    reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
                    yield Row(
                        number, location, None, {"": [_("Not valid JSON: {error}.", error=reason)]}
                    )
                    continue
                yield _checked(schema, number, location, data)
        except UnicodeDecodeError:
            yield Row(number + 1, f"line {number + 1}", None, {"": [NOT_TEXT]})

    return RowFile(source, rows())


def delimiter_of(header: str) -> str:
    """The delimiter of a header line: of comma, semicolon and tab, the one it holds most
    (column names hold none of them); a comma when it holds none."""
    return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


def csv_rows(stream: IO[bytes], schema: ma.Schema, columns: tuple[str, ...]) -> RowFile:
    """A header line naming the columns (any order, unknown ones refused), then one row per
    line, cells separated by commas, semicolons or tabs. An empty cell is null where the
    field may be null (it clears a stored value, as null does in NDJSON), and a missing
    value elsewhere; a column the header leaves out is absent from every row (a stored
    value is kept)."""
    source, text = _text(stream)
    found = RowFile(source, iter(()))

    def rows() -> Iterator[Row]:
        try:
            first = text.readline()
            found.delimiter = delimiter_of(first)
            lines = itertools.chain([first], text)
            reader = csv.DictReader(lines, delimiter=found.delimiter, strict=True)
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
            nullable = {name for name in header if _nullable(schema, name)}
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
                values = {
                    k: (None if v == "" else v)
                    for k, v in record.items()
                    if v != "" or k in nullable
                }
                yield _checked(schema, number, f"line {number}", values)
        except UnicodeDecodeError:
            yield Row(0, "file", None, {"": [NOT_TEXT]})
        except csv.Error as error:
            yield Row(
                0, "file", None, {"": [_("Not a valid CSV file: {error}.", error=str(error))]}
            )

    found.rows = rows()
    return found
