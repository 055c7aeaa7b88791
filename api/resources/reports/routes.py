"""The project report to hand to the client, as a web page or a PDF (one document, two
renderings: the PDF is the page printed by WeasyPrint, so they never disagree)."""

from __future__ import annotations

import logging
from datetime import date

from flask import Response, render_template, request
from flask.views import MethodView

from api.conventions import uow
from api.extensions import Blueprint
from api.i18n import language, render
from api.problems import problem
from domain.report import project_report
from domain.services.effect import project_effect
from domain.services.exchange import project_records
from domain.texts import Text

blp = Blueprint(
    "reports",
    __name__,
    url_prefix="/api/v1/projects/<uuid:project_id>",
    description="The project's story on a few pages, for the client.",
)
log = logging.getLogger(__name__)
HTML, PDF = "text/html", "application/pdf"
RENDERINGS = (HTML, PDF)


def report_html(project_id) -> str:
    report = project_report(project_records(uow(snapshot=True), project_id), date.today())
    effect = project_effect(uow(snapshot=True), project_id)
    return render_template(
        "report.html",
        r=report,
        effect=effect,
        tr=render,
        language=language(),
        _=lambda text: render(Text(text)),
    )


def pdf_of(html: str) -> bytes:
    """The page printed; WeasyPrint is imported here, so only a PDF pays for loading it."""
    try:
        from weasyprint import HTML as Page
    except OSError as missing:  # Pango is a system library: absent on a bare machine
        raise PdfUnavailable from missing
    return Page(string=html).write_pdf()


class PdfUnavailable(Exception):
    """This server cannot print: WeasyPrint found no Pango."""


@blp.route("/report")
class Report(MethodView):
    @blp.operation("get_project_report")
    @blp.response(
        200,
        {"type": "string"},
        content_type=HTML,
        description="The report as a web page (`Accept: text/html`, the default) or as a PDF "
        "(`Accept: application/pdf`).",
    )
    @blp.doc(
        responses={
            200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}},
            406: {"$ref": "#/components/responses/NOT_ACCEPTABLE"},
        }
    )
    def get(self, project_id):
        """The project report for the client: intake, services, matrix heatmap, dependencies,
        priorities, agreements and what was agreed in meetings"""
        html = report_html(project_id)  # first: a project the caller may not see is 404
        accept = request.accept_mimetypes
        rendering = accept.best_match(RENDERINGS) if accept else HTML  # none: anything goes
        if rendering is None:
            return problem(
                406,
                f"The report is available as {' or '.join(RENDERINGS)}; "
                f"Accept asked for {request.headers.get('Accept')}.",
                slug="not-acceptable",
            )
        if rendering == HTML:
            return Response(html, mimetype=HTML)
        try:
            return Response(pdf_of(html), mimetype=PDF)
        except PdfUnavailable:
            log.error("report_pdf_unavailable", exc_info=True)
            return problem(
                503,
                "This server cannot render PDF: its Pango library is missing (Debian: "
                "libpango-1.0-0 libpangoft2-1.0-0). The report is available as text/html.",
                slug="pdf-unavailable",
            )
