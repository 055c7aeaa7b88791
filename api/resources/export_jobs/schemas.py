"""The shape of a workbook export run as a job."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import url_for

from api.extensions import ProblemSchema, Schema
from domain.export_jobs import ExportJob
from domain.import_jobs import error_of
from domain.jobs import JobStatus


class ExportJobSchema(Schema):
    """A workbook export as ``GET /exports/{id}`` shows it, from ``queued`` through
    ``running`` to ``succeeded`` (its file ready at ``file``) or ``failed``."""

    id = ma.fields.UUID()
    status = ma.fields.Enum(
        JobStatus,
        by_value=True,
        metadata={
            "description": "queued (waiting for the worker), running, succeeded (the "
            "workbook is ready at `file`) or failed (see `problem`)."
        },
    )
    project_id = ma.fields.UUID()
    organisation_id = ma.fields.UUID()
    language = ma.fields.String(
        metadata={"description": "The language of the workbook's texts: the request's."}
    )
    filename = ma.fields.String(
        allow_none=True, metadata={"description": "The workbook's file name, once rendered."}
    )
    file_bytes = ma.fields.Integer(
        metadata={"description": "The workbook's size in bytes, once rendered; 0 before."}
    )
    file = ma.fields.String(
        allow_none=True,
        metadata={"description": "Where to download the workbook once succeeded; null before."},
    )
    problem = ma.fields.Nested(
        ProblemSchema,
        allow_none=True,
        metadata={
            "description": "Why a failed job failed (a 404 for a project deleted meanwhile); "
            "null otherwise."
        },
    )
    actor_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.DateTime()
    started_at = ma.fields.DateTime(allow_none=True)
    finished_at = ma.fields.DateTime(allow_none=True)

    @ma.pre_dump
    def _links(self, job: ExportJob | Any, **kwargs):
        from api.problems import domain_problem

        if not isinstance(job, ExportJob):
            return job
        done = job.status is JobStatus.SUCCEEDED
        values = {field: getattr(job, field) for field in self.fields if hasattr(job, field)}
        values["file"] = url_for("export_jobs.ExportJobFile", export_id=job.id) if done else None
        values["problem"] = domain_problem(error_of(job.problem)) if job.problem else None
        return values
