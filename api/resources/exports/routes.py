"""Exports of a whole project: a JSON document that ``/imports`` reads back, and a workbook."""

from __future__ import annotations

from flask import Response, json, request
from flask.views import MethodView

from api.conventions import uow
from api.extensions import CONTENT_DISPOSITION_HEADER as CONTENT_DISPOSITION
from api.extensions import Blueprint
from api.resources.exports.workbook import workbook
from api.resources.imports.document import ProjectDocumentSchema
from domain.exchange import document
from domain.services.exchange import project_records

blp = Blueprint(
    "exports",
    __name__,
    url_prefix="/api/v1/projects/<uuid:project_id>",
    description="A whole project in one document, keyed by natural keys.",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = "application/octet-stream"
FILE = {"type": "string", "format": "binary"}


def _filename(records) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in records.project.name)
    return safe.strip("-")[:80] or "project"


@blp.route("/export")
class Export(MethodView):
    @blp.operation("export_project")
    @blp.response(200, ProjectDocumentSchema)
    def get(self, project_id):
        """The whole project as one JSON document of natural keys"""
        records = project_records(uow(snapshot=True), project_id)
        return Response(json.dumps(document(records)), mimetype="application/json")


@blp.route("/export.xlsx")
class ExportWorkbook(MethodView):
    @blp.operation("export_project_workbook")
    @blp.response(
        200,
        FILE,
        content_type=XLSX,
        description="Sheets Matrix, Services, Dependencies, Agreements and Meetings, each "
        "printing landscape, one page wide, its header row on every page; as "
        "`application/octet-stream` when the request accepts only that.",
        headers=CONTENT_DISPOSITION,
    )
    # The same bytes under the generic type too: generators that know no vendor type
    # (openapi-python-client) then still make the answer a file, not an unexpected status.
    @blp.doc(responses={200: {"content": {BINARY: {"schema": FILE}}}})
    def get(self, project_id):
        """The project as a workbook: matrix coloured by level, services, dependencies,
        agreements, meetings"""
        records = project_records(uow(snapshot=True), project_id)
        return Response(
            workbook(records),
            mimetype=_media_type(),
            headers={"Content-Disposition": f'attachment; filename="{_filename(records)}.xlsx"'},
        )


def _media_type() -> str:
    """The workbook's own type, unless the request accepts bytes and not that type."""
    accepted = request.accept_mimetypes
    return BINARY if accepted[BINARY] and not accepted[XLSX] else XLSX
