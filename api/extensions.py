"""The project's own ``App``, ``Api``, ``Blueprint`` and ``Schema``: every convention of
api.md is written here once, and each resource module only declares what is particular
to it."""

from __future__ import annotations

import copy
import http
from collections.abc import Callable, Iterator
from typing import Any

import flask
import flask_smorest
import marshmallow as ma
from apispec import APISpec, BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_instance
from flask.json.provider import DefaultJSONProvider
from flask.sessions import NullSession, SessionInterface
from webargs.flaskparser import FlaskParser

from api import docs, i18n, problems
from api.converters import CONVERTERS
from api.policy import OWN, POLICY
from domain.access import KEY_ROLES, SELF_ROLES, Role
from domain.texts import Text, _

PROBLEM = problems.MEDIA_TYPE


class NoSessions(SessionInterface):
    """The API keeps no session: every call carries its key. Flask would otherwise look
    for a session cookie and make an empty session on every request."""

    _none = NullSession()

    def open_session(self, app: flask.Flask, request: flask.Request) -> NullSession:
        return self._none

    def save_session(self, *_args: Any) -> None:
        return None


class OrderedJSON(DefaultJSONProvider):
    """Keys in the schemas' field order: id first, reads like the docs."""

    sort_keys = False


class App(flask.Flask):
    """Flask for a keyed API whose views are all plain functions.

    Flask asks of every view, wrapper and hook it calls whether it is a coroutine: seven
    times a request, 2 % of a small read. None of ours is one (``api.operations`` refuses
    to start with a coroutine view), so each is called as it is.
    """

    session_interface = NoSessions()
    json_provider_class = OrderedJSON

    def ensure_sync(self, func: Callable) -> Callable:
        return func


# marshmallow's own messages, in the catalogue: the same English, a Dutch translation.
# Keyed by marshmallow's English, so a field or validator given a message of its own keeps it.
MARSHMALLOW_MESSAGES: dict[str, Text] = {
    text: text
    for text in (
        _("Missing data for required field."),
        _("Field may not be null."),
        _("Invalid value."),
        _("Unknown field."),
        _("Invalid input type."),
        _("Invalid type."),
        _("Invalid input."),
        _("Not a valid boolean."),
        _("Not a valid integer."),
        _("Not a valid number."),
        _("Number too large."),
        _("Special numeric values (nan or infinity) are not permitted."),
        _("Not a valid string."),
        _("Not a valid utf-8 string."),
        _("Not a valid list."),
        _("Not a valid mapping type."),
        _("Not a valid tuple."),
        _("Not a valid UUID."),
        _("Not a valid email address."),
        _("Not a valid URL."),
        _("Must be one of: {choices}."),
        _("Shorter than minimum length {min}."),
        _("Longer than maximum length {max}."),
        _("Length must be between {min} and {max}."),
        _("Length must be {equal}."),
        _("Must be greater than or equal to {min}."),
        _("Must be greater than {min}."),
        _("Must be less than or equal to {max}."),
        _("Must be less than {max}."),
        _("Must be greater than or equal to {min} and less than or equal to {max}."),
        _("Must be greater than {min} and less than {max}."),
        _("Must be greater than or equal to {min} and less than {max}."),
        _("Must be greater than {min} and less than or equal to {max}."),
        _("String does not match expected pattern."),
        _("One or more of the choices you made was not in: {choices}."),
    )
}
# The temporal fields' messages name their kind in English ("Not a valid {obj_type}."):
# whole sentences instead, per kind.
TEMPORAL_MESSAGES: dict[tuple[str, str], Text] = {
    ("datetime", "invalid"): _("Not a valid date and time (ISO 8601)."),
    ("datetime", "invalid_awareness"): _(
        "Not a date and time with a time zone (ISO 8601, such as 2026-11-23T10:00:00Z)."
    ),
    ("date", "invalid"): _("Not a valid date (YYYY-MM-DD)."),
    ("time", "invalid"): _("Not a valid time (HH:MM)."),
}
_VALIDATOR_MESSAGES = ("error", "message_min", "message_max", "message_all", "message_equal")


