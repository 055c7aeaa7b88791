"""Client organisations and their teams (departments)."""

from __future__ import annotations

from flask.views import MethodView

from api.conventions import created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.organisations.schemas import (
    ORGANISATION_EXAMPLE,
    TEAM_EXAMPLE,
    OrganisationCreateSchema,
    OrganisationQueryArgsSchema,
    OrganisationSchema,
    OrganisationUpdateSchema,
    TeamCreateSchema,
    TeamQueryArgsSchema,
    TeamSchema,
    TeamUpdateSchema,
)
from domain.services import organisations as service

blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/api/v1",
    description="Client organisations of the consultancy, and their teams.",
)


@blp.route("/organisations")
class Organisations(MethodView):
    @blp.operation("list_organisations")
    @blp.arguments(OrganisationQueryArgsSchema, location="query")
    @blp.response(200, OrganisationSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args):
        """List organisations"""
        query = OrganisationQueryArgsSchema().list_query(args)
        return paginated(service.list_organisations(uow(), query), query)

    @blp.operation("create_organisation")
    @blp.arguments(OrganisationCreateSchema, example=ORGANISATION_EXAMPLE)
    @blp.response(201, OrganisationSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data):
        """Create an organisation"""
        organisation = service.create_organisation(uow(), **data)
        return created(organisation, "organisations.Organisation", organisation_id=organisation.id)


@blp.route("/organisations/<uuid:organisation_id>")
class Organisation(MethodView):
    @blp.operation("get_organisation")
    @blp.response(200, OrganisationSchema, headers=ETAG_HEADER)
    def get(self, organisation_id):
        """Get an organisation"""
        return with_etag(service.get_organisation(uow(), organisation_id))

    @blp.operation("update_organisation")
    @blp.arguments(OrganisationUpdateSchema, example=ORGANISATION_EXAMPLE)
    @blp.response(200, OrganisationSchema, headers=ETAG_HEADER)
    def patch(self, changes, organisation_id):
        """Change an organisation"""
        return with_etag(service.update_organisation(uow(), organisation_id, changes, if_match()))

    @blp.operation("delete_organisation")
    @blp.response(204)
    def delete(self, organisation_id):
        """Delete an organisation that has no people or projects left"""
        service.delete_organisation(uow(), organisation_id, if_match())


@blp.route("/organisations/<uuid:organisation_id>/teams")
class Teams(MethodView):
    @blp.operation("list_teams")
    @blp.arguments(TeamQueryArgsSchema, location="query")
    @blp.response(200, TeamSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, organisation_id):
        """List the teams of an organisation"""
        query = TeamQueryArgsSchema().list_query(args)
        return paginated(service.list_teams(uow(), organisation_id, query), query)

    @blp.operation("create_team")
    @blp.arguments(TeamCreateSchema, example=TEAM_EXAMPLE)
    @blp.response(201, TeamSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, organisation_id):
        """Create a team in an organisation"""
        team = service.create_team(uow(), organisation_id, **data)
        return created(team, "organisations.Team", team_id=team.id)


@blp.route("/teams/<uuid:team_id>")
class Team(MethodView):
    @blp.operation("get_team")
    @blp.response(200, TeamSchema, headers=ETAG_HEADER)
    def get(self, team_id):
        """Get a team"""
        return with_etag(service.get_team(uow(), team_id))

    @blp.operation("update_team")
    @blp.arguments(TeamUpdateSchema, example=TEAM_EXAMPLE)
    @blp.response(200, TeamSchema, headers=ETAG_HEADER)
    def patch(self, changes, team_id):
        """Rename a team"""
        return with_etag(service.update_team(uow(), team_id, changes, if_match()))

    @blp.operation("delete_team")
    @blp.response(204)
    def delete(self, team_id):
        """Delete a team; its people stay in the organisation without a team"""
        service.delete_team(uow(), team_id, if_match())
