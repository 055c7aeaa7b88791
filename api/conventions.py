"""The HTTP conventions of api.md that views share: the unit of work of a request, list
arguments and pagination headers, ETags and If-Match, and accepted content types."""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
from flask import Response, current_app, g, request, url_for
from werkzeug.http import unquote_etag

from api import operations
from api.auth import acting_scope
from api.extensions import Schema
from api.problems import problem
from domain.base import Entity, ListQuery, Page, PageRequest
from domain.texts import _
from repositories.unit_of_work import SqlUnitOfWork

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_NUL = _("Must not contain NUL characters.")
MAX_PAGE_SIZE = 100


def uow(*, snapshot: bool = False, write: bool | None = None) -> SqlUnitOfWork:
    """The unit of work for this request, scoped to the caller's workspace and organisation.
    ``snapshot``: a read whose statements must agree, such as an export an import reads
    back (on PostgreSQL other reads see each statement's own moment). ``write``: whether
    it may commit, if not as the method says (a GET that keeps an export job)."""
    context = g._get_current_object()  # one lookup of the proxy for both reads
    return SqlUnitOfWork(
        current_app.extensions["od"].engine,
        acting_scope(context.principal),
        write=request.method not in SAFE_METHODS if write is None else write,
        snapshot=snapshot,
        idempotency_claim=context.get("idempotency_record"),
    )


# --- lists -------------------------------------------------------------------------


class ListArgsSchema(Schema):
    """What every list accepts; resource schemas add their own filters."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    page_size = ma.fields.Integer(
        load_default=20, validate=ma.validate.Range(min=1, max=MAX_PAGE_SIZE)
    )
    updated_since = ma.fields.AwareDateTime(
        metadata={"description": "Only what changed at or after this time (ISO 8601 with zone)."}
    )

    search_field: str | None = None  # the filter that searches text rather than matching

    @ma.pre_load
    def _refuse_nul(self, data, **kwargs):
        """PostgreSQL can neither store nor compare a NUL character, so a filter holding one
        would fail inside the database: refuse it here, for every list, naming the filter."""
        values = data.getlist if hasattr(data, "getlist") else lambda key: [data[key]]
        errors = {
            key: [NO_NUL]
            for key in data
            if any(isinstance(v, str) and "\x00" in v for v in values(key))
        }
        if errors:
            raise ma.ValidationError(errors)
        return data

    def list_query(self, args: dict[str, Any]) -> ListQuery:
        args = dict(args)
        page = PageRequest(args.pop("page"), args.pop("page_size"))
        since = args.pop("updated_since", None)
        search = args.pop(self.search_field, None) if self.search_field else None
        return ListQuery(filters=args, updated_since=since, search=search, page=page)


def paginated(page: Page[Any], query: ListQuery) -> tuple[list[Any], dict[str, str]]:
    """The page's items with ``X-Pagination`` and RFC 8288 ``Link`` headers."""
    size = query.page.page_size
    number = query.page.page
    last = max(1, math.ceil(page.total / size))
    meta: dict[str, int] = {"total": page.total, "total_pages": math.ceil(page.total / size)}
    links = {"first": 1, "last": last}
    if page.total:
        meta.update(first_page=1, last_page=last, page=number)
    if number > 1:
        links["prev"] = meta["previous_page"] = min(number - 1, last)
    if number < last:
        links["next"] = meta["next_page"] = number + 1
    args = request.args.to_dict()
    link = ", ".join(
        f'<{request.base_url}?{urlencode({**args, "page": n, "page_size": size})}>; rel="{rel}"'
        for rel, n in links.items()
    )
    return page.items, {"X-Pagination": _json(meta), "Link": link}


def _json(value: Any) -> str:
    from flask import json

    return json.dumps(value)


# --- versions ----------------------------------------------------------------------

_ETAG = re.compile(r'^(?:W/)?"v(\d+)"$')


def etag(entity: Entity) -> str:
    return f'"v{entity.version}"'


def if_match() -> int | None:
    """The version the caller claims to have seen, from If-Match (``None``: no precondition).

    An If-Match that names no version of ours can match nothing: the change is refused.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    match = _ETAG.match(header.strip())
    return int(match.group(1)) if match else -1


def check_precondition():
    """Before a change to something unversioned: an If-Match naming a version fails (412)
    rather than being ignored, so a client that relies on it is never silently unprotected."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    operation = operations.current()
    if operation is not None and operation.unversioned:
        return problem(
            412,
            _("This resource has no version to match: send the change without If-Match."),
            slug="stale",
            title=_("Changed meanwhile"),
        )
    return None


def with_etag(
    entity: Entity, status: int = 200, **headers: str
) -> tuple[Entity, int, dict[str, str]] | Response:
    """The entity with its ETag; a read whose If-None-Match names that ETag is answered
    304 without a body (a front end polling a project gets it again only when it changed)."""
    tag = etag(entity)
    if (
        status == 200
        and request.method in SAFE_METHODS
        and "HTTP_IF_NONE_MATCH" in request.environ  # most reads send none: no parse
        # werkzeug's parse of the header: weak comparison (RFC 9110 13.1.2), lists and "*"
        and request.if_none_match.contains_weak(unquote_etag(tag)[0])
    ):
        return Response(status=304, headers={"ETag": tag})
    return entity, status, {"ETag": tag, **headers}


def created(
    entity: Entity, endpoint: str, **values: Any
) -> tuple[Entity, int, dict[str, str]] | Response:
    return with_etag(entity, 201, Location=url_for(endpoint, **values))


# --- content types -----------------------------------------------------------------


def check_content_type():
    """Bodies must be JSON (415 otherwise); a view may accept more via ``accepts``."""
    if request.method in SAFE_METHODS or request.method == "DELETE":
        return None
    has_body = (request.content_length or 0) > 0 or "chunked" in request.headers.get(
        "Transfer-Encoding", ""
    )
    if not has_body:
        return None
    operation = operations.current()
    limit = current_app.config[operation.body_limit_key if operation else "MAX_CONTENT_LENGTH"]
    request.max_content_length = limit  # also bounds a chunked body while it is read
    if request.content_length and request.content_length > limit:
        return problem(
            413, _("The request body is larger than the limit of {limit} bytes.", limit=limit)
        )
    accepted = operation.accepts if operation else operations.JSON_ONLY
    if request.mimetype not in accepted:
        return problem(
            415,
            _(
                "Send the body as {accepted}, not {sent}.",
                accepted=" or ".join(accepted),
                sent=request.mimetype or "untyped",
            ),
            headers={"Accept-Post": ", ".join(accepted)},
        )
    return None
