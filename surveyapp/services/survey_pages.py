"""The pages a respondent walks through, and whether a campaign is taking answers now.

Pages come from each instrument's `pages` (instruments without them are cut into pages of
`PAGE_SIZE` items), in the campaign's instrument order, so one flow covers every instrument.
A campaign's plan (layout, pages, languages) depends only on its instrument versions, which
are fixed with the campaign and never change once loaded, so each process builds it once per
campaign.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.catalog.levels import asks
from surveyapp.models import LEVELS, Campaign, InstrumentVersion
from surveyapp.models.instruments import LocalizedText
from surveyapp.services.layout import CampaignLayout, Question, campaign_layout

if TYPE_CHECKING:
    from surveyapp.services.visits import CampaignRow, Visit

PAGE_SIZE = 8
PLANS_KEPT = 64  # campaigns a process keeps plans for
# Seconds a question takes on a phone, by type: reading a statement and tapping a point; a
# quiz question's options take reading; a comment is optional and most people skip it or
# write a line. Measured against the walk-through (114 questions, about 16 minutes).
SECONDS_PER_QUESTION = {"likert": 8, "single": 10, "multi": 12, "knowledge": 15, "text": 30}


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


def minutes_for(types: Iterable[str]) -> int:
    """The time questions of these types take, rounded up to a whole minute."""
    return max(1, -(-sum(SECONDS_PER_QUESTION[kind] for kind in types) // 60))


def estimated_minutes(pages: list[SurveyPage]) -> int:
    """The time the questions of `pages` take: what the first page, the invitation and the
    poster announce, so it follows what is really asked."""
    return minutes_for(question.item.type for page in pages for question in page.questions)


@dataclass(frozen=True)
class LevelLength:
    """How long a campaign is for one level: its questions and the minutes they take."""

    level: str
    questions: int
    minutes: int


def level_lengths(plan: SurveyPlan) -> list[LevelLength]:
    """The campaign's length for each level, in LEVELS order (levels asked nothing included)."""
    lengths = []
    for level in LEVELS:
        pages = plan.pages_for(level)
        count = sum(len(page.questions) for page in pages)
        lengths.append(LevelLength(level, count, estimated_minutes(pages) if count else 0))
    return lengths


def instrument_lengths(session: Session) -> dict[str, list[LevelLength]]:
    """Each loaded instrument version's length per level, by `slug@version`, for the
    campaign form: a campaign's length for a level is the sum over its instruments."""
    lengths: dict[str, list[LevelLength]] = {}
    for version in session.scalars(sa.select(InstrumentVersion)):
        key = f"{version.instrument.slug}@{version.version}"
        lengths[key] = []
        for level in LEVELS:
            kinds = [item.type for item in version.items if asks(item.levels, level)]
            lengths[key].append(LevelLength(level, len(kinds), minutes_for(kinds) if kinds else 0))
    return lengths


def respondent_level(visit: Visit) -> str | None:
    """The level a visit's questions are chosen for: the roster's for a personal link, the
    one chosen on an open link's first page; None before an open-link respondent has said."""
    if visit.invitation is not None:
        return visit.invitation.person.level
    return visit.draft.level if visit.draft is not None else None


def localized(texts: LocalizedText, locale: str) -> str:
    """The text in `locale`, else in English, else in whatever language there is."""
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()), "")


def campaign_locales(plan: SurveyPlan, offered: tuple[str, ...]) -> list[str]:
    """The app's languages that every instrument of the campaign is written in."""
    return [locale for locale in offered if locale in plan.locales]
