"""The caller's own workspace: its name and the language its texts are written in."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from api.conventions import uow
from api.extensions import Blueprint
from api.resources.workspace.schemas import (
    WORKSPACE_EXAMPLE,
    WorkspaceSchema,
    WorkspaceUpdateSchema,
)
from domain.services import access as service

blp = Blueprint(
    "workspace",
    __name__,
    url_prefix="/api/v1",
    description="The consultancy's own settings, such as the language of its texts.",
)


@blp.route("/workspace")
class Workspace(MethodView):
    @blp.operation("get_workspace")
    @blp.response(200, WorkspaceSchema)
    def get(self):
        """Get the workspace of this API key"""
        return service.get_workspace(uow())

    @blp.operation("update_workspace")
    @blp.unversioned
    @blp.arguments(WorkspaceUpdateSchema, example=WORKSPACE_EXAMPLE)
    @blp.response(200, WorkspaceSchema)
    def patch(self, data):
        """Change the workspace's name or the language of its texts

        The language is what every answer is written in when a request's
        `Accept-Language` names neither English nor Dutch; keys of this workspace answer in
        it at once in this process, in others within `API_KEY_CACHE_SECONDS`.
        """
        workspace = service.update_workspace(uow(), **data)
        current_app.extensions["od"].key_cache.clear()  # keys carry their workspace's language
        return workspace