def _translatable(field: ma.fields.Field) -> None:
    """Give ``field`` (and the fields inside it) marshmallow's messages as catalogue texts."""
    kind: str = getattr(field, "OBJ_TYPE", None) or ""
    for key, message in list(field.error_messages.items()):
        if isinstance(message, Text):
            continue
        if (kind, key) in TEMPORAL_MESSAGES:
            field.error_messages[key] = TEMPORAL_MESSAGES[kind, key]
        elif message in MARSHMALLOW_MESSAGES:
            field.error_messages[key] = MARSHMALLOW_MESSAGES[message]
    for validator in field.validators:
        for name in _VALIDATOR_MESSAGES:
            said = getattr(validator, name, None)
            if not isinstance(said, Text) and said in MARSHMALLOW_MESSAGES:
                setattr(validator, name, MARSHMALLOW_MESSAGES[said])
    for inner in ("inner", "key_field", "value_field"):
        if isinstance(child := getattr(field, inner, None), ma.fields.Field):
            _translatable(child)
    for child in getattr(field, "tuple_fields", ()):
        _translatable(child)


class Schema(ma.Schema):
    """Strict by default: an unknown field is an error, never silently dropped. Its
    messages, and its fields', are catalogue texts, answered in the request's language."""

    error_messages = {
        "unknown": MARSHMALLOW_MESSAGES["Unknown field."],
        "type": MARSHMALLOW_MESSAGES["Invalid input type."],
    }

    class Meta:
        unknown = ma.RAISE
        ordered = True

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        _translatable(field_obj)


def _uuid(description: str) -> ma.fields.UUID:
    return ma.fields.UUID(metadata={"description": description})


def _uuids(description: str) -> ma.fields.List:
    return ma.fields.List(ma.fields.UUID(), metadata={"description": description})


class Translated(ma.fields.String):
    """A text the platform writes (a ``domain.texts.Text``), answered in the request's
    language; the contract documents it as the string it is."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else i18n.render(value)


class UnmetSubjectSchema(Schema):
    """What an unmet condition is about, by id, so a client can point at it (open the
    participant, the service) without reading the message. Each gate names what it has;
    every property is optional."""

    participant_id = _uuid("The participant the condition is about.")
    service_id = _uuid("The service the condition is about.")
    competence_id = _uuid("The competence the condition is about.")
    wish_id = _uuid("The wish the condition is about.")
    meeting_id = _uuid("The meeting the condition is about.")
    agreement_id = _uuid("The development agreement the condition is about.")
    participant_ids = _uuids("The participants the condition is about.")
    service_ids = _uuids("The services the condition is about.")
    competence_ids = _uuids("The competences the condition is about.")


class UnmetSchema(Schema):
    code = ma.fields.String(
        required=True,
        metadata={
            "description": "Machine-readable code of the condition.",
            "example": "no_findings",
        },
    )
    message = Translated(
        required=True,
        metadata={"description": "The condition, for the team to read, in the answer's language."},
    )
    subject = ma.fields.Nested(
        UnmetSubjectSchema,
        metadata={
            "absent_when_empty": True,
            "description": "What the condition is about; absent when it is about the project "
            "as a whole.",
        },
    )

    @ma.post_dump
    def _without_empty_subject(self, data, **kwargs):
        """A condition about nothing in particular has no subject, as in a 409's ``unmet``."""
        if not data.get("subject"):
            data.pop("subject", None)
        return data


class ViolationSchema(Schema):
    location = ma.fields.String(
        metadata={
            "description": "Where in an imported file: `line 7`, or a JSON pointer such as "
            "`/people/3`; absent for a request body."
        }
    )
    field = ma.fields.String(
        required=True,
        metadata={"description": "The field that breaks the rule (empty: the whole item)."},
    )
    code = ma.fields.String(
        required=True, metadata={"description": "Machine-readable code of the rule."}
    )
    message = ma.fields.String(
        required=True, metadata={"description": "The rule, for a person to read."}
    )


