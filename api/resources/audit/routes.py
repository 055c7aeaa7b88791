"""The audit trail of the workspace."""

from __future__ import annotations

from flask.views import MethodView

from api.conventions import paginated, uow
from api.extensions import PAGINATION_HEADERS, Blueprint
from api.resources.audit.schemas import AuditQueryArgsSchema, AuditRecordSchema
from domain.services import audit as service

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Who changed what, and when.")


@blp.route("/audit")
class Audit(MethodView):
    @blp.operation("list_audit_records")
    @blp.arguments(AuditQueryArgsSchema, location="query")
    @blp.response(200, AuditRecordSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args):
        """List audit records, newest first

        `updated_since` gives the records made at or after that time.
        """
        query = AuditQueryArgsSchema().list_query(args)
        return paginated(service.list_audit_records(uow(), query), query)
