"""Imports: a whole project document, or a file of one kind of row, upserted by natural
keys, all or nothing; and the reports of applied imports."""

from __future__ import annotations

from uuid import UUID

from flask import current_app, request, url_for
from flask.views import MethodView

from api.conventions import ListArgsSchema, paginated, uow
from api.extensions import LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.jobs import ASYNC_APPLIED, ASYNC_HEADERS, enqueue_import, polled, prefers_async
from api.limits import bulk
from api.resources.exports.routes import XLSX
from api.resources.imports import running
from api.resources.imports.document import ProjectDocumentSchema
from api.resources.imports.readers import CHUNK
from api.resources.imports.schemas import (
    COLUMNS,
    TARGET,
    ImportArgsSchema,
    ImportedItemSchema,
    ImportReportSchema,
)
from domain.errors import RuleViolation
from domain.import_jobs import ImportStatus
from domain.imports import ImportFormat, RowKind
from domain.services import imports as service
from domain.texts import _

blp = Blueprint(
    "imports",
    __name__,
    url_prefix="/api/v1",
    description="Many records in one request by natural keys, all or nothing: a project "
    "document, a CSV or NDJSON file of one kind, or an edited export workbook.",
)
JSON, NDJSON, CSV = "application/json", "application/x-ndjson", "text/csv"
FORMATS = {JSON: ImportFormat.DOCUMENT, NDJSON: ImportFormat.NDJSON, CSV: ImportFormat.CSV}
FORMATS |= {"application/ndjson": ImportFormat.NDJSON, XLSX: ImportFormat.WORKBOOK}

DESCRIPTION = (
    "Everything is matched by natural keys (`external_id`, competence `code`, service and "
    "theme names) and created, updated or left unchanged. Any problem rejects the whole "
    "file with 422, every problem located (`line 7`, or a JSON pointer), and nothing is "
    "written. `dry_run=true` reports what would happen without writing any data; its report "
    "is kept like any other, readable at its id (`dry_run: true`). CSV and NDJSON "
    "are read row by row, so a file of any size within `MAX_IMPORT_BODY_BYTES` fits.\n\n"
    "A column a CSV header leaves out, or a key an NDJSON row leaves out, keeps the stored "
    "value (people: `email`, `team`, `active`). An empty CSV cell is null where the field "
    "may be null (it clears a person's `email` or `team`, as null does in NDJSON), and a "
    "missing value elsewhere.\n\n"
    "A CSV file may separate its cells with commas, semicolons or tabs (found in the "
    "header line), and be UTF-8 (with or without a byte-order mark) or Windows-1252, as "
    "Dutch Excel saves it; the report says which (`encoding`, `delimiter`). Yes and no may "
    "be written true/false, ja/nee, waar/onwaar or 1/0; a level `3,0` is 3.\n\n"
    "With `Prefer: respond-async`, and always for a body above `IMPORT_ASYNC_BYTES` (8 MiB "
    "unless the operator set another), the import runs as a job on the worker: the answer "
    "is 202 at once, with `Location` and `Preference-Applied: respond-async`; poll the "
    "Location for `status`, `rows_read`, `rows_applied` and `percent`, and at the end the "
    "report (items paged at `/imports/{id}/items`) or the `problem`. All or nothing holds "
    "for a job too, also when its worker is killed.\n\n"
    "Columns (CSV header, or NDJSON keys) per `kind`:\n\n"
    + "\n".join(
        f"- `{kind}` ({f'`{TARGET[kind]}` required' if TARGET[kind] else 'the workspace'}): "
        + ", ".join(f"`{c}`" for c in columns)
        for kind, columns in COLUMNS.items()
    )
)


class ItemArgsSchema(ListArgsSchema):
    class Meta(ListArgsSchema.Meta):
        exclude = ("updated_since",)


QUEUED_EXAMPLE = {
    "id": "3f1c9a2e-8d47-4b6a-9f10-2c5e7d8a9b01",
    "version": 1,
    "created_at": "2026-12-06T21:40:00+00:00",
    "updated_at": "2026-12-06T21:40:00+00:00",
    "status": "queued",
    "rows_read": 0,
    "rows_applied": 0,
    "percent": 0,
    "format": "ndjson",
    "kind": "people",
    "target_id": "8b3d2f6a-1c4e-4f7a-9b2d-5e6f7a8b9c0d",
    "organisation_id": "8b3d2f6a-1c4e-4f7a-9b2d-5e6f7a8b9c0d",
    "dry_run": False,
    "encoding": None,
    "delimiter": None,
    "counts": {},
    "items": [],
    "actor_id": "0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f",
    "problem": None,
}
RUNNING_EXAMPLE = {
    **QUEUED_EXAMPLE,
    "status": "running",
    "rows_read": 42000,
    "rows_applied": 40000,
    "percent": 42,
}
REQUEST_BODY = {
    "required": True,
    "content": {
        JSON: {
            "schema": ProjectDocumentSchema,
            "example": {
                "format": "od-platform/project",
                "version": 1,
                "organisation": {"name": "Gemeente Utrecht"},
                "teams": [{"name": "Klantcontact"}],
                "people": [{"ref": "E-1042", "external_id": "E-1042", "name": "Fatima el Amrani"}],
                "competences": [{"code": "COMM", "name": "Communication"}],
                "themes": [],
                "project": {"name": "Samen sterker", "team": "Klantcontact", "phase": "intake"},
            },
        },
        NDJSON: {
            "schema": {"type": "string"},
            "example": '{"external_id": "E-1042", "name": "Fatima el Amrani"}\n',
        },
        CSV: {
            "schema": {"type": "string"},
            "example": "external_id,name,email\nE-1042,Fatima el Amrani,f.elamrani@example.nl\n",
        },
        XLSX: {"schema": {"type": "string", "format": "binary"}},
    },
}