class ProblemSchema(Schema):
    """RFC 9457 problem details. What ``problems.problem`` puts in every answer is required,
    so a generated client types it as always there; the rest belongs to some problems."""

    type = ma.fields.String(
        required=True, metadata={"description": "URI naming the kind of problem."}
    )
    title = ma.fields.String(
        required=True, metadata={"description": "Short summary of the kind of problem."}
    )
    status = ma.fields.Integer(
        required=True, metadata={"description": "The HTTP status code of this answer."}
    )
    detail = ma.fields.String(
        required=True, metadata={"description": "What went wrong, for a person to read."}
    )
    instance = ma.fields.String(required=True, metadata={"description": "The path of the request."})
    request_id = ma.fields.String(
        required=True,
        metadata={"description": "The request's id, as in `X-Request-ID` and the logs."},
    )
    code = ma.fields.String(metadata={"description": "Machine-readable code of a conflict."})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={
            "description": "Messages per input field (`query.x`, `headers.x` outside the body)."
        },
    )
    violations = ma.fields.List(
        ma.fields.Nested(ViolationSchema),
        metadata={"description": "Broken rules of the domain, each located."},
    )
    unmet = ma.fields.List(
        ma.fields.Nested(UnmetSchema),
        metadata={"description": "Unmet conditions of a phase gate (a 409 gate-closed)."},
    )


# The errors every operation may answer, with an example each (keyed by status).
ERROR_EXAMPLES: dict[int, dict[str, Any]] = {
    400: {"detail": "The request body is not valid JSON."},
    401: {"detail": "Send a valid API key as 'Authorization: Bearer <key>'."},
    403: {"detail": "A viewer key may not do this."},
    404: {"type": "urn:od:problem:not-found", "detail": "No project 0b6c… here."},
    409: {
        "type": "urn:od:problem:gate-closed",
        "detail": "The project cannot move to service definition yet: 1 condition unmet.",
        "unmet": [{"code": "no_findings", "message": "Record at least one finding."}],
    },
    412: {"type": "urn:od:problem:stale", "detail": "The team was changed by someone else."},
    413: {"detail": "The request body is larger than the limit of 1048576 bytes."},
    406: {
        "type": "urn:od:problem:not-acceptable",
        "detail": "The report is available as text/html or application/pdf.",
    },
    415: {"detail": "Send the body as application/json."},
    422: {
        "type": "urn:od:problem:validation",
        "detail": "The request does not validate: see errors for each field.",
        "errors": {"name": ["Missing data for required field."]},
    },
    429: {"detail": "Too many requests for this key; retry later."},
    503: {"type": "urn:od:problem:unavailable", "detail": "The database is unavailable."},
}


def _refs(headers: dict) -> dict:
    """References to header components of these names."""
    return {name: {"$ref": f"#/components/headers/{name}"} for name in headers}


