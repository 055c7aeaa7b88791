"""Texts the system writes for people, kept as a message and its values until a language
is chosen.

The domain does not know who asks, so it cannot choose between Dutch and English. It
writes ``_("No {entity} {key} here.", entity=..., key=...)`` instead: a ``Text`` that
is the English sentence wherever a plain string is expected (logs, tests, ``str()``),
and that the API layer renders again in the request's language from the catalogue
(``api.i18n``). ``_`` and ``_n`` are the keywords ``pybabel extract`` looks for
(``babel.cfg``), so every message written this way lands in the catalogue.

Values may be ``Text`` themselves (an entity's name in a sentence about it): they are
rendered in the same language; a list of values reads as its items, comma-separated.
``format`` keeps a ``Text`` lazy, so a message handed to a library that fills in its own
values (marshmallow's ``"{min}"``) stays one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# What renders a message in a language: (msgid, plural msgid or None, count) -> msgstr.
Lookup = Callable[[str, str | None, int | None], str]


def english(singular: str, plural: str | None, count: int | None) -> str:
    """The message as written in the code: its English."""
    return singular if plural is None or count == 1 else plural


class Text(str):
    """A message of the catalogue with its values; as a ``str``, its English text."""

    __slots__ = ("count", "params", "plural", "template")
    template: str
    plural: str | None
    count: int | None  # type: ignore[assignment]  # shadows str.count: the plural's number
    params: Mapping[str, Any]

    def __new__(
        cls,
        template: str,
        params: Mapping[str, Any] | None = None,
        *,
        plural: str | None = None,
        count: int | None = None,
    ) -> Text:
        values = dict(params or {})
        text = super().__new__(cls, _fill(english(template, plural, count), values, english))
        text.template, text.plural, text.count, text.params = template, plural, count, values
        return text

    def render(self, lookup: Lookup) -> str:
        """The message in the language ``lookup`` translates into."""
        return _fill(lookup(self.template, self.plural, self.count), self.params, lookup)

    def format(self, *args: object, **kwargs: object) -> Text:
        """Values filled in later (by a library that formats messages it holds)."""
        if args:
            return Text(str(self).format(*args, **kwargs))
        return Text(self.template, {**self.params, **kwargs}, plural=self.plural, count=self.count)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, dict(self.params), self.plural, self.count))

    def __copy__(self) -> Text:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Text:
        return self


def _rebuild(template: str, params: dict[str, Any], plural: str | None, count: int | None) -> Text:
    return Text(template, params, plural=plural, count=count)


class _Keep(dict[str, Any]):
    """Leaves a placeholder whose value is not known yet as it is (``{min}``)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: Mapping[str, Any], lookup: Lookup) -> str:
    if not params and "{" not in template:
        return template
    values = _Keep((name, _value(value, lookup)) for name, value in params.items())
    return template.format_map(values)


def _value(value: Any, lookup: Lookup) -> Any:
    """A value as it reads in a sentence: a ``Text`` in the same language, a list as its
    items separated by commas."""
    if isinstance(value, Text):
        return value.render(lookup)
    if isinstance(value, list | tuple):
        return ", ".join(str(_value(item, lookup)) for item in value)
    return value


def _(template: str, **params: Any) -> Text:
    """A message to translate, with its named values (``{name}`` in the template)."""
    return Text(template, params)


def _n(singular: str, plural: str, count: int, **params: Any) -> Text:
    """A message whose wording depends on a number, which ``{count}`` names."""
    return Text(singular, {"count": count, **params}, plural=plural, count=count)
