"""Users: people who sign in through the workspace's OpenID provider (admins invite them)."""

from __future__ import annotations

from flask import current_app, g
from flask.views import MethodView

from api.conventions import created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.users.schemas import (
    USER_EXAMPLE,
    CallerSchema,
    UserCreateSchema,
    UserQueryArgsSchema,
    UserSchema,
    UserUpdateSchema,
)
from domain.services import users as service
from repositories.credentials import reach_of_person

blp = Blueprint(
    "users",
    __name__,
    url_prefix="/api/v1",
    description="People who sign in with the consultancy's OpenID provider: consultants, "
    "and the client's team members doing their own part.",
)


@blp.route("/users")
class Users(MethodView):
    @blp.operation("list_users")
    @blp.arguments(UserQueryArgsSchema, location="query")
    @blp.response(200, UserSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args):
        """List the users, invited ones included"""
        query = UserQueryArgsSchema().list_query(args)
        return paginated(service.list_users(uow(), query), query)

    @blp.operation("invite_user")
    @blp.arguments(UserCreateSchema, example=USER_EXAMPLE)
    @blp.response(201, UserSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data):
        """Invite a user: the first sign-in with this e-mail links them

        The provider's access token must carry the e-mail in its `email` claim; from that
        sign-in on, the token's subject is this user, whatever the e-mail becomes.
        """
        user = service.invite_user(uow(), data)
        return created(user, "users.User", user_id=user.id)


@blp.route("/users/me")
class CurrentUser(MethodView):
    @blp.operation("get_current_user")
    @blp.response(200, CallerSchema)
    def get(self):
        """Who is calling: the signed-in user and the projects they take part in, or the key

        A front end learns here which projects its user may open, and as which participant.
        """
        principal = g.principal
        caller = {"id": principal.key_id, "actor_kind": principal.scope.actor_kind}
        caller |= {"role": principal.role, "email": None, "display_name": None}
        caller |= {"person_id": None, "participations": []}
        if not principal.is_user:
            return caller
        user = service.get_user(uow(), principal.key_id)
        caller |= {"email": user.email, "display_name": user.display_name}
        if user.person_id is not None:
            _organisation, projects = reach_of_person(
                current_app.extensions["od"].engine, principal.scope.workspace_id, user.person_id
            )
            caller["person_id"] = user.person_id
            caller["participations"] = [
                {"project_id": project_id, "participant_id": participant_id}
                for project_id, participant_id in projects.items()
            ]
        return caller


@blp.route("/users/<uuid:user_id>")
class User(MethodView):
    @blp.operation("get_user")
    @blp.response(200, UserSchema, headers=ETAG_HEADER)
    def get(self, user_id):
        """Get a user"""
        return with_etag(service.get_user(uow(), user_id))

    @blp.operation("update_user")
    @blp.arguments(UserUpdateSchema, example={"role": "consultant", "person_id": None})
    @blp.response(200, UserSchema, headers=ETAG_HEADER)
    def patch(self, changes, user_id):
        """Change a user's name, role or person"""
        user = service.update_user(uow(), user_id, changes, if_match())
        current_app.extensions["od"].key_cache.clear()  # signed-in users are remembered too
        return with_etag(user)

    @blp.operation("remove_user")
    @blp.response(204)
    def delete(self, user_id):
        """Remove a user: their tokens are refused from now on"""
        service.remove_user(uow(), user_id, if_match())
        current_app.extensions["od"].key_cache.clear()
