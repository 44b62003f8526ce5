"""Interface language: Flask-Babel's locale for a request, and names the catalogues translate.

The respondent flow decides the language itself (link, draft, then the browser) and puts it
in `g.locale`; every other page follows the browser's Accept-Language.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

LEVEL_NAMES: dict[str, LazyString] = {
    "frontline": lazy_gettext("Frontline staff"),
    "manager": lazy_gettext("Manager or team lead"),
    "senior_leader": lazy_gettext("Senior leader"),
}
# The functions the first migration seeds; functions admins add keep the name they were given.
FUNCTION_NAMES: dict[str, LazyString] = {
    "finance": lazy_gettext("Finance"),
    "operations": lazy_gettext("Operations"),
    "legal": lazy_gettext("Legal"),
    "technology": lazy_gettext("Technology"),
    "risk": lazy_gettext("Risk"),
    "hr": lazy_gettext("Human resources"),
    "sales": lazy_gettext("Sales"),
    "customer-service": lazy_gettext("Customer service"),
}
LANGUAGE_NAMES = {"en": "English", "es": "Español"}  # each in its own language, never translated


def select_locale() -> str:
    """The locale Flask-Babel renders this request in."""
    chosen = g.get("locale")
    if chosen:
        return chosen
    offered = current_app.config["SURVEYAPP_LOCALES"]
    return request.accept_languages.best_match(offered) or offered[0]
