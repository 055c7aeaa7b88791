"""The workspace's competence catalogue."""

from __future__ import annotations

from flask.views import MethodView

from api.conventions import created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.competences.schemas import (
    COMPETENCE_EXAMPLE,
    CompetenceCreateSchema,
    CompetenceQueryArgsSchema,
    CompetenceSchema,
    CompetenceUpdateSchema,
)
from domain.services import competences as service

blp = Blueprint(
    "competences",
    __name__,
    url_prefix="/api/v1",
    description="The competences the consultancy works with, on a 0–4 scale: 0 none, 1 aware, "
    "2 working, 3 proficient (can do it alone), 4 expert (can coach).",
)


@blp.route("/competences")
class Competences(MethodView):
    @blp.operation("list_competences")
    @blp.arguments(CompetenceQueryArgsSchema, location="query")
    @blp.response(200, CompetenceSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args):
        """List the competence catalogue (archived ones on request)"""
        query = CompetenceQueryArgsSchema().list_query(args)
        return paginated(service.list_competences(uow(), query), query)

    @blp.operation("create_competence")
    @blp.arguments(CompetenceCreateSchema, example=COMPETENCE_EXAMPLE)
    @blp.response(201, CompetenceSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data):
        """Add a competence; its code is unique in the workspace"""
        competence = service.create_competence(uow(), data)
        return created(competence, "competences.Competence", competence_id=competence.id)


@blp.route("/competences/<uuid:competence_id>")
class Competence(MethodView):
    @blp.operation("get_competence")
    @blp.response(200, CompetenceSchema, headers=ETAG_HEADER)
    def get(self, competence_id):
        """Get a competence"""
        return with_etag(service.get_competence(uow(), competence_id))

    @blp.operation("update_competence")
    @blp.arguments(CompetenceUpdateSchema, example={"name": "Giving and receiving feedback"})
    @blp.response(200, CompetenceSchema, headers=ETAG_HEADER)
    def patch(self, changes, competence_id):
        """Change a competence (code, name, description, group)"""
        return with_etag(service.update_competence(uow(), competence_id, changes, if_match()))

    @blp.operation("delete_competence")
    @blp.response(204)
    def delete(self, competence_id):
        """Delete a competence, or archive it when services or people refer to it"""
        service.retire_competence(uow(), competence_id, if_match())