# Registered once as header components; each list's answer refers to them.
PAGINATION_HEADER_COMPONENTS = {
    "X-Pagination": {
        "description": "Where this page is: the totals always; the page numbers when there "
        "is anything to page through.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        name: {"type": "integer"}
                        for name in (
                            "total",
                            "total_pages",
                            "page",
                            "first_page",
                            "last_page",
                            "previous_page",
                            "next_page",
                        )
                    },
                    "required": ["total", "total_pages"],
                    "additionalProperties": False,
                }
            }
        },
    },
    "Link": {
        "description": "RFC 8288 links to the first, previous, next and last pages.",
        "schema": {"type": "string"},
    },
}
PAGINATION_HEADERS = _refs(PAGINATION_HEADER_COMPONENTS)
ETAG_HEADER = {
    "ETag": {
        "description": "The version of this resource; send it in If-Match to update safely.",
        "schema": {"type": "string"},
    }
}
# Inline in each read that has an ETag: the shared responses are the problem+json errors.
NOT_MODIFIED = {
    "description": "Not Modified: the resource is still at the version named in If-None-Match.",
    "headers": {
        **ETAG_HEADER,
        "Content-Language": {"$ref": "#/components/headers/Content-Language"},
    },
}
# What every authenticated response says of the key's budget (``api.limits``), and a
# refusal of when to come back: registered once, referred to from each response.
RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": {
        "description": "Requests per period in the budget this call drew on: the key's "
        "everyday budget, or its bulk budget for imports and syncs.",
        "schema": {"type": "integer"},
        "example": 600,
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in that budget now.",
        "schema": {"type": "integer"},
        "example": 599,
    },
    "X-RateLimit-Reset": {
        "description": "When the whole budget is back if no more calls are made (Unix time, "
        "seconds).",
        "schema": {"type": "integer"},
        "example": 1795936560,
    },
}
RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again: until one request more fits in "
        "the budget (429), the database is likely back (503), or the request with the same "
        "Idempotency-Key has likely finished (409).",
        "schema": {"type": "integer"},
        "example": 20,
    }
}
# Every answer names the language of its texts (``api.i18n``).
LANGUAGE_HEADERS = {
    "Content-Language": {
        "description": "The language of the texts the platform wrote in this answer (en or "
        "nl): the request's Accept-Language, else the workspace's language. Answers vary by "
        "Accept-Language.",
        "schema": {"type": "string", "enum": ["en", "nl"]},
        "example": "nl",
    }
}
LOCATION_HEADER = {
    "Location": {"description": "The URL of the created resource.", "schema": {"type": "string"}}
}
CONTENT_DISPOSITION_HEADER = {
    "Content-Disposition": {
        "description": "`attachment`, with a file name made of the project's name.",
        "schema": {"type": "string"},
        "example": 'attachment; filename="Samen-sterker.xlsx"',
    }
}
# What every response carries, whatever made it (``api.headers``, ``api.logs``).
EVERY_RESPONSE_HEADERS = {
    "X-Request-ID": {
        "description": "The request's id: the one sent in `X-Request-ID` when it is a sane "
        "token (1 to 128 of letters, digits and `._:-`), otherwise one made here. The logs "
        "and a problem's `request_id` carry it too.",
        "schema": {"type": "string"},
        "example": "3f9c2a7e5b1d4c08",
    },
    "Cache-Control": {
        "description": "`no-store`: no cache keeps API data.",
        "schema": {"type": "string", "const": "no-store"},
    },
    "X-Content-Type-Options": {
        "description": "`nosniff`: a browser takes the content type as sent.",
        "schema": {"type": "string", "const": "nosniff"},
    },
    "X-Frame-Options": {
        "description": "`DENY`: no page may frame an answer.",
        "schema": {"type": "string", "const": "DENY"},
    },
    "Referrer-Policy": {
        "description": "`no-referrer`.",
        "schema": {"type": "string", "const": "no-referrer"},
    },
    "Content-Security-Policy": {
        "description": "An answer runs nothing and loads nothing in a browser.",
        "schema": {"type": "string"},
        "example": "default-src 'none'; frame-ancestors 'none'",
    },
}
REPLAYED_HEADER = {
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored first answer to a POST with the same "
        "`Idempotency-Key`, replayed instead of applying the request again; absent otherwise.",
        "schema": {"type": "string", "enum": ["true"]},
    }
}
ACCEPT_POST_HEADER = {
    "Accept-Post": {
        "description": "The media types this operation accepts as its body.",
        "schema": {"type": "string"},
        "example": "application/json",
    }
}
# The errors that say more in headers: when to come back, and what is left of the budget;
# the refusals a retried POST may replay; the body types a 415 would have taken.
ERROR_HEADERS: dict[int, dict] = {
    400: REPLAYED_HEADER,
    404: REPLAYED_HEADER,
    409: {**RETRY_AFTER_HEADER, **REPLAYED_HEADER},
    415: ACCEPT_POST_HEADER,
    422: REPLAYED_HEADER,
    429: {**RETRY_AFTER_HEADER, **RATE_LIMIT_HEADERS},
    503: RETRY_AFTER_HEADER,
}
# Every header that a response's documentation refers to, registered once as a component.
HEADER_COMPONENTS = {
    **PAGINATION_HEADER_COMPONENTS,
    **RATE_LIMIT_HEADERS,
    **RETRY_AFTER_HEADER,
    **EVERY_RESPONSE_HEADERS,
    **REPLAYED_HEADER,
    **ACCEPT_POST_HEADER,
    **LANGUAGE_HEADERS,
}


