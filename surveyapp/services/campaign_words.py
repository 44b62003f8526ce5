"""A campaign's name and description in each language, typed as `LOCALE=TEXT` lines.

`Campaign.name` is the name every language falls back to; `names` gives a language its own,
and `descriptions` the few words under the survey's welcome, per language. A description has
no fallback: a Spanish page showing the English one would be the wrong words again. The CLI's
repeated options and the admin form's text boxes are read by the same `parse_words`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Protocol

from surveyapp.errors import InputError, Problem
from surveyapp.language import _l

NAME_LIMIT = 200
DESCRIPTION_LIMIT = 1000


class Worded(Protocol):
    """A campaign as a model row or a respondent page's record."""

    name: str
    names: Mapping[str, str]
    descriptions: Mapping[str, str]


def parse_words(
    lines: Iterable[str], field: str, offered: Iterable[str], limit: int
) -> dict[str, str]:
    """`LOCALE=TEXT` lines (blank ones skipped) as locale → text, or an error naming each
    bad line: no `=`, a language the app does not offer, a language twice, empty or too long
    text, or a control character."""
    languages = list(offered)
    words: dict[str, str] = {}
    problems: list[Problem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        locale, equals, text = (part.strip() for part in line.partition("="))
        where = _l("line %(number)s", number=number)
        if not equals:
            reason = _l(
                "write LOCALE=TEXT, e.g. %(example)s=..., not %(line)r",
                example=languages[-1],
                line=line.strip(),
            )
        elif locale not in languages:
            reason = _l(
                "%(locale)r is not one of the app's languages (%(allowed)s)",
                locale=locale,
                allowed=", ".join(languages),
            )
        elif locale in words:
            reason = _l("%(locale)s is given twice", locale=locale)
        elif not text or len(text) > limit:
            reason = _l("the text must have 1 to %(limit)s characters", limit=limit)
        elif any(unicodedata.category(char) == "Cc" for char in text):
            reason = _l("use printable characters only, on one line")
        else:
            words[locale] = text
            continue
        problems.append(
            Problem(field=field, reason=_l("%(where)s: %(reason)s", where=where, reason=reason))
        )
    if problems:
        raise InputError(problems)
    return words


def parse_names_and_descriptions(
    names: Iterable[str], descriptions: Iterable[str], offered: Iterable[str]
) -> dict[str, dict[str, str]]:
    """Both kinds of lines as `CampaignSpec`/`CampaignChanges` take them (`names`,
    `descriptions`); the problems of both reported at once, by those fields."""
    languages = list(offered)
    parsed: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for key, lines, limit in (
        ("names", names, NAME_LIMIT),
        ("descriptions", descriptions, DESCRIPTION_LIMIT),
    ):
        try:
            parsed[key] = parse_words(lines, key, languages, limit)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return parsed


def words_lines(words: Mapping[str, str]) -> str:
    """The mapping as the form shows it again: one `LOCALE=TEXT` line each."""
    return "\n".join(f"{locale}={text}" for locale, text in sorted(words.items()))


def name_in(campaign: Worded, locale: str) -> str:
    """The campaign's name in `locale`, else the name every language falls back to."""
    return (campaign.names or {}).get(locale) or campaign.name


def description_in(campaign: Worded, locale: str) -> str | None:
    """The campaign's description in `locale`, or None when it has none in that language."""
    return (campaign.descriptions or {}).get(locale)
