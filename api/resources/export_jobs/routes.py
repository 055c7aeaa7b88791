"""Workbook exports run as jobs: asked for at ``GET /projects/{id}/export.xlsx`` with
``Prefer: respond-async``, followed here to their file."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from api.conventions import uow
from api.extensions import CONTENT_DISPOSITION_HEADER, Blueprint
from api.jobs import polled
from api.resources.export_jobs.schemas import ExportJobSchema
from api.resources.exports.routes import BINARY, FILE, XLSX, media_type
from domain.services import export_jobs as service

blp = Blueprint(
    "export_jobs",
    __name__,
    url_prefix="/api/v1",
    description="Workbook exports of large projects, rendered by the worker and "
    "downloaded once ready.",
)

SUCCEEDED_EXAMPLE = {
    "id": "5a7c9e1b-3d4f-4a6b-8c2d-9e0f1a2b3c4d",
    "status": "succeeded",
    "project_id": "2f4e6a8c-0b1d-4e3f-9a5b-7c6d8e9f0a1b",
    "organisation_id": "8b3d2f6a-1c4e-4f7a-9b2d-5e6f7a8b9c0d",
    "language": "nl",
    "filename": "Samen-sterker.xlsx",
    "file_bytes": 48213,
    "file": "/api/v1/exports/5a7c9e1b-3d4f-4a6b-8c2d-9e0f1a2b3c4d/file",
    "problem": None,
    "actor_id": "0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f",
    "created_at": "2026-12-06T22:40:00+00:00",
    "started_at": "2026-12-06T22:40:01+00:00",
    "finished_at": "2026-12-06T22:40:09+00:00",
}


@blp.route("/exports/<uuid:export_id>")
class ExportJob(MethodView):
    @blp.operation("get_export")
    @blp.response(200, ExportJobSchema, example=SUCCEEDED_EXAMPLE)
    def get(self, export_id):
        """A workbook export run as a job: its state, and its file once rendered

        Poll it after the `202` of `GET /projects/{id}/export.xlsx` with `Prefer:
        respond-async`: `status` moves from `queued` to `running` and ends `succeeded`,
        with `file` to download the workbook, or `failed`, with the `problem`. While it
        runs, `Retry-After` says how long to wait between polls.
        """
        job = service.get_export(uow(), export_id)
        return job, 200, polled(job.status)


@blp.route("/exports/<uuid:export_id>/file")
class ExportJobFile(MethodView):
    @blp.operation("download_export")
    @blp.response(
        200,
        FILE,
        content_type=XLSX,
        description="The workbook, as the synchronous export answers it; as "
        "`application/octet-stream` when the request accepts only that.",
        headers=CONTENT_DISPOSITION_HEADER,
    )
    @blp.doc(responses={200: {"content": {BINARY: {"schema": FILE}}}})
    @blp.alt_response(409, response="CONFLICT")  # not rendered (yet)
    def get(self, export_id):
        """The workbook of an export job that succeeded

        A job still queued or running, or one that failed, has no file: 409 with its
        status (`export-not-ready`).
        """
        found = service.export_file(uow(), export_id)
        return Response(
            found.data,
            mimetype=media_type(),
            headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
        )
