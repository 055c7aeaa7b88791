"""Learning themes: the workspace's catalogue, and progress through them in projects."""

from __future__ import annotations

from flask.views import MethodView

from api.conventions import ListArgsSchema, created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.themes.schemas import (
    THEME_EXAMPLE,
    AssignmentCreateSchema,
    AssignmentSchema,
    ProgressSchema,
    ProgressWriteSchema,
    ThemeCreateSchema,
    ThemeInProjectSchema,
    ThemeQueryArgsSchema,
    ThemeSchema,
    ThemeUpdateSchema,
)
from domain.services import themes as service

blp = Blueprint(
    "themes",
    __name__,
    url_prefix="/api/v1",
    description="Learning themes made of ordered steps, and each participant's progress.",
)
IN_PROJECT = "/projects/<uuid:project_id>/themes/<uuid:theme_id>"


@blp.route("/themes")
class Themes(MethodView):
    @blp.operation("list_themes")
    @blp.arguments(ThemeQueryArgsSchema, location="query")
    @blp.response(200, ThemeSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args):
        """List the learning themes"""
        query = ThemeQueryArgsSchema().list_query(args)
        return paginated(service.list_themes(uow(), query), query)

    @blp.operation("create_theme")
    @blp.arguments(ThemeCreateSchema, example=THEME_EXAMPLE)
    @blp.response(201, ThemeSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data):
        """Add a theme with its ordered steps"""
        theme = service.create_theme(uow(), data)
        return created(theme, "themes.Theme", theme_id=theme.id)


@blp.route("/themes/<uuid:theme_id>")
class Theme(MethodView):
    @blp.operation("get_theme")
    @blp.response(200, ThemeSchema, headers=ETAG_HEADER)
    def get(self, theme_id):
        """Get a theme with its steps"""
        return with_etag(service.get_theme(uow(), theme_id))

    @blp.operation("update_theme")
    @blp.arguments(ThemeUpdateSchema, example={"name": "Cultuur van vertrouwen"})
    @blp.response(200, ThemeSchema, headers=ETAG_HEADER)
    def patch(self, changes, theme_id):
        """Change a theme; send its steps in a new order to reorder them"""
        return with_etag(service.update_theme(uow(), theme_id, changes, if_match()))

    @blp.operation("delete_theme")
    @blp.response(204)
    def delete(self, theme_id):
        """Delete a theme no project works on"""
        service.delete_theme(uow(), theme_id, if_match())


@blp.route("/projects/<uuid:project_id>/themes")
class ProjectThemes(MethodView):
    @blp.operation("list_project_themes")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, AssignmentSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List the themes a project works on"""
        query = ListArgsSchema().list_query(args)
        return paginated(service.list_project_themes(uow(), project_id, query), query)

    @blp.operation("assign_theme")
    @blp.arguments(
        AssignmentCreateSchema, example={"theme_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}
    )
    @blp.response(201, AssignmentSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id):
        """Let a project work on a theme"""
        assignment = service.assign_theme(uow(), project_id, data["theme_id"])
        return created(
            assignment, "themes.ThemeInProject", project_id=project_id, theme_id=assignment.theme_id
        )


@blp.route(IN_PROJECT)
class ThemeInProject(MethodView):
    @blp.operation("get_theme_progress")
    @blp.response(200, ThemeInProjectSchema)
    def get(self, project_id, theme_id):
        """Everyone's progress through a theme, and the project's summary"""
        return service.theme_in_project(uow(), project_id, theme_id)

    @blp.operation("unassign_theme")
    @blp.response(204)
    def delete(self, project_id, theme_id):
        """Stop working on a theme in this project (its progress goes too)"""
        service.unassign_theme(uow(), project_id, theme_id, if_match())


@blp.route(f"{IN_PROJECT}/progress/<uuid:participant_id>")
class Progress(MethodView):
    @blp.operation("get_participant_progress")
    @blp.response(200, ProgressSchema)
    def get(self, project_id, theme_id, participant_id):
        """A participant's progress: steps done, steps total, percent"""
        return service.participant_progress(uow(), project_id, theme_id, participant_id)

    @blp.operation("set_participant_progress")
    @blp.unversioned
    @blp.arguments(
        ProgressWriteSchema, example={"steps_done": ["3fa85f64-5717-4562-b3fc-2c963f66afa6"]}
    )
    @blp.response(200, ProgressSchema)
    def put(self, data, project_id, theme_id, participant_id):
        """Set the steps a participant has done"""
        return service.set_progress(uow(), project_id, theme_id, participant_id, data["steps_done"])
