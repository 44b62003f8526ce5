"""The language a brief (or the dashboard built from the same words) is written in.

Briefs render in worker processes without a Flask app, so their words are translated with the
package's own catalogue (surveyapp/translations, the one Flask-Babel reads) and a context
variable set for the render; inside a request with no language set, the page's locale counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib.resources import files
from typing import Any

from babel.support import NullTranslations, Translations

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


def N_(message: str) -> str:
    """Mark `message` for the catalogue where it is defined; `_` translates it where shown."""
    return message
