"""``Idempotency-Key`` on POST: a retried request replays the first response.

Same key, same body: the stored response, marked ``Idempotent-Replayed: true``. Same key,
another body: 422. Same key while the first is still running: 409. Keys belong to the
API key that sent them and expire after 24 hours. An answer is kept only once the
operation began changing data (as Stripe does): a request refused before it wrote
anything (a 4xx: invalid body, a broken rule, a conflict) keeps nothing, so the client may
correct it and retry with the same key. Server errors are not kept either, so a request
that failed on our side can be retried with the same key. So can one whose
outcome could not be stored at all (the database went away) and that applied nothing,
once its claim's lease (``IDEMPOTENCY_LEASE_SECONDS``, gunicorn's timeout by default) has
run out; one that applied its change but lost its answer is told so (409), never applied
again.
"""

from __future__ import annotations

import hashlib
import tempfile

from flask import Response, after_this_request, current_app, g, request

from api.problems import problem
from domain.texts import _
from repositories.idempotency import IdempotencyStore

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("Location", "ETag", "Content-Type", "Content-Language", "X-Pagination", "Link")
# A body bigger than this waits on disk, not in memory, while the request runs.
SPOOL_IN_MEMORY = 1024 * 1024
CHUNK = 64 * 1024


def _store() -> IdempotencyStore:
    return current_app.extensions["od"].idempotency


def fingerprint() -> str:
    """What makes two requests the same request: method, path with query, and body.

    The body is hashed as it arrives and kept in a spooled file, which then serves as the
    request's stream: the view reads all of it again, and an import of 100,000 rows sent
    with a key is never held in memory whole.
    """
    digest = hashlib.sha256(b"\0".join([request.method.encode(), request.full_path.encode(), b""]))
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 (closed below)
    while chunk := request.stream.read(CHUNK):
        digest.update(chunk)
        spool.write(chunk)
    spool.seek(0)
    request.stream = spool  # werkzeug's cached stream, replaced by its copy

    @after_this_request
    def close(response: Response) -> Response:
        spool.close()
        return response

    return digest.hexdigest()


def before():
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None or getattr(g, "principal", None) is None:
        return None
    # A malformed key is refused whether or not the request is kept, as the contract says.
    if not 1 <= len(key) <= 255 or not key.isprintable():
        return problem(
            422,
            _("Idempotency-Key must be 1 to 255 printable characters."),
            slug="validation",
            errors={f"headers.{HEADER}": [_("Must be 1 to 255 printable characters.")]},
        )
    if g.get("anonymous"):
        # A kept claim would tie the anonymous request to its caller (and a pulse answer's
        # body, hashed beside its participant, could be matched by trying the handful of
        # 1-to-5 values). A pulse answer is safe to retry anyway: a second one is refused.
        return None
    claim = _store().claim(g.principal.scope, key, fingerprint())
    if claim.state == "mismatch":
        return problem(
            422,
            _("This Idempotency-Key was already used with a different request."),
            slug="idempotency-key-reused",
        )
    if claim.state == "running":
        return problem(
            409,
            _("A request with this Idempotency-Key is still being processed."),
            slug="idempotency-key-in-use",
            headers={"Retry-After": "1"},
        )
    if claim.state == "applied":
        return problem(
            409,
            _(
                "A request with this Idempotency-Key was applied, but its response could not "
                "be kept (the database failed right after); read the result instead of "
                "retrying."
            ),
            slug="idempotency-key-applied",
        )
    if claim.state == "replay":
        response = Response(claim.body, status=claim.status, headers=claim.headers or {})
        response.headers["Idempotent-Replayed"] = "true"
        return response
    g.idempotency_record = claim.record_id
    return None


def after(response: Response) -> Response:
    record_id = g.pop("idempotency_record", None)
    if record_id is None:
        return response
    if response.status_code >= 500:
        _store().release(record_id)
        return response
    headers = {k: v for k, v in response.headers.items() if k in KEPT_HEADERS}
    keep = _store().settle if response.status_code >= 400 else _store().complete
    keep(record_id, response.status_code, headers, response.get_data(as_text=True))
    return response