def _body():
    """The upload as a byte stream, read as it arrives (or, sent with an Idempotency-Key,
    from the copy the key's fingerprint left on disk)."""
    return request.stream


def _pieces(stream):
    while chunk := stream.read(CHUNK):
        yield chunk


def _as_job() -> bool:
    """Run as a job when the client prefers (RFC 7240 ``respond-async``), and always for a
    body above ``IMPORT_ASYNC_BYTES``, which would hold a server process too long."""
    threshold = current_app.extensions["od"].settings.import_async_bytes
    return prefers_async() or (request.content_length or 0) > threshold


@blp.route("/imports")
class Imports(MethodView):
    @blp.operation("create_import")
    @bulk
    @blp.accepts(*FORMATS, body_limit="MAX_IMPORT_CONTENT_LENGTH")
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.doc(requestBody=REQUEST_BODY, description=DESCRIPTION, **{"x-respond-async": True})
    @blp.response(201, ImportReportSchema, headers=LOCATION_HEADER, description="Applied.")
    @blp.alt_response(
        200,
        schema=ImportReportSchema,
        description="A dry run: no data written; only its report is kept, at its id.",
        headers=LOCATION_HEADER,
        success=True,
    )
    @blp.alt_response(
        202,
        schema=ImportReportSchema,
        description="Accepted as a job (`Prefer: respond-async`, or a body above "
        "`IMPORT_ASYNC_BYTES`): follow `Location` until `status` is `succeeded` or `failed`.",
        headers=ASYNC_HEADERS,
        example=QUEUED_EXAMPLE,
        success=True,
    )
    @blp.alt_response(404, response="NOT_FOUND")  # the organisation or project named
    def post(self, args):
        """Import a project document, a file of one kind of row, or an edited workbook"""
        source = FORMATS[request.mimetype]
        kind, target_id = _what(source, args)
        if _as_job():
            job = service.submit_import(
                uow(), source, kind, target_id, _pieces(_body()), dry_run=args["dry_run"]
            )
            enqueue_import(job.id)
            headers = {"Location": url_for("imports.Import", import_id=job.id), **ASYNC_APPLIED}
            return ImportStatus.of_job(job), 202, headers
        report = running.run(uow(), source, kind, target_id, _body(), dry_run=args["dry_run"])
        location = {"Location": url_for("imports.Import", import_id=report.id)}
        return ImportStatus.of_report(report), 200 if report.dry_run else 201, location


def _what(source: ImportFormat, args: dict) -> tuple[RowKind | None, UUID | None]:
    """The kind of row and the target the query names, as the format needs them."""
    if source is ImportFormat.DOCUMENT:
        return None, None
    if source is ImportFormat.WORKBOOK:
        return None, _target(args, "project_id", "workbook")
    kind = args.get("kind")
    if kind is None:
        raise RuleViolation.on("query.kind", _("Name the kind of row this file holds."), "required")
    return kind, _target(args, TARGET[kind], kind.value)


def _target(args: dict, name: str | None, kind: str):
    if name is None:
        return None
    if args.get(name) is None:
        raise RuleViolation.on(
            f"query.{name}", _("Required for kind={kind}.", kind=kind), "required"
        )
    return args[name]


@blp.route("/imports/<uuid:import_id>")
class Import(MethodView):
    @blp.operation("get_import")
    @blp.response(200, ImportReportSchema, example=RUNNING_EXAMPLE)
    def get(self, import_id):
        """An import: a job's state and progress, and the report once applied

        Poll it after a `202`: `status` moves from `queued` to `running` (with `rows_read`,
        `rows_applied` and `percent`) and ends `succeeded`, with the report (its item
        outcomes at `/imports/{id}/items`), or `failed`, with the `problem` the import
        would have answered at once. Nothing of a failed job was written. A few seconds
        between polls is enough; `Retry-After` says how long while it runs.
        """
        found = service.get_import(uow(), import_id)
        return found, 200, polled(found.status)


@blp.route("/imports/<uuid:import_id>/items")
class ImportItems(MethodView):
    @blp.operation("list_import_items")
    @blp.arguments(ItemArgsSchema, location="query")
    @blp.response(200, ImportedItemSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, import_id):
        """The outcome of each item of an import, a page at a time

        In file order (`index` is the line of a CSV or NDJSON file). Empty until the
        import succeeded; a failed one has none (nothing was applied).
        """
        query = ItemArgsSchema().list_query(args)
        return paginated(service.import_items(uow(), import_id, query), query)
