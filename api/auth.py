"""Authentication, by API key or by an OpenID Connect access token, and the role check:
all run here, before any view.

Keys are looked up by their HMAC digest. Verified keys are remembered for a few seconds
(``API_KEY_CACHE_SECONDS``) so a read costs no extra query; revoking a key forgets it at
once in this process, and other processes within that many seconds. Users signed in
with a token are remembered by issuer and subject alike.

A caller whose role acts for itself (a participant, an MT member) reaches only the
projects its person takes part in, and in them only what ``api.policy.OWN`` lets it
call as its own participant (see ``reach``).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from uuid import UUID

from flask import current_app, g, request
from werkzeug.wrappers import Response

from api import headers, operations
from api.policy import ALWAYS, ANONYMOUS, OWN, Own
from api.problems import problem
from api.tokens import InvalidToken, looks_like_jwt
from domain.access import SECRET_PREFIX, ActorKind, Language, Role, Scope
from domain.errors import NotFound
from domain.services.users import sign_in
from domain.texts import _
from repositories.credentials import participant_owning, reach_of_person, scope_for_digest
from repositories.unit_of_work import SqlUnitOfWork

if TYPE_CHECKING:
    from api import AppState


@dataclass(frozen=True)
class Principal:
    scope: Scope
    role: Role
    language: Language = Language.EN  # the workspace's, for a request that names none
    person_id: UUID | None = None  # a user's person in a client organisation

    @property
    def key_id(self):
        """The API key or user acting (``scope.actor_kind`` says which)."""
        return self.scope.actor_id

    @property
    def is_user(self) -> bool:
        return self.scope.actor_kind is ActorKind.USER

    @cached_property
    def key_text(self) -> str:
        """The key's id as logs and rate limits name it, made once per cached key."""
        return str(self.scope.actor_id)


class KeyCache:
    """A small LRU of verified keys with an expiry; thread-safe for threaded workers."""

    def __init__(self, seconds: int, size: int = 1024) -> None:
        self.seconds, self.size = seconds, size
        self._entries: OrderedDict[str, tuple[float, Principal]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: str) -> Principal | None:
        if self.seconds <= 0:
            return None
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None or entry[0] < time.monotonic():
                self._entries.pop(digest, None)
                return None
            self._entries.move_to_end(digest)
            return entry[1]

    def put(self, digest: str, principal: Principal) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            self._entries[digest] = (time.monotonic() + self.seconds, principal)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def guard():
    """Before every request: public, or a valid key whose role the policy admits."""
    operation = operations.current()
    if operation is None or operation.public:
        return None  # routing will answer 404/405; CORS preflights carry no key
    state = current_app.extensions["od"]
    try:
        principal = authenticate(state)
    except Refused as refused:
        return _unauthenticated(refused.args[0], 'error="invalid_token"')
    if principal is None:
        return _unauthenticated(
            _("Send a valid API key or access token as 'Authorization: Bearer <…>'.")
        )
    g.principal = principal
    g.anonymous = _anonymous(operation.id, principal)
    spent = state.rate_limits.spend(principal.key_text, bulk=operation.bulk)
    headers.add(request.environ, spent.headers())  # on the response, whatever it will be
    if not spent.allowed:
        return problem(
            429,
            _(
                "Too many requests for this API key (limit: {budget}); retry later.",
                budget=spent.budget,
            ),
        )
    if principal.role.acts_for_itself and (outside := reach(state, principal, operation.id)):
        return outside
    if principal.role not in operation.roles:
        caller = "user" if principal.is_user else "key"
        return problem(
            403,
            _(
                "A {role} {caller} may not do this ({operation}).",
                role=principal.role.value,
                caller=caller,
                operation=operation.id,
            ),
            slug="forbidden",
        )
    return None


def _anonymous(operation_id: str | None, principal: Principal) -> bool:
    """The request is anonymous (``api.policy.ANONYMOUS``): always, or a user's that says
    so."""
    if operation_id not in ANONYMOUS:
        return False
    flag = ANONYMOUS[operation_id]
    if flag is ALWAYS:
        return True
    body = request.get_json(silent=True)
    return principal.is_user and isinstance(body, dict) and body.get(flag) is True


def acting_scope(principal: Principal) -> Scope:
    """The scope a request writes with: without its actor when it acts anonymously."""
    if g.get("anonymous"):
        return dataclasses.replace(principal.scope, actor_id=None)
    return principal.scope


class Refused(Exception):
    """A credential that was presented but is not accepted; the message says why."""


def _unauthenticated(detail: str, error: str = "") -> Response:
    challenge = 'Bearer realm="od-platform"' + (f", {error}" if error else "")
    return problem(401, detail, headers={"WWW-Authenticate": challenge})


