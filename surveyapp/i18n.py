"""Interface language: Flask-Babel's locale for a request, and names the catalogues translate.

The respondent flow decides the language itself (link, draft, then the browser) and puts it
in `g.locale`; a signed-in staff user's pages follow the language kept on their account;
every other page (and a staff user who chose none) follows the browser's Accept-Language.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, g, request
from flask_babel import format_datetime, get_locale, lazy_gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user

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
# Staff roles as the header and the admin pages name them.
ROLE_NAMES: dict[str, LazyString] = {
    "admin": lazy_gettext("admin"),
    "change_manager": lazy_gettext("change manager"),
    "hr": lazy_gettext("HR"),
}
# Campaign states as the staff pages name them.
STATUS_NAMES: dict[str, LazyString] = {
    "draft": lazy_gettext("draft"),
    "open": lazy_gettext("open"),
    "closed": lazy_gettext("closed"),
}
# A campaign's phase and privacy mode as the admin pages name them.
PHASE_NAMES: dict[str, LazyString] = {
    "not_open": lazy_gettext("not open"),
    "open": lazy_gettext("open"),
    "closed": lazy_gettext("closed"),
}
PRIVACY_NAMES: dict[str, LazyString] = {
    "anonymous": lazy_gettext("anonymous"),
    "confidential": lazy_gettext("confidential"),
}
JOB_KIND_NAMES: dict[str, LazyString] = {
    "briefs": lazy_gettext("briefs"),
    "analysis": lazy_gettext("analysis"),
}
JOB_STATE_NAMES: dict[str, LazyString] = {
    "queued": lazy_gettext("queued"),
    "running": lazy_gettext("running"),
    "done": lazy_gettext("done"),
    "failed": lazy_gettext("failed"),
}
MAIL_STATE_NAMES: dict[str, LazyString] = {
    "pending": lazy_gettext("Pending"),
    "sending": lazy_gettext("Sending"),
    "sent": lazy_gettext("Sent"),
    "failed": lazy_gettext("Failed"),
}
LANGUAGE_NAMES = {"en": "English", "es": "Español"}  # each in its own language, never translated


def short_moment(value: datetime) -> str:
    """A stored UTC time as the staff tables print it: `2026-03-01 09:30`, `1 mar 2026, 09:30`."""
    if str(get_locale()) == "en":
        return value.strftime("%Y-%m-%d %H:%M")
    return format_datetime(value, "d MMM y, HH:mm")


def select_locale() -> str:
    """The locale Flask-Babel renders this request in."""
    chosen = g.get("locale")
    if chosen:
        return chosen
    if request.blueprint == "staff" and current_user.is_authenticated:
        language = getattr(current_user, "language", None)
        if language:
            return language
    offered = current_app.config["SURVEYAPP_LOCALES"]
    return request.accept_languages.best_match(offered) or offered[0]
