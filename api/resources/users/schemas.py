from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text
from domain.access import ActorKind, Role

USER_EXAMPLE = {
    "email": "f.elamrani@example.nl",
    "display_name": "Fatima el Amrani",
    "role": "participant",
    "person_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
}
ROLE_TEXT = (
    "admin, consultant or viewer for the consultancy's people; participant or mt_member "
    "for a client's team member or MT member (then person_id names who they are)."
)


class UserSchema(EntitySchema):
    email = ma.fields.String(metadata={"example": "f.elamrani@example.nl"})
    display_name = ma.fields.String(metadata={"example": "Fatima el Amrani"})
    role = ma.fields.Enum(Role, by_value=True, metadata={"description": ROLE_TEXT})
    person_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "Who the user is in a client organisation."}
    )
    invited = ma.fields.Boolean(
        metadata={"description": "True until the first sign-in links the provider's subject."}
    )
    signed_in_at = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "The first sign-in."}
    )


class UserCreateSchema(Schema):
    email = ma.fields.Email(
        required=True,
        validate=ma.validate.Length(max=320),
        metadata={"description": "The first access token carrying it is linked to the user."},
    )
    display_name = Text(required=True)
    role = ma.fields.Enum(Role, by_value=True, required=True, metadata={"description": ROLE_TEXT})
    person_id = ma.fields.UUID(load_default=None, allow_none=True)


class UserUpdateSchema(Schema):
    display_name = Text()
    role = ma.fields.Enum(Role, by_value=True, metadata={"description": ROLE_TEXT})
    person_id = ma.fields.UUID(allow_none=True)


class UserQueryArgsSchema(ListArgsSchema):
    role = ma.fields.Enum(Role, by_value=True)
    search = ma.fields.String(metadata={"description": "Part of the e-mail or the name."})
    search_field = "search"


class ParticipationSchema(Schema):
    project_id = ma.fields.UUID()
    participant_id = ma.fields.UUID()


class CallerSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The user's id, or the API key's."})
    actor_kind = ma.fields.Enum(ActorKind, by_value=True)
    role = ma.fields.Enum(Role, by_value=True)
    email = ma.fields.String(allow_none=True, metadata={"description": "Null for a key."})
    display_name = ma.fields.String(allow_none=True, metadata={"description": "Null for a key."})
    person_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "Who the user is in a client organisation."}
    )
    participations = ma.fields.List(
        ma.fields.Nested(ParticipationSchema),
        metadata={"description": "The projects the user's person takes part in, and as whom."},
    )
