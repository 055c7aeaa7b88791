"""Actions of a project: a meeting's commitments and what a finding or grievance asks for,
followed until done or dropped."""

from __future__ import annotations

from flask.views import MethodView

from api.conventions import created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.actions.schemas import (
    ACTION_EXAMPLE,
    ACTION_UPDATE_EXAMPLE,
    ActionCreateSchema,
    ActionQueryArgsSchema,
    ActionSchema,
    ActionUpdateSchema,
)
from domain.services import actions as service

blp = Blueprint(
    "actions",
    __name__,
    url_prefix="/api/v1/projects/<uuid:project_id>",
    description="Actions: the commitments of meetings and those made from findings or "
    "grievances, with owners, a due date and a status (open, done, dropped) saying who set "
    "it and when. A meeting's commitments are also listed under the meeting.",
)


@blp.route("/actions")
class Actions(MethodView):
    @blp.operation("list_actions")
    @blp.arguments(ActionQueryArgsSchema, location="query")
    @blp.response(200, ActionSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List the project's actions, e.g. one owner's, the open or the overdue ones"""
        query = ActionQueryArgsSchema().list_query(args)
        return paginated(service.list_actions(uow(), project_id, query), query)

    @blp.operation("create_action")
    @blp.arguments(ActionCreateSchema, example=ACTION_EXAMPLE)
    @blp.response(201, ActionSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id):
        """Make an action, at a meeting or from a finding or grievance"""
        action = service.make_action(uow(), project_id, data)
        return created(action, "actions.Action", project_id=project_id, action_id=action.id)


@blp.route("/actions/<uuid:action_id>")
class Action(MethodView):
    @blp.operation("get_action")
    @blp.response(200, ActionSchema, headers=ETAG_HEADER)
    def get(self, project_id, action_id):
        """Get an action"""
        return with_etag(service.get_action(uow(), project_id, action_id))

    @blp.operation("update_action")
    @blp.arguments(ActionUpdateSchema, example=ACTION_UPDATE_EXAMPLE)
    @blp.response(200, ActionSchema, headers=ETAG_HEADER)
    def patch(self, changes, project_id, action_id):
        """Change an action, or mark it done or dropped (stamped with who and when)"""
        return with_etag(service.update_action(uow(), project_id, action_id, changes, if_match()))

    @blp.operation("delete_action")
    @blp.response(204)
    def delete(self, project_id, action_id):
        """Delete an action with the reports given on it"""
        service.drop_action(uow(), project_id, action_id, if_match())
