from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text

PERSON_EXAMPLE = {
    "external_id": "E-1042",
    "name": "Fatima el Amrani",
    "email": "f.elamrani@example.nl",
    "active": True,
    "team_id": None,
}
HRIS_PERSON_EXAMPLE = {k: v for k, v in PERSON_EXAMPLE.items() if k != "external_id"}
SYNC_EXAMPLE = {
    "people": [
        {"external_id": "E-1042", "name": "Fatima el Amrani", "email": "f.elamrani@example.nl"},
        {"external_id": "E-1043", "name": "Joost de Vries", "active": True},
    ],
    "deactivate_absent": True,
}


class PersonSchema(EntitySchema):
    organisation_id = ma.fields.UUID()
    external_id = ma.fields.String(allow_none=True, metadata={"example": "E-1042"})
    name = ma.fields.String(
        allow_none=True,
        metadata={"description": "Null once the person is erased.", "example": "Fatima el Amrani"},
    )
    email = ma.fields.String(allow_none=True, metadata={"example": "f.elamrani@example.nl"})
    active = ma.fields.Boolean()
    team_id = ma.fields.UUID(allow_none=True)
    erased = ma.fields.Boolean(metadata={"description": "Name and contact data were erased."})


class _PersonFields(Schema):
    name = Text()
    email = ma.fields.Email(allow_none=True, validate=ma.validate.Length(max=320))
    active = ma.fields.Boolean()
    team_id = ma.fields.UUID(allow_none=True)


class PersonCreateSchema(_PersonFields):
    external_id = Text(allow_none=True, load_default=None)
    name = Text(required=True)


class PersonUpdateSchema(_PersonFields):
    external_id = Text(allow_none=True)


KEPT_WHEN_ABSENT = "Left out: the stored value is kept (a new person: {new})."


class HrisPersonSchema(_PersonFields):
    """The HRIS's view of one employee: the fields it sends are set, the fields it leaves
    out keep their stored values, and an explicit null clears a value. An HRIS that sends
    fewer fields than before erases nothing."""

    name = Text(required=True)
    email = ma.fields.Email(
        allow_none=True,
        validate=ma.validate.Length(max=320),
        metadata={"description": KEPT_WHEN_ABSENT.format(new="none") + " null: cleared."},
    )
    active = ma.fields.Boolean(
        metadata={
            "description": KEPT_WHEN_ABSENT.format(new="true")
            + " In a sync with `deactivate_absent`, someone listed is active unless this "
            "says false."
        }
    )
    team_id = ma.fields.UUID(
        allow_none=True,
        metadata={"description": KEPT_WHEN_ABSENT.format(new="none") + " null: no team."},
    )


class SyncItemSchema(HrisPersonSchema):
    external_id = Text(required=True)


class SyncSchema(Schema):
    people = ma.fields.List(
        ma.fields.Nested(SyncItemSchema),
        required=True,
        validate=ma.validate.Length(max=10_000),
        metadata={"description": "Everyone the HRIS knows in this organisation (at most 10,000)."},
    )
    deactivate_absent = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Deactivate HRIS-managed people the list leaves out."},
    )


class SyncResultSchema(Schema):
    index = ma.fields.Integer(
        allow_none=True, metadata={"description": "Position in the list; null for a deactivation."}
    )
    external_id = ma.fields.String()
    outcome = ma.fields.String(
        validate=ma.validate.OneOf(["created", "updated", "unchanged", "deactivated"]),
        metadata={"description": "Deactivated: absent from the list, with deactivate_absent."},
    )
    id = ma.fields.UUID(attribute="person.id")


class SyncReportSchema(Schema):
    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    results = ma.fields.List(ma.fields.Nested(SyncResultSchema))


class PersonQueryArgsSchema(ListArgsSchema):
    team_id = ma.fields.UUID()
    active = ma.fields.Boolean()
    q = ma.fields.String(
        metadata={"description": "Part of the name or e-mail, or the exact external_id."}
    )
    search_field = "q"
