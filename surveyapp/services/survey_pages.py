"""The pages a respondent walks through, and whether a campaign is taking answers now.

Pages come from each instrument's `pages` (instruments without them are cut into pages of
`PAGE_SIZE` items), in the campaign's instrument order, so one flow covers every instrument.
A campaign's plan (layout, pages, languages) depends only on its instrument versions, which
are fixed with the campaign and never change once loaded, so each process builds it once per
campaign.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from sqlalchemy.orm import Session

from surveyapp.models import Campaign
from surveyapp.models.base import utcnow
from surveyapp.models.instruments import LocalizedText
from surveyapp.services.layout import CampaignLayout, Question, campaign_layout

if TYPE_CHECKING:
    from surveyapp.services.visits import CampaignRow, Visit

PAGE_SIZE = 8
PLANS_KEPT = 64  # campaigns a process keeps plans for
SECONDS_PER_QUESTION = 9  # a Likert item on a phone; quiz items and comments take longer
Phase = Literal["not_open", "open", "closed"]


@dataclass(frozen=True, eq=False)
class SurveyPage:
    """One screen of questions, titled by its instrument and its own title."""

    instrument_title: LocalizedText
    title: LocalizedText
    questions: list[Question]


@dataclass(frozen=True)
class SurveyPlan:
    """What a campaign asks: its questions, its pages, and the languages of all its text."""

    layout: CampaignLayout
    pages: list[SurveyPage]
    locales: tuple[str, ...]
    by_level: dict[str, list[SurveyPage]] = field(default_factory=dict, compare=False, repr=False)

    def pages_for(self, level: str | None) -> list[SurveyPage]:
        """The pages someone at `level` walks through: only the questions asked of that level,
        pages left empty dropped (None: every page, for whoever is not placed yet).

        Built once per level; a page whose questions are all asked is the plan's own page
        object, so the forms made for it are shared by every level.
        """
        if level is None:
            return self.pages
        pages = self.by_level.get(level)
        if pages is None:
            pages = []
            for page in self.pages:
                asked = [question for question in page.questions if question.asked_of(level)]
                if len(asked) == len(page.questions):
                    pages.append(page)
                elif asked:
                    pages.append(SurveyPage(page.instrument_title, page.title, asked))
            self.by_level[level] = pages
        return pages


_plans: dict[tuple, SurveyPlan] = {}


def survey_plan(session: Session, campaign: Campaign | CampaignRow) -> SurveyPlan:
    """The campaign's plan, built once per process for that campaign.

    A campaign's instrument versions are fixed when it is created and a loaded version never
    changes (`instruments load` refuses new content under an old version), so the database,
    the campaign's id and its creation time name the plan without a query; the creation time
    keeps a plan from being reused for a campaign that got the same id in a new database.
    Only a process's first request for a campaign reads its instruments.
    """
    key = (str(session.get_bind().url), campaign.id, campaign.created_at)
    plan = _plans.get(key)
    if plan is None:
        loaded = session.get(Campaign, campaign.id)
        assert loaded is not None
        layout = campaign_layout(loaded)
        locales = [set(entry.instrument_version.locales) for entry in loaded.instruments]
        common = set.intersection(*locales) if locales else set()
        plan = SurveyPlan(layout, campaign_pages(loaded, layout), tuple(sorted(common)))
        if len(_plans) >= PLANS_KEPT:
            _plans.clear()
        _plans[key] = plan
    return plan


def campaign_pages(campaign: Campaign, layout: CampaignLayout) -> list[SurveyPage]:
    """Every page of the campaign in the order the respondent meets them."""
    by_column = layout.by_column
    pages: list[SurveyPage] = []
    for entry in campaign.instruments:
        version = entry.instrument_version
        slug = version.instrument.slug
        if version.pages:
            for page in version.pages:
                questions = [by_column[f"{slug}.{key}"] for key in page["items"]]
                pages.append(SurveyPage(version.title, page.get("title") or {}, questions))
        else:
            questions = [by_column[f"{slug}.{item.key}"] for item in version.items]
            pages += [
                SurveyPage(version.title, {}, questions[start : start + PAGE_SIZE])
                for start in range(0, len(questions), PAGE_SIZE)
            ]
    return pages


def estimated_minutes(pages: list[SurveyPage]) -> int:
    """The time to announce on the first page, rounded up to a whole minute."""
    questions = sum(len(page.questions) for page in pages)
    return max(1, -(-questions * SECONDS_PER_QUESTION // 60))


def respondent_level(visit: Visit) -> str | None:
    """The level a visit's questions are chosen for: the roster's for a personal link, the
    one chosen on an open link's first page; None before an open-link respondent has said."""
    if visit.invitation is not None:
        return visit.invitation.person.level
    return visit.draft.level if visit.draft is not None else None


def campaign_phase(campaign: Campaign | CampaignRow, now: datetime | None = None) -> Phase:
    """Open by hand (`status`) or by date (`opens_at`), closed by hand or by `closes_at`."""
    now = now or utcnow()
    if campaign.status == "closed" or (campaign.closes_at and now >= as_utc(campaign.closes_at)):
        return "closed"
    if campaign.status == "open" or (campaign.opens_at and now >= as_utc(campaign.opens_at)):
        return "open"
    return "not_open"


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def localized(texts: LocalizedText, locale: str) -> str:
    """The text in `locale`, else in English, else in whatever language there is."""
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()), "")


def campaign_locales(plan: SurveyPlan, offered: tuple[str, ...]) -> list[str]:
    """The app's languages that every instrument of the campaign is written in."""
    return [locale for locale in offered if locale in plan.locales]
