"""Exports of a whole project: a JSON document that ``/imports`` reads back, and a workbook."""

from __future__ import annotations

from flask import Response, json, request, url_for
from flask.views import MethodView

from api.conventions import uow
from api.extensions import CONTENT_DISPOSITION_HEADER as CONTENT_DISPOSITION
from api.extensions import Blueprint
from api.i18n import language
from api.jobs import ASYNC_APPLIED, ASYNC_HEADERS, enqueue_export, prefers_async
from api.resources.export_jobs.schemas import ExportJobSchema
from api.resources.exports.workbook import filename, workbook
from api.resources.imports.document import ProjectDocumentSchema
from domain.exchange import document
from domain.services import export_jobs
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
QUEUED_EXAMPLE = {
    "id": "5a7c9e1b-3d4f-4a6b-8c2d-9e0f1a2b3c4d",
    "status": "queued",
    "project_id": "2f4e6a8c-0b1d-4e3f-9a5b-7c6d8e9f0a1b",
    "organisation_id": "8b3d2f6a-1c4e-4f7a-9b2d-5e6f7a8b9c0d",
    "language": "nl",
    "filename": None,
    "file_bytes": 0,
    "file": None,
    "problem": None,
    "actor_id": "0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f",
    "created_at": "2026-12-06T22:40:00+00:00",
    "started_at": None,
    "finished_at": None,
}


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
    @blp.doc(
        responses={200: {"content": {BINARY: {"schema": FILE}}}},
        description="Sent with `Prefer: respond-async` (RFC 7240), as a large project's "
        "workbook should be, the workbook is rendered by the worker instead of in the "
        "request: the answer is `202` at once with `Location` of the export job and "
        "`Preference-Applied: respond-async`. Poll `Location` (`GET /exports/{id}`) until "
        "`status` is `succeeded`, then download its `file`. The workbook is in the "
        "request's language, as it would be answered at once.",
        **{"x-respond-async": True},
    )
    @blp.alt_response(
        202,
        schema=ExportJobSchema,
        description="Accepted as a job (`Prefer: respond-async`): follow `Location` until "
        "`status` is `succeeded` or `failed`.",
        headers=ASYNC_HEADERS,
        example=QUEUED_EXAMPLE,
        success=True,
    )
    def get(self, project_id):
        """The project as a workbook: matrix coloured by level, services, dependencies,
        agreements, meetings"""
        if prefers_async():
            job = export_jobs.submit_export(uow(write=True), project_id, language())
            enqueue_export(job.id)
            location = {"Location": url_for("export_jobs.ExportJob", export_id=job.id)}
            body = json.dumps(ExportJobSchema().dump(job))
            return Response(body, 202, location | ASYNC_APPLIED, mimetype="application/json")
        records = project_records(uow(snapshot=True), project_id)
        return Response(
            workbook(records),
            mimetype=media_type(),
            headers={"Content-Disposition": f'attachment; filename="{filename(records)}.xlsx"'},
        )


def media_type() -> str:
    """The workbook's own type, unless the request accepts bytes and not that type."""
    accepted = request.accept_mimetypes
    return BINARY if accepted[BINARY] and not accepted[XLSX] else XLSX
