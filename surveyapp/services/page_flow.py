"""What a posted survey page leads to: back, pause, on, a language switch, or submission.

The view has found the visit and checked the page's form; `post_page` decides the step,
writes it (the draft's answers and page, a kiosk draft's end, or the submitted response) and
returns the outcome, which the view turns into a redirect. The caller commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from surveyapp.services import kiosk, respondents, visits
from surveyapp.services.layout import CampaignLayout
from surveyapp.services.sealing import Seal
from surveyapp.services.survey_pages import SurveyPage
from surveyapp.services.transaction import begin_writing
from surveyapp.services.visits import Visit

SWITCH = "lang:"  # a language button on a page of questions: keep what was typed, then switch
UNCHECKED = ("back", "save", "done")  # actions that keep a half-filled page as it is

Step = Literal[
    "kiosk_done", "language", "back", "paused", "next", "incomplete", "refused", "submitted"
]


@dataclass(frozen=True)
class Outcome:
    """The step a posted page took: the page (0-based) to show next, the language switched
    to, why an open link refused the submission, or the kiosk to go back to."""

    step: Step
    page: int = 0
    locale: str | None = None
    reason: str | None = None
    kiosk_code: str | None = None


def needs_check(action: str) -> bool:
    """Whether `action` goes on only with a valid page (Next and Submit do; the rest save)."""
    return not (action in UNCHECKED or action.startswith(SWITCH))


def visit_as_writer(session: Session, token: str, visit: Visit) -> Visit | None:
    """The visit read again by the transaction that writes the page (survey LATE_WRITERS).

    On SQLite the reading transaction ends, BEGIN IMMEDIATE takes the write lock, and the
    visit is checked (read again only if it changed) under it, so the lock is held for the
    writes alone and not while the page is checked. PostgreSQL locked the visit's rows when
    it first read them.
    """
    if session.get_bind().dialect.name != "sqlite":
        return visit
    session.rollback()
    begin_writing()
    if visits.unchanged(session, visit):
        return visit
    return visits.find_visit(session, token, for_update=True)


def post_page(
    session: Session,
    visit: Visit,
    pages: list[SurveyPage],
    index: int,
    answers: dict[str, Any],
    locale: str,
    action: str,
    *,
    offered: list[str],
    layout: CampaignLayout,
    seal: Seal,
    refusal: Callable[[], str | None],
) -> Outcome:
    """Save page `index`, then go back, pause, go on, or submit the whole survey.

    `refusal` says why an open link refuses this browser now (checked only on submission);
    `offered` are the languages a `lang:xx` button may switch to.
    """
    draft = visit.draft
    current = pages[index]

    def keep(page: int, at_locale: str = locale) -> None:
        respondents.save_page(session, draft, current, answers, at_locale, page)

    if action == "done" and draft.kiosk and visit.open_link is not None:
        kiosk.end_draft(session, draft.id)
        return Outcome("kiosk_done", kiosk_code=visit.open_link.code)
    if action.startswith(SWITCH):
        asked = action.removeprefix(SWITCH)
        switched = asked if asked in offered else locale
        keep(draft.page, switched)
        return Outcome("language", index, locale=switched)
    if action == "back":
        keep(draft.page)
        return Outcome("back", max(index - 1, 0))
    if action == "save" and not draft.kiosk:
        keep(draft.page)
        return Outcome("paused")
    if index + 1 < len(pages):
        keep(index + 1)
        return Outcome("next", index + 1)
    final = {
        column: value
        for column, value in draft.answers.items()
        if column not in {question.column for question in current.questions}
    } | answers
    missing = respondents.first_unanswered_page(pages, final)
    if missing is not None:
        keep(draft.page)
        return Outcome("incomplete", missing)
    refused = refusal()
    if refused is not None:
        keep(draft.page)
        return Outcome("refused", reason=refused)
    kiosk_code = visit.open_link.code if visit.kiosk and visit.open_link else None
    stored = respondents.submit(session, visit, layout, final, locale, seal)
    return Outcome("submitted", kiosk_code=kiosk_code if stored else None)
