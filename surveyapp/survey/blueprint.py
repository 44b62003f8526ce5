"""The survey blueprint object and what every respondent request shares."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request, url_for
from flask_babel import format_date, get_locale, lazy_gettext
from werkzeug.wrappers import Response

from surveyapp.i18n import LANGUAGE_NAMES
from surveyapp.services.campaign_words import description_in, name_in
from surveyapp.services.transaction import begin_writing, read_without_transaction
from surveyapp.survey.forms import error_entries

STATE_TITLES = {
    "unknown": lazy_gettext("Link not found"),
    "not_open": lazy_gettext("This survey is not open yet"),
    "closed": lazy_gettext("This survey has closed"),
    "retired": lazy_gettext("This link is no longer in use"),
    "submitted": lazy_gettext("Answers received"),
    "expired": lazy_gettext("Your saved answers have expired"),
    "nothing_asked": lazy_gettext("No questions for your role"),
    "staff_browser": lazy_gettext("Signed in as staff"),
    "device_limit": lazy_gettext("Already answered from this device"),
}

bp = Blueprint("survey", __name__, template_folder="templates")


# POSTs whose view checks the posted page first and then takes the write lock itself: the
# survey's pages, where checking costs more than writing (page_flow.visit_as_writer); and the
# resume mail, which writes nothing and must not hold the lock through an SMTP conversation.
LATE_WRITERS = frozenset({"survey.page", "survey.send_link"})


@bp.before_request
def writes_take_the_lock_first() -> None:
    """Every respondent POST writes (a draft or a response), so it begins as a writer; the
    respondent's GETs only read."""
    if request.method == "POST" and request.endpoint not in LATE_WRITERS:
        begin_writing()
    elif request.method in ("GET", "HEAD"):
        read_without_transaction()


@bp.after_request
def never_cached(response: Response) -> Response:
    """Nothing a respondent saw may come back from a cache, e.g. on a shared kiosk's Back."""
    response.headers["Cache-Control"] = "no-store"
    return response


def language_url(locale: str) -> str:
    """This page again in another language (the flow's one-shot flags dropped)."""
    args = {k: v for k, v in request.args.items() if k not in ("lang", "done", "check")}
    return url_for(request.endpoint or "", **(request.view_args or {}), **args, lang=locale)


@bp.context_processor
def respondent_context() -> dict[str, Any]:
    """What every respondent template may use: the language switch and state titles."""
    return {
        "page_locale": str(get_locale()),
        "languages": g.get("languages", []),
        "language_names": LANGUAGE_NAMES,
        "language_url": language_url,
        "titles": STATE_TITLES,
        "format_date": format_date,
        "error_entries": error_entries,
        "campaign_name": lambda campaign: name_in(campaign, str(get_locale())),
        "campaign_description": lambda campaign: description_in(campaign, str(get_locale())),
    }