def authenticate(state: AppState) -> Principal | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        return None
    if not secret.startswith(SECRET_PREFIX) and looks_like_jwt(secret):
        return _user(state, secret)
    digest = state.hasher.digest(secret)
    principal = state.key_cache.get(digest)
    if principal is None:
        found = scope_for_digest(state.engine, digest)
        if found is None:
            return None
        principal = Principal(*found)
        state.key_cache.put(digest, principal)
    return principal


def _user(state: AppState, token: str) -> Principal:
    """The user a valid access token's subject is (linked on an invited user's first
    sign-in); an unknown subject is refused, saying so."""
    try:
        identity = state.tokens.verify(token)
    except InvalidToken as error:
        raise Refused(error.args[0]) from error
    remembered = f"{identity.issuer}\n{identity.subject}"
    principal = state.key_cache.get(remembered)
    if principal is not None:
        return principal
    scope = Scope(workspace_id=identity.workspace_id, actor_kind=ActorKind.USER)
    work = SqlUnitOfWork(state.engine, scope)
    user = sign_in(work, identity.issuer, identity.subject, identity.email)
    if user is None:
        raise Refused(
            _(
                "The access token's subject is no user of this workspace: ask an admin to "
                "invite your e-mail address (POST /api/v1/users)."
            )
        )
    organisation_id = None
    if user.role.acts_for_itself and user.person_id is not None:
        organisation_id, _projects = reach_of_person(
            state.engine, identity.workspace_id, user.person_id
        )
    principal = Principal(
        Scope(
            workspace_id=identity.workspace_id,
            organisation_id=organisation_id,
            actor_id=user.id,
            actor_kind=ActorKind.USER,
        ),
        user.role,
        language=workspace_language(work),
        person_id=user.person_id,
    )
    state.key_cache.put(remembered, principal)
    return principal


def workspace_language(work: SqlUnitOfWork) -> Language:
    """The language a user's answers speak when the request names none."""
    with work:
        return work.workspaces.current().language


# --- the reach of a caller acting for itself ------------------------------------------


def own_participant_id(project_id: UUID) -> UUID | None:
    """The caller's own participant in ``project_id`` (set by ``reach`` for this request)."""
    reached = g.get("own_participants") or {}
    return reached.get(project_id)


def reach(state: AppState, principal: Principal, operation_id: str | None) -> Response | None:
    """A participant or MT member: 404 for any project their person takes no part in; in
    their own, 403 for another person's data (``api.policy.OWN``). Their projects are read
    on every request (one query), so being added to or removed from one counts at once."""
    project_id = (request.view_args or {}).get("project_id")
    if project_id is None:
        return None  # outside projects the role table alone decides
    _organisation, projects = (
        reach_of_person(state.engine, principal.scope.workspace_id, principal.person_id)
        if principal.person_id is not None
        else (None, {})
    )
    g.own_participants = projects
    own = projects.get(project_id)
    if own is None:
        return problem(404, NotFound("project").message)
    rule = OWN.get(operation_id or "")
    if rule is None:
        return None
    if why := _not_own(state, principal, rule, project_id, own):
        return problem(403, why, slug="forbidden")
    return None


def _not_own(
    state: AppState, principal: Principal, rule: Own, project_id: UUID, own: UUID
) -> str | None:
    """Why the request reaches beyond the caller's own participant, or ``None``."""
    args = request.view_args or {}
    mine = str(own)
    if rule.path and str(args.get(rule.path)) != mine:
        return _("You may only do this for yourself: the participant in the URL is someone else.")
    if rule.query and request.args.get(rule.query) != mine:
        return _(
            "List only your own: set '{field}' to your participant id ({id}).",
            field=rule.query,
            id=mine,
        )
    for name, against_self in ((rule.owner, False), (rule.others, True)):
        if name and name in args:
            owner = participant_owning(
                state.engine, principal.scope.workspace_id, project_id, name, args[name]
            )
            if owner is not None and (owner == own) is against_self:
                return (
                    _("This is your own; check in on a colleague's agreement instead.")
                    if against_self
                    else _("This belongs to another participant.")
                )
    if rule.body or rule.fixed:
        return _body_not_own(rule, mine)
    return None


def _body_not_own(rule: Own, mine: str) -> str | None:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return None  # the view's validation answers a malformed body
    items = body.get(rule.items) if rule.items else [body]
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        named = item.get(rule.body) if rule.body else mine
        if named is None and rule.optional:
            continue
        if str(named) != mine:
            return _(
                "You may only do this for yourself: set '{field}' to {id}.",
                field=rule.body,
                id=mine,
            )
        for field_name, value in rule.fixed.items():
            if item.get(field_name, value) != value:
                return _(
                    "'{field}' can only be {value} when you enter it yourself.",
                    field=field_name,
                    value=repr(value),
                )
    return None
