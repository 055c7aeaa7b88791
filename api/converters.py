"""Path parameters that are not UUIDs, held at the router to the rules their body fields
follow: a path that no record could have is simply not found (404), as a malformed UUID is."""

from __future__ import annotations

from werkzeug.routing import BaseConverter

MAX_EXTERNAL_ID = 200


class ExternalIdConverter(BaseConverter):
    """An HRIS's id: 1–200 characters, not blank, no control characters (PostgreSQL cannot
    store a NUL, and the body's ``external_id`` refuses all three)."""

    regex = rf"(?=[^/]*[^\s/])[^/\x00-\x1f\x7f]{{1,{MAX_EXTERNAL_ID}}}"
    part_isolating = True


def external_id_schema(_converter) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": MAX_EXTERNAL_ID, "pattern": r"\S"}


CONVERTERS = {"external_id": (ExternalIdConverter, external_id_schema)}
