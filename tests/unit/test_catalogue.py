"""Every text the system writes reads in Dutch too: the catalogue holds each message the
code writes, translated, with the same placeholders. ``make translations`` brings the
catalogue up to date; this test names what is left to translate."""

from __future__ import annotations

from api import catalogue
from api.i18n import LANGUAGES


def test_the_catalogue_holds_every_message_the_code_writes_in_dutch():
    code = catalogue.extracted()
    assert len(code) > 100  # the extraction found the code's texts
    gaps = [
        gap
        for language in catalogue.TRANSLATED
        for gap in catalogue.gaps(language, catalogue.stored(language), code)
    ]
    assert not gaps, "\n".join(f"{g.language}: {g.msgid!r}: {g.why}" for g in gaps)


def test_the_catalogue_keeps_no_message_the_code_no_longer_writes():
    code = {m.id for m in catalogue.extracted() if m.id}
    for language in catalogue.TRANSLATED:
        stale = {m.id for m in catalogue.stored(language) if m.id} - code
        assert not stale, f"{language}: run make translations to drop {sorted(stale)}"


def test_dutch_is_a_language_of_the_catalogue():
    assert LANGUAGES == ("en", "nl")
