"""The language words are written in: briefs, evidence packs, the dashboard's words and the
services' messages.

Briefs and packs render in worker processes without a Flask app, so their words are translated
with the package's own catalogue (surveyapp/translations, the one Flask-Babel reads) and a
context variable set for the render; inside a request with no language set, the page's locale
counts; anywhere else (the CLI), English. Services word their messages with `_l`: a message
kept with its values and translated only when shown, so no service reads who is asking.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from babel.support import NullTranslations, Translations

if TYPE_CHECKING:
    from surveyapp.analytics.suppression import CountBand

LANGUAGES = ("en", "es")
_chosen: ContextVar[str | None] = ContextVar("brief_language", default=None)


@cache
def _catalogue(language: str) -> NullTranslations:
    """The compiled catalogue of `language` (English is the source text: no catalogue)."""
    if language == "en":
        return NullTranslations()
    return Translations.load(str(files("surveyapp").joinpath("translations")), [language])


def current_language() -> str:
    """The language set for this render, else the request's locale, else English."""
    chosen = _chosen.get()
    if chosen:
        return chosen
    from flask import has_request_context

    if has_request_context():
        from flask_babel import get_locale

        return str(get_locale() or "en")
    return "en"


@contextmanager
def writing_in(language: str) -> Iterator[None]:
    """Write every brief word inside the block in `language`."""
    token = _chosen.set(language)
    try:
        yield
    finally:
        _chosen.reset(token)


def _(message: str, **values: Any) -> str:
    """`message` in the current language, its `%(name)s` placeholders filled from `values`."""
    text = _catalogue(current_language()).gettext(message)
    return text % values if values else text


def pgettext(context: str, message: str) -> str:
    """`message` in the current language as meant in `context`: one English word can need two
    translations (an action is "terminada" when done, a job "terminado")."""
    return _catalogue(current_language()).pgettext(context, message)


def ngettext(singular: str, plural: str, count: int, **values: Any) -> str:
    """The singular or plural form for `count`, with `%(num)s` set to it."""
    text = _catalogue(current_language()).ngettext(singular, plural, count)
    return text % {"num": count, **values}


def localized(texts: dict[str, str], fallback: str = "") -> str:
    """A per-locale text of an instrument or playbook file, in the current language."""
    return texts.get(current_language()) or texts.get("en") or fallback


class LazyText:
    """A message and its values, worded in the current language each time it is shown
    (`str`, a template, a form's error list); values may be LazyText themselves."""

    __slots__ = ("message", "values")

    def __init__(self, message: str, values: dict[str, Any]) -> None:
        self.message = message
        self.values = values

    def __str__(self) -> str:
        shown = {
            key: str(value) if isinstance(value, LazyText) else value
            for key, value in self.values.items()
        }
        return _(self.message, **shown)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __eq__(self, other: object) -> bool:
        return str(self) == (str(other) if isinstance(other, LazyText | str) else other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __contains__(self, part: str) -> bool:
        return part in str(self)

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __repr__(self) -> str:
        return repr(str(self))


class LazyList(LazyText):
    """Lazy texts joined by commas when shown."""

    def __init__(self, parts: list[LazyText]) -> None:
        super().__init__(", ", {"parts": parts})

    def __str__(self) -> str:
        return ", ".join(str(part) for part in self.values["parts"])


def _l(message: str, **values: Any) -> LazyText:
    """`message` with its `%(name)s` placeholders, translated only when shown."""
    return LazyText(message, values)


def band_words(band: CountBand, capital: bool = False) -> LazyText:
    """A band of counts in words: "fewer than 5", "5 to 9" (`capital`: to open a sentence)."""
    if band.low == 0:
        if capital:
            return _l("Fewer than %(k)s", k=band.high + 1)
        return _l("fewer than %(k)s", k=band.high + 1)
    return _l("%(low)s to %(high)s", low=band.low, high=band.high)


def english(text: object) -> str:
    """`text` (a LazyText, or an error carrying one) in English whatever the reader's
    language: for the API's JSON and stored records."""
    with writing_in("en"):
        return str(text)


def N_(message: str) -> str:
    """Mark `message` for the catalogue where it is defined; `_` translates it where shown."""
    return message