class ConventionsPlugin(BasePlugin):
    """Adds to every operation what api.md promises for all: auth errors, 404 on paths
    with ids, preconditions, idempotency keys, body limits. Written once, so a new
    endpoint is documented like the others without anyone remembering."""

    def __init__(self) -> None:
        # Per schema component: the fields an answer leaves out when they are empty
        # (``metadata={"absent_when_empty": True}``), which ``ContractSpec`` does not
        # mark required.
        self.may_be_absent: dict[str, set[str]] = {}

    def schema_helper(self, name, definition, schema=None, **kwargs):
        if schema is None:
            return
        fields = resolve_schema_instance(schema).fields
        if absent := {
            field.data_key or key
            for key, field in fields.items()
            if field.metadata.get("absent_when_empty")
        }:
            self.may_be_absent[name] = absent

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            public = operation.get("security") == []
            unversioned = operation.pop("x-unversioned", False)
            parameters = operation.setdefault("parameters", [])
            if operation.pop("x-respond-async", False):
                parameters.append("PreferAsync")
            if not public:
                self._errors(responses, 401, 403, 429, 503)
            if "{" in (path or ""):
                self._errors(responses, 404)
            if "requestBody" in operation:
                self._errors(responses, 400, 413, 415, 422)
            if any(isinstance(p, dict) and p.get("in") == "query" for p in parameters):
                self._errors(responses, 422)
            if method in ("put", "patch", "delete") and not public:
                if not unversioned:
                    parameters.append("IfMatch")
                # 409: the change conflicts with what it finds (a closed project, a delete
                # of something still in use).
                self._errors(responses, 409, 412)
            if method == "get" and "ETag" in _success(responses).get("headers", {}):
                parameters.append("IfNoneMatch")
                responses.setdefault(304, NOT_MODIFIED)
            if method == "post" and not public:
                parameters.append("IdempotencyKey")
                self._errors(responses, 409, 422)
            self._language_header(responses)
            self._headers(responses, EVERY_RESPONSE_HEADERS)
            if not public:
                self._headers(responses, RATE_LIMIT_HEADERS)
            if method == "post" and not public:
                self._headers(responses, REPLAYED_HEADER)
            if not parameters:
                del operation["parameters"]
            operation["description"] = _description(operation, public, path or "")

    @staticmethod
    def _language_header(responses: dict) -> None:
        for status, response in responses.items():
            if str(status)[0] == "2" and str(status) != "204" and isinstance(response, dict):
                headers = {**response.get("headers", {}), **_refs(LANGUAGE_HEADERS)}
                responses[status] = {**response, "headers": headers}

    @staticmethod
    def _headers(responses: dict, headers: dict) -> None:
        """These headers on the answers other than errors (errors are shared components,
        which carry their own: ``Api._register_responses``)."""
        for status, response in responses.items():
            if str(status)[0] in "23" and isinstance(response, dict):
                merged = {**response.get("headers", {}), **_refs(headers)}
                responses[status] = {**response, "headers": merged}

    @staticmethod
    def _errors(responses: dict, *statuses: int) -> None:
        for status in statuses:
            if status not in responses and str(status) not in responses:
                responses[status] = _name(status)


def _description(operation: dict, public: bool, path: str) -> str:
    """The operation's own description (its docstring after the summary), then who may
    call it, from the role table: every operation says it, and the table stays the one
    place that decides it."""
    own = operation.get("description", "").strip()
    who = "No API key needed." if public else _who(operation.get("operationId", ""), path)
    return f"{own}\n\n{who}" if own else who


def _who(operation_id: str, path: str) -> str:
    """Who may call an operation: the roles of keys and users, and what a signed-in
    participant or MT member may do with it (``api.policy.OWN``)."""
    roles = POLICY.get(operation_id, frozenset())
    sentences = []
    if allowed := [role.value for role in Role if role in roles and role in KEY_ROLES]:
        plural = "s" if len(allowed) > 1 else ""
        sentences.append(
            f"Allowed to API keys and users with the role{plural} {', '.join(allowed)}."
        )
    if selves := [role.value for role in Role if role in roles and role in SELF_ROLES]:
        plural = "s" if len(selves) > 1 else ""
        rule = OWN.get(operation_id)
        where = (
            " in the projects they take part in (404 for any other)"
            if "{project_id}" in path
            else ""
        )
        sentences.append(
            f"Allowed to signed-in users with the role{plural} {', '.join(selves)}{where}"
            + (f"; {rule.describe()} (403 otherwise)." if rule else ".")
        )
    return " ".join(sentences)


def _name(status: int) -> str:
    return http.HTTPStatus(status).name


