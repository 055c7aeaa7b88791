from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text

ORGANISATION_EXAMPLE = {"name": "Gemeente Utrecht"}
TEAM_EXAMPLE = {"name": "Ondersteunende afdeling"}


class OrganisationSchema(EntitySchema):
    name = ma.fields.String(metadata={"example": "Gemeente Utrecht"})


class OrganisationCreateSchema(Schema):
    name = Text(required=True)


class OrganisationUpdateSchema(Schema):
    name = Text()


class OrganisationQueryArgsSchema(ListArgsSchema):
    q = ma.fields.String(metadata={"description": "Part of the name."})
    search_field = "q"


class TeamSchema(EntitySchema):
    organisation_id = ma.fields.UUID()
    name = ma.fields.String(metadata={"example": "Ondersteunende afdeling"})


class TeamCreateSchema(Schema):
    name = Text(required=True)


class TeamUpdateSchema(Schema):
    name = Text()


class TeamQueryArgsSchema(ListArgsSchema):
    name = ma.fields.String(metadata={"description": "Exactly this name."})
