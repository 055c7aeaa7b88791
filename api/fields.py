"""Field types shared by the resource schemas."""

from __future__ import annotations

import re

import marshmallow as ma

from api.extensions import Schema
from api.extensions import Translated as Translated  # re-exported: schemas take it from here
from domain.texts import _

# Blank: nothing but white space, by Python's reckoning or by JSON Schema's (ECMA-262 also
# counts U+FEFF), so that whatever the contract's pattern calls blank is refused here.
_BLANK = re.compile(r"[\s\ufeff]*")
# JSON may escape half of a UTF-16 pair ("\ud800"); no database encoding can store it.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Text(ma.fields.String):
    """A string that may not hold NUL characters or lone surrogates (no database can store
    them) and, unless ``blank`` is allowed, may not be empty or only white space."""

    def __init__(self, *, max_length: int = 200, blank: bool = False, validate=None, **kwargs):
        validators = [ma.validate.Length(max=max_length), *([validate] if validate else [])]
        if not blank and not isinstance(validate, ma.validate.Regexp):
            # The contract says "not blank" too (a character that is not white space), so
            # clients and generated tests know an empty string is refused.
            kwargs["metadata"] = {"pattern": r"\S", **(kwargs.get("metadata") or {})}
        super().__init__(validate=validators, **kwargs)
        self.blank = blank

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ma.ValidationError(_("Must not contain NUL characters."))
        if _LONE_SURROGATE.search(text):
            raise ma.ValidationError(
                _("Must be valid Unicode: a lone surrogate is not a character.")
            )
        if not self.blank and _BLANK.fullmatch(text):
            raise ma.ValidationError(_("Must not be blank."))
        return text


class EntitySchema(Schema):
    """What every stored entity shows besides its own fields."""

    id = ma.fields.UUID(dump_only=True)
    version = ma.fields.Integer(
        dump_only=True,
        metadata={"description": 'Changes on every update; the ETag is "v<version>".'},
    )
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class BatchResultSchema(Schema):
    """How many records a batch created, updated and left unchanged: one shape for every
    count of outcomes (a levels batch, an import per kind, a participants batch), so a
    client types ``created`` rather than looking a key up in a map."""

    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer()