def _success(responses: dict) -> dict:
    found = responses.get(200, responses.get("200", {}))
    return found if isinstance(found, dict) else {}


class ContractSpec(APISpec):
    """The document as the app publishes it: apispec's, with every property required in
    the schemas that only ever answer (not a request body or parameter, not a problem).
    Answers carry all their fields, null where empty, but those marked
    ``absent_when_empty``; unmarked, a generated client types each field as maybe-absent
    and makes every reader check."""

    def to_dict(self) -> dict[str, Any]:
        spec = copy.deepcopy(super().to_dict())  # apispec returns (and keeps) its own dicts
        schemas = spec["components"]["schemas"]
        operations = [
            operation
            for item in spec["paths"].values()
            for operation in item.values()
            if isinstance(operation, dict)  # not a path's own parameters
        ]
        answers = _refs_in(
            schemas,
            [
                response
                for operation in operations
                for status, response in operation.get("responses", {}).items()
                if str(status)[0] in "23"
            ],
        )
        asked = _refs_in(
            schemas,
            [
                *(operation.get("requestBody") for operation in operations),
                *(operation.get("parameters") for operation in operations),
                spec["components"].get("responses"),  # the problems, whose fields vary
            ],
        )
        conventions = next(p for p in self.plugins if isinstance(p, ConventionsPlugin))
        for name in answers - asked:
            absent = conventions.may_be_absent.get(name, set())
            if required := [p for p in schemas[name].get("properties", {}) if p not in absent]:
                schemas[name]["required"] = required
        for schema in schemas.values():
            _enums_typed_by_their_values(schema)
        return spec


def _enums_typed_by_their_values(node: Any) -> None:
    """A nullable string of a fixed set (``OneOf`` with ``allow_none``) says its type by its
    values alone, as a nullable ``Enum`` field does: with ``type: [string, null]`` beside
    them, openapi-python-client made three copies of the enum per property."""
    if isinstance(node, dict):
        if "enum" in node and None in node["enum"] and isinstance(node.get("type"), list):
            del node["type"]
        for value in node.values():
            _enums_typed_by_their_values(value)
    elif isinstance(node, list):
        for value in node:
            _enums_typed_by_their_values(value)


def _refs_in(schemas: dict[str, Any], nodes: list[Any]) -> set[str]:
    """The schema components ``nodes`` refer to, and those they refer to in turn."""
    found: set[str] = set()
    todo = list(_schema_refs(nodes))
    while todo:
        if (name := todo.pop()) not in found:
            found.add(name)
            todo.extend(_schema_refs(schemas[name]))
    return found


def _schema_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            yield ref.rsplit("/", 1)[1]
        for value in node.values():
            yield from _schema_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_refs(value)


