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


def test_every_kind_of_stored_thing_has_a_name_to_translate():
    """A message about a thing names its kind ("No project … here"): each kind a repository
    stores has its name in the catalogue, not only its key."""
    import repositories.unit_of_work  # noqa: F401  (imports every repository)
    from domain.errors import ENTITIES
    from repositories.base import TableRepository

    def kinds(cls):
        for sub in cls.__subclasses__():
            yield from ([sub.entity_type] if "entity_type" in vars(sub) else [])
            yield from kinds(sub)

    stored = set(kinds(TableRepository))
    assert {"project", "agreement", "commitment"} <= stored
    assert stored - set(ENTITIES) == set()
