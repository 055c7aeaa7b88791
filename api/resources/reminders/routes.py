"""What is due now in a project: check-ins, overdue commitments, evaluations ahead."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api.conventions import uow
from api.extensions import Blueprint, Schema, Translated
from domain.base import utcnow
from domain.services import reminders as service

blp = Blueprint(
    "reminders",
    __name__,
    url_prefix="/api/v1",
    description="Reminders of what a project agreed, also sent as `reminder.*` events.",
)


class ReminderSchema(Schema):
    kind = ma.fields.String(
        validate=ma.validate.OneOf(["check_in_due", "commitment_overdue", "evaluation_upcoming"])
    )
    subject_type = ma.fields.String(
        validate=ma.validate.OneOf(["agreement", "commitment", "meeting"])
    )
    subject_id = ma.fields.UUID()
    due_on = ma.fields.Date(metadata={"description": "The day it became due."})
    message = Translated()


@blp.route("/projects/<uuid:project_id>/reminders")
class Reminders(MethodView):
    @blp.operation("list_project_reminders")
    @blp.response(200, ReminderSchema(many=True))
    def get(self, project_id):
        """List what is due in the project today

        Agreements under way without a check-in for the project's `check_in_days`,
        commitments past their due date, evaluation meetings in the coming week. The
        worker announces each once as an event (`reminder.check_in_due`,
        `reminder.commitment_overdue`, `reminder.evaluation_upcoming`).
        """
        return service.project_reminders(uow(), project_id, utcnow().date())