class Api(flask_smorest.Api):
    DEFAULT_ERROR_RESPONSE_NAME = None

    def __init__(self, app=None, **kwargs):
        plugins = kwargs.setdefault("spec_kwargs", {})
        plugins.setdefault("extra_plugins", [ConventionsPlugin()])
        plugins.setdefault("marshmallow_plugin", MarshmallowPlugin())
        super().__init__(app, **kwargs)

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        self.spec.__class__ = ContractSpec  # flask-smorest makes the spec; we publish it
        for name, (converter, schema) in CONVERTERS.items():
            self.register_converter(converter, schema)
            app.url_map.converters[name] = converter

    def _register_error_handlers(self):
        problems.register(self._app)

    def _register_responses(self):
        """Every error response documented as problem+json, with an example; the
        rate-limit headers once, for every answer to refer to."""
        self.spec.components.schema("Problem", schema=ProblemSchema)
        for name, header in HEADER_COMPONENTS.items():
            self.spec.components.header(name, header)
        for status, example in ERROR_EXAMPLES.items():
            response = {
                "description": http.HTTPStatus(status).phrase,
                "content": {
                    PROBLEM: {
                        "schema": {"$ref": "#/components/schemas/Problem"},
                        "example": {
                            "type": "about:blank",
                            "title": http.HTTPStatus(status).phrase,
                            "status": status,
                            "instance": "/api/v1/projects",
                            "request_id": "4bf92f3577b34da6a3ce929d0e0e4736",
                            **example,
                        },
                    }
                },
            }
            response["headers"] = _refs(
                {**EVERY_RESPONSE_HEADERS, **ERROR_HEADERS.get(status, {}), **LANGUAGE_HEADERS}
            )
            self.spec.components.response(_name(status), response)
        self.spec.components.parameter(
            "IfMatch",
            "header",
            {
                "name": "If-Match",
                "required": False,
                "description": "The ETag you read; the change is refused with 412 if the "
                "resource changed since.",
                "schema": {"type": "string"},
                "example": '"v1"',
            },
        )
        self.spec.components.parameter(
            "IfNoneMatch",
            "header",
            {
                "name": "If-None-Match",
                "required": False,
                "description": "The ETag you hold: answered 304 without a body while the "
                "resource is still at that version.",
                "schema": {"type": "string"},
                "example": '"v1"',
            },
        )
        self.spec.components.parameter(
            "PreferAsync",
            "header",
            {
                "name": "Prefer",
                "required": False,
                "description": "`respond-async` (RFC 7240): answer 202 at once and run the "
                "operation as a job on the worker; follow `Location`. Some operations run a "
                "large request as a job whatever it prefers (they say when).",
                "schema": {"type": "string"},
                "example": "respond-async",
            },
        )
        self.spec.components.parameter(
            "IdempotencyKey",
            "header",
            {
                "name": "Idempotency-Key",
                "required": False,
                "description": "A unique key per intended change: a retried request with the "
                "same key and body replays the first response instead of applying twice. "
                "An answer is kept only once the operation began changing data: a request "
                "refused before it wrote anything (a 4xx) keeps nothing, so the corrected "
                "request may be sent with the same key.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                "example": "5f0c1a3e-import-2026-11-23",
            },
        )

    def _openapi_json(self):
        """The contract, naming this server as the client reached it: behind a proxy that
        mounts the app under a prefix (``SCRIPT_NAME``), calls tried out on the docs page,
        and clients that read ``servers``, go to the prefix, not to the origin's root."""
        spec = self.spec.to_dict()  # apispec's own options dict: changed only in a copy
        if root := flask.request.script_root:
            servers = [{**server, "url": f"{root}/"} for server in spec["servers"]]
            spec = {**spec, "servers": servers}
        return flask.current_app.response_class(
            flask.json.dumps(spec, indent=2, sort_keys=False), mimetype="application/json"
        )

    def _register_swagger_ui_rule(self, blueprint):
        """Swagger UI served by this app (``api.docs``), not loaded from a CDN."""
        if path := self.config.get("OPENAPI_SWAGGER_UI_PATH"):
            docs.register(blueprint, path)

    def _register_etag_headers(self):
        pass

    def _register_pagination_header(self):
        pass


class ArgumentsParser(FlaskParser):
    """Query strings are as strict as bodies: an unknown parameter (a misspelt filter) is
    refused with 422 instead of being dropped, which would answer an unfiltered list."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,  # None: the schema's own ``unknown`` (RAISE, see ``Schema``)
        "querystring": None,
    }


class Blueprint(flask_smorest.Blueprint):
    """A resource's routes; ``operation`` names each one for the contract and the policy."""

    ARGUMENTS_PARSER = ArgumentsParser()

    def operation(self, operation_id: str) -> Callable:
        """Name an operation: its ``operationId`` in the contract and its row in
        ``api.policy``, which the authorisation check looks up by this name."""

        def decorator(func):
            func._operation_id = operation_id
            return self.doc(operationId=operation_id)(func)

        return decorator

    def unversioned(self, func):
        """A change to something without a version of its own (a batch of matrix cells, the
        set of steps someone has done): the contract offers no If-Match, and one that names
        a version is refused with 412, since nothing here can match it."""
        func._unversioned = True
        return self.doc(**{"x-unversioned": True})(func)

    def accepts(self, *media_types: str, body_limit: str | None = None) -> Callable:
        """Bodies of these media types (415 for others), up to the size the app config
        names ``body_limit`` (an import has its own); documented as the request body."""

        def decorator(func):
            func._accepts = media_types
            func._body_limit = body_limit
            return func

        return decorator

    def public(self, func):
        """An operation without authentication (health and readiness only)."""
        func._public = True
        return self.doc(security=[])(func)
