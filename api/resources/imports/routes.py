"""Imports: a whole project document, or a file of one kind of row, upserted by natural
keys, all or nothing; and the reports of applied imports."""

from __future__ import annotations

import json

import marshmallow as ma
from flask import request, url_for
from flask.views import MethodView

from api.conventions import uow
from api.extensions import LOCATION_HEADER, Blueprint
from api.limits import bulk
from api.resources.exports.routes import XLSX
from api.resources.imports.document import ProjectDocumentSchema
from api.resources.imports.readers import csv_rows, flat_errors, ndjson_rows
from api.resources.imports.schemas import (
    COLUMNS,
    ROW_SCHEMAS,
    TARGET,
    ImportArgsSchema,
    ImportReportSchema,
)
from api.resources.imports.workbook import rows_of_workbook
from domain.errors import RuleViolation
from domain.imports import ImportFormat, Tally
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
    "Columns (CSV header, or NDJSON keys) per `kind`:\n\n"
    + "\n".join(
        f"- `{kind}` ({f'`{TARGET[kind]}` required' if TARGET[kind] else 'the workspace'}): "
        + ", ".join(f"`{c}`" for c in columns)
        for kind, columns in COLUMNS.items()
    )
)
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


@blp.route("/imports")
class Imports(MethodView):
    @blp.operation("create_import")
    @bulk
    @blp.accepts(*FORMATS, body_limit="MAX_IMPORT_CONTENT_LENGTH")
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.doc(requestBody=REQUEST_BODY, description=DESCRIPTION)
    @blp.response(201, ImportReportSchema, headers=LOCATION_HEADER, description="Applied.")
    @blp.alt_response(
        200,
        schema=ImportReportSchema,
        description="A dry run: no data written; only its report is kept, at its id.",
        headers=LOCATION_HEADER,
        success=True,
    )
    @blp.alt_response(404, response="NOT_FOUND")  # the organisation or project named
    def post(self, args):
        """Import a project document, a file of one kind of row, or an edited workbook"""
        source = FORMATS[request.mimetype]
        if source is ImportFormat.DOCUMENT:
            report = service.import_document(uow(), _document(), dry_run=args["dry_run"])
        elif source is ImportFormat.WORKBOOK:
            report = _workbook(args)
        else:
            report = _rows(source, args)
        location = {"Location": url_for("imports.Import", import_id=report.id)}
        return report, 200 if report.dry_run else 201, location


def _document() -> dict:
    """The document, its form checked whole: every problem at its JSON pointer."""
    try:
        document = json.load(_body())
    except (ValueError, UnicodeDecodeError) as error:
        message = _("Not a valid JSON document: {error}.", error=str(error))
        raise RuleViolation.on("body", message, "malformed") from None
    if not isinstance(document, dict):
        raise RuleViolation.on("body", _("The document must be a JSON object."), "malformed")
    try:
        return ProjectDocumentSchema().load(document)
    except ma.ValidationError as error:
        tally = Tally()
        for path, messages in flat_errors(error.messages).items():
            *parents, name = path.split(".")
            for says in messages:
                tally.problem("/" + "/".join(parents), name, says, "invalid")
        tally.check()
        raise


def _target(args: dict, name: str | None, kind: str):
    if name is None:
        return None
    if args.get(name) is None:
        raise RuleViolation.on(
            f"query.{name}", _("Required for kind={kind}.", kind=kind), "required"
        )
    return args[name]


def _rows(source: ImportFormat, args: dict):
    kind = args.get("kind")
    if kind is None:
        raise RuleViolation.on("query.kind", _("Name the kind of row this file holds."), "required")
    schema = ROW_SCHEMAS[kind]()
    rows = (
        csv_rows(_body(), schema, COLUMNS[kind])
        if source is ImportFormat.CSV
        else ndjson_rows(_body(), schema)
    )
    target = _target(args, TARGET[kind], kind.value)
    return service.import_rows(uow(), kind, target, rows, format=source, dry_run=args["dry_run"])


def _workbook(args: dict):
    project_id = _target(args, "project_id", "workbook")
    rows = rows_of_workbook(_body())
    return service.import_workbook(
        uow(), project_id, rows.services, rows.levels, dry_run=args["dry_run"]
    )


@blp.route("/imports/<uuid:import_id>")
class Import(MethodView):
    @blp.operation("get_import")
    @blp.response(200, ImportReportSchema)
    def get(self, import_id):
        """The report of an applied import"""
        return service.get_import(uow(), import_id)
