"""Dutch and English: which language an answer is in, and its texts rendered in it.

The language is the best match of the request's ``Accept-Language`` to the languages the
catalogue holds; without one, the workspace's own (``PATCH /workspace``), else English.
Every answer says which in ``Content-Language`` and that it depends on the header
(``Vary: Accept-Language``).

The texts are ``domain.texts.Text`` messages: English in the code, Dutch in the
catalogue ``api/translations/nl/LC_MESSAGES/messages.po`` (``make translations`` brings
it up to date with the code). The catalogue is compiled once per process from the
``.po`` file, so a fresh clone runs without a build step and no compiled file can fall
behind its source.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import g, request

from api import headers
from domain.texts import Lookup, Text, english

ENGLISH = "en"
LANGUAGES = (ENGLISH, "nl")  # English first: what a request naming neither gets
CATALOGUES = Path(__file__).parent / "translations"
DOMAIN = "messages"


def catalogue_path(language: str) -> Path:
    return CATALOGUES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def lookup(language: str) -> Lookup:
    """How messages read in ``language``; a message without a translation reads English."""
    if language == ENGLISH:
        return english
    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue)  # fuzzy translations left out: English until checked
    compiled.seek(0)
    translations = Translations(compiled, domain=DOMAIN)

    def translate(singular: str, plural: str | None, count: int | None) -> str:
        if plural is None:
            return translations.gettext(singular)
        return translations.ngettext(singular, plural, count if count is not None else 1)

    return translate


def negotiate() -> None:
    """Before a view: the request's language, named in its answer."""
    principal = g.get("principal")
    default = principal.language if principal is not None else ENGLISH
    # Most callers (integrations, scripts) send no Accept-Language: no header, no parse.
    asked = "HTTP_ACCEPT_LANGUAGE" in request.environ and request.accept_languages
    chosen = asked.best_match(LANGUAGES) if asked else None
    g.language = str(chosen or default)
    headers.add(request.environ, [("Content-Language", g.language), ("Vary", "Accept-Language")])


def stamp(response: Any) -> Any:
    """After a change: its answer names its language itself, so that the answer kept for
    an ``Idempotency-Key`` is replayed with the language it is written in."""
    response.headers.setdefault("Content-Language", language())  # a replay has its own
    return response


# The language of work done outside a request for one (the worker rendering a workbook
# asked for in Dutch): set by ``speaking``, it wins over the request's.
_speaking: ContextVar[str | None] = ContextVar("speaking", default=None)


@contextmanager
def speaking(chosen: str) -> Iterator[None]:
    """Render in ``chosen`` meanwhile, with or without a request."""
    token = _speaking.set(chosen)
    try:
        yield
    finally:
        _speaking.reset(token)


def language() -> str:
    """The language of this request's answer (negotiated on first use before a view)."""
    if (chosen := _speaking.get()) is not None:
        return chosen
    if "language" not in g:
        negotiate()
    return g.language


def render(value: Any, in_language: str | None = None) -> Any:
    """``value`` in the request's language (or ``in_language``): a ``Text`` rendered,
    anything else as it is; lists and dicts rendered item by item."""
    if isinstance(value, Text):
        return value.render(lookup(in_language or language()))
    if isinstance(value, list | tuple):
        return [render(item, in_language) for item in value]
    if isinstance(value, dict):
        return {key: render(item, in_language) for key, item in value.items()}
    return value


def in_every_language(text: Text) -> set[str]:
    """What ``text`` reads in any language: a label read back from a file (a workbook's
    sheet name) may be in whichever language the file was written in."""
    return {text.render(lookup(code)) for code in LANGUAGES}
