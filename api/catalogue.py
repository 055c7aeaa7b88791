"""Keeping the catalogue in step with the code: ``make translations``.

Extraction reads every ``_("…")`` and ``_n("…", "…", n)`` in ``domain/`` and ``api/``
(``babel.cfg``; the same as ``pybabel extract -F babel.cfg -k _ -k _n:1,2
--no-default-keywords``) and merges them into each language's ``.po``: new messages
arrive untranslated, messages the code no longer writes are dropped. The ``.po`` files
name no source lines, so moving code changes nothing in them and helpers working side
by side do not collide there. What is still to be translated is listed, and
``tests/unit/test_catalogue.py`` fails until it is done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from api.i18n import DOMAIN, ENGLISH, LANGUAGES, catalogue_path

ROOT = Path(__file__).parent.parent
MAPPING = ROOT / "babel.cfg"
KEYWORDS = {"_": None, "_n": (1, 2)}
TRANSLATED = tuple(code for code in LANGUAGES if code != ENGLISH)
HEADER = """\
# The platform's texts in this language; the English is the code's own.
# Brought up to date with the code by `make translations`; write each msgstr by hand."""
_PLACEHOLDER = re.compile(r"\{(\w+)[^{}]*\}")


def extracted() -> Catalog:
    """Every message the code writes, where it writes it."""
    with MAPPING.open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    catalogue = Catalog(project="od-platform", domain=DOMAIN)
    for filename, line, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalogue.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return catalogue


def stored(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


@dataclass(frozen=True)
class Gap:
    """A message that does not read right yet in a language."""

    language: str
    msgid: str
    why: str


def gaps(language: str, catalogue: Catalog, code: Catalog) -> list[Gap]:
    """Messages the code writes that ``catalogue`` lacks, leaves untranslated or fuzzy,
    or translates with other placeholders than the English has."""
    found = []
    for message in code:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        held = catalogue.get(message.id, message.context)
        if held is None:
            found.append(Gap(language, key, "not in the catalogue: run make translations"))
            continue
        strings = held.string if isinstance(held.string, tuple | list) else (held.string,)
        if held.fuzzy or not all(strings):
            found.append(Gap(language, key, "not translated"))
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        wanted = {name for msgid in ids for name in _PLACEHOLDER.findall(msgid or "")}
        for string in strings:
            if set(_PLACEHOLDER.findall(string or "")) != wanted:
                found.append(Gap(language, key, f"placeholders differ: {string!r}"))
    return found


def update() -> list[Gap]:
    """Extract, merge into every language; what is left to translate."""
    code = extracted()
    left = []
    for language in TRANSLATED:
        path = catalogue_path(language)
        if path.exists():
            catalogue = stored(language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue = Catalog(
                locale=language,
                domain=DOMAIN,
                project="od-platform",
                header_comment=HEADER,
                fuzzy=False,
            )
        code.creation_date = catalogue.creation_date  # unchanged unless the texts are
        catalogue.update(code, no_fuzzy_matching=True)
        catalogue.obsolete.clear()  # a message the code no longer writes is gone
        with path.open("wb") as po:
            write_po(po, catalogue, width=100, no_location=True, sort_output=True)
        left.extend(gaps(language, stored(language), code))
    return left
