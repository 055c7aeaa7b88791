"""A large upload is read row by row: the first rows are checked and handed on long
before the end of the file has even arrived."""

from __future__ import annotations

import io
import json

from api.resources.imports.readers import csv_rows, ndjson_rows
from api.resources.imports.schemas import COLUMNS, PersonRow
from domain.imports import RowKind

ROWS = 100_000


class Upload(io.RawIOBase):
    """A request body of ``ROWS`` lines, made as it is read, that counts what was read."""

    def __init__(self, header: bytes, line) -> None:
        self.pending = header
        self.made = 0
        self.line = line
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while len(self.pending) < len(buffer) and self.made < ROWS:
            self.made += 1
            self.pending += self.line(self.made)
        chunk, self.pending = self.pending[: len(buffer)], self.pending[len(buffer) :]
        buffer[: len(chunk)] = chunk
        self.read_bytes += len(chunk)
        return len(chunk)


def ndjson_upload() -> Upload:
    return Upload(
        b"", lambda n: json.dumps({"external_id": f"E-{n}", "name": "X"}).encode() + b"\n"
    )


def csv_upload() -> Upload:
    return Upload(b"external_id,name\n", lambda n: f"E-{n},X\n".encode())


def test_the_first_ndjson_row_is_ready_after_reading_a_sliver_of_a_100000_row_file():
    upload = ndjson_upload()
    rows = ndjson_rows(io.BufferedReader(upload), PersonRow())

    first = next(rows)

    assert first.values == {"external_id": "E-1", "name": "X"}
    assert upload.made < ROWS / 50


def test_the_first_csv_row_is_ready_after_reading_a_sliver_of_a_100000_row_file():
    upload = csv_upload()
    rows = csv_rows(io.BufferedReader(upload), PersonRow(), COLUMNS[RowKind.PEOPLE])

    first = next(rows)

    assert (first.location, first.values["external_id"]) == ("line 2", "E-1")
    assert upload.made < ROWS / 50


def test_all_100000_rows_of_a_file_are_read_with_their_lines():
    upload = csv_upload()

    last = None
    for last in csv_rows(io.BufferedReader(upload), PersonRow(), COLUMNS[RowKind.PEOPLE]):
        assert not last.errors

    assert (last.location, last.values["external_id"]) == (f"line {ROWS + 1}", f"E-{ROWS}")


def test_a_keyed_upload_bigger_than_the_memory_spool_waits_on_disk_and_is_applied_once(
    client, monkeypatch
):
    """An Idempotency-Key makes the body be hashed before the import reads it: the body then
    waits in a spooled file, on disk once it outgrows the spool, never whole in memory."""
    from api import idempotency

    monkeypatch.setattr(idempotency, "SPOOL_IN_MEMORY", 1024)  # so 300 rows roll over to disk
    rolled = []
    original = idempotency.tempfile.SpooledTemporaryFile

    class Watched(original):
        def rollover(self):
            rolled.append(True)
            super().rollover()

    monkeypatch.setattr(idempotency.tempfile, "SpooledTemporaryFile", Watched)
    organisation = client.ok("POST", "/api/v1/organisations", {"name": "Spooled"})
    body = "".join(json.dumps({"external_id": f"S-{n}", "name": "X"}) + "\n" for n in range(300))
    send = {
        "path": "/api/v1/imports",
        "data": body.encode(),
        "headers": {"Content-Type": "application/x-ndjson", "Idempotency-Key": "spooled"},
        "query_string": {"kind": "people", "organisation_id": organisation["id"]},
    }

    first, again = client.post(**send), client.post(**send)

    assert rolled, "the body never left memory"
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.get_json()["counts"]["people"]["created"] == 300
    assert again.headers["Idempotent-Replayed"] == "true"
    people = f"/api/v1/organisations/{organisation['id']}/people?page_size=1"
    assert json.loads(client.get(people).headers["X-Pagination"])["total"] == 300


def test_a_100000_row_file_from_dutch_excel_is_read_row_by_row_too():
    """Semicolons, CRLF and Windows-1252 from the first row on: the encoding and delimiter
    are found in the first sliver, not by reading the file whole."""
    upload = Upload(b"external_id;name\r\n", lambda n: f"E-{n};Zo\xeb {n}\r\n".encode("cp1252"))
    rows = csv_rows(io.BufferedReader(upload), PersonRow(), COLUMNS[RowKind.PEOPLE])

    first = next(rows)

    assert first.values == {"external_id": "E-1", "name": "Zoë 1"}
    assert (rows.encoding, rows.delimiter) == ("windows-1252", ";")
    assert upload.made < ROWS / 50
    last = first
    for last in rows:
        assert not last.errors
    assert (last.location, last.values["name"]) == (f"line {ROWS + 1}", f"Zoë {ROWS}")
