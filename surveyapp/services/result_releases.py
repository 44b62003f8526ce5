"""Result releases: a campaign's figures change only from one release to the next (issue 16).

Every output (dashboard, briefs, exports, API, `analyze`) reads the responses of the latest
release only (`datasets.load_campaign_data`), so two reads between releases are identical
however many answers came in. A new release adds the responses in no release yet by the
step rule (`analytics.release_rule`: every published group and figure count moves by 0 or
>= k) and is audited stacked on every release before it (`analytics.release_audit`);
responses the rule leaves out wait for a later release. A release fixes the unit tree it is
cut in (`unit_snapshots.extend_unit_tree`): later releases and every output read that tree,
so moving a unit re-cuts nothing already published. The first release of a campaign takes
everything there is, once there are k responses (at close: whatever there is), since
nothing earlier can be differenced with it.

Releases are made at close, by `surveyapp results release`, after an import, and by the
daily `surveyapp drafts purge` (at most once every RELEASE_INTERVAL); not in a respondent's
request, where the audit would cost seconds. An open campaign has at most MAX_OPEN_RELEASES
releases, and its closing release is one more: each release is audited with all before it,
and that audit's cost grows steeply with their number (at 100,000 respondents, about 3 s
against 2 earlier releases and 24 s against 5 on this 2-core machine under load, 190 s
against 10). A release records its number and day only (`ResultRelease`), and each
response the number of the release that first published it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.analytics.release_audit import Release, next_release
from surveyapp.analytics.release_rule import figure_masks, quality_masks
from surveyapp.analytics.suppression import CountBand, count_band
from surveyapp.language import LazyText, _, _l, band_words, english
from surveyapp.models import Campaign, Response, ResultRelease
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.datasets import latest_release, load_campaign_data, withheld_groups
from surveyapp.services.holding import waiting_count
from surveyapp.services.unit_snapshots import extend_unit_tree

UPDATE_CHUNK = 500  # response ids per UPDATE when a release marks its responses
MAX_OPEN_RELEASES = 4  # releases of an open campaign (weekly: a month); closing is one more
RELEASE_INTERVAL = timedelta(days=7)  # between two releases the daily job makes


def released_counts(session: Session, campaign_ids: list[int]) -> dict[int, int]:
    """Respondents in each campaign's latest release (the count pages and the API may show
    once it reaches k), in one query; answers in no release are not counted."""
    rows = session.execute(
        sa.select(Response.campaign_id, sa.func.count())
        .where(Response.campaign_id.in_(campaign_ids), Response.result_release.is_not(None))
        .group_by(Response.campaign_id)
    ).all()
    return {campaign_id: count for campaign_id, count in rows}


def _count(session: Session, campaign_id: int, published: bool) -> int:
    column = Response.result_release
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(Response)
        .where(
            Response.campaign_id == campaign_id,
            column.is_not(None) if published else column.is_(None),
        )
    )


@dataclass(frozen=True)
class ReleaseStatus:
    """Which release the figures are, and what is not in them.

    `covered`: responses in the figures; `unreleased`: responses stored but in no release
    (they would change some group by fewer than k); `held`: anonymous answers still in the
    holding table. `closed`: the campaign is closed, so what is unreleased now stays out.
    `min_size`: the campaign's k, the width of the band the waiting answers are shown in.
    """

    number: int | None
    released_on: date | None
    covered: int
    unreleased: int
    held: int
    closed: bool
    min_size: int

    @property
    def waiting(self) -> int:
        """Answers given that no figure covers."""
        return self.unreleased + self.held

    @property
    def held_band(self) -> CountBand | None:
        """The held answers as pages show them: in a band of k, since the count grows by one
        with each answer (`count_band`)."""
        return count_band(self.held, self.min_size)

    def document(self) -> dict[str, Any]:
        """The release as the analysis document (JSON, API) and the pages describe it: the
        answers waiting as their band's bounds (`answers_waiting_band`, worded by each reader
        in its language) and, as the API has always carried them, in English words."""
        band = count_band(self.waiting, self.min_size)
        return {
            "number": self.number,
            "released_on": None if self.released_on is None else self.released_on.isoformat(),
            "answers_waiting": None if band is None else english(band_words(band)),
            "answers_waiting_band": None if band is None else band.bounds(),
            "closed": self.closed,
        }


def release_status(session: Session, campaign: Campaign) -> ReleaseStatus:
    """The campaign's latest release and the answers outside it."""
    latest = latest_release(session, campaign.id)
    return ReleaseStatus(
        number=latest.number if latest else None,
        released_on=latest.released_on if latest else None,
        covered=_count(session, campaign.id, True),
        unreleased=_count(session, campaign.id, False),
        held=waiting_count(session, campaign.id),
        closed=campaign_phase(campaign) == "closed",
        min_size=campaign.min_group_size,
    )


@dataclass(frozen=True)
class Published:
    """One campaign's attempt at a release: its number (None: nothing released), how many
    responses it added, how many still wait, and the campaign's k."""

    slug: str
    number: int | None
    added: int
    waiting: int
    min_size: int
    not_now: LazyText | None = None  # why no release was attempted (`_not_now`)

    @property
    def description(self) -> str:
        """One line on what the attempt published and what still waits, and why, in the
        current language (the CLI's English, the page's language in a flash)."""
        if self.not_now is not None:
            return _("%(slug)s: no new result release (%(why)s)", slug=self.slug, why=self.not_now)
        if self.number is not None:
            made = _(
                "result release %(number)s published with %(added)s more response(s)",
                number=self.number,
                added=self.added,
            )
        else:
            made = _("no new result release")
        if not self.waiting:
            return f"{self.slug}: {made}"
        return _(
            "%(slug)s: %(made)s; %(waiting)s response(s) wait: a release changes every group "
            "and figure by none or at least %(k)s people",
            slug=self.slug,
            made=made,
            waiting=self.waiting,
            k=self.min_size,
        )


def _chunks(ids: list[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    for start in range(0, len(ids), UPDATE_CHUNK):
        yield ids[start : start + UPDATE_CHUNK]


def _history(
    session: Session, campaign_id: int, respondents: pd.DataFrame
) -> tuple[list[Release], np.ndarray]:
    """The campaign's releases, oldest first, each with every response it covers (a release
    contains those before it), and per respondent whether any release covers it."""
    numbers = pd.Series(
        {
            str(rid): number
            for rid, number in session.execute(
                sa.select(Response.id, Response.result_release).where(
                    Response.campaign_id == campaign_id, Response.result_release.is_not(None)
                )
            )
        },
        dtype="float64",
    ).reindex(respondents.index)
    releases = session.scalars(
        sa.select(ResultRelease)
        .where(ResultRelease.campaign_id == campaign_id)
        .order_by(ResultRelease.number)
    )
    history = [
        Release(respondents[(numbers <= r.number).to_numpy()], withheld_groups(r)) for r in releases
    ]
    return history, numbers.notna().to_numpy()


def _not_now(session: Session, campaign: Campaign, today: date, scheduled: bool) -> LazyText | None:
    """Why an open campaign gets no release now, whatever waits (None: it may get one)."""
    if campaign_phase(campaign) == "closed":
        return None
    days = session.scalars(
        sa.select(ResultRelease.released_on)
        .where(ResultRelease.campaign_id == campaign.id)
        .order_by(ResultRelease.number)
    ).all()
    if len(days) >= MAX_OPEN_RELEASES:
        return _l(
            "an open campaign has at most %(max)s; the next comes at close", max=MAX_OPEN_RELEASES
        )
    if scheduled and days and today - days[-1] < RELEASE_INTERVAL:
        return _l(
            "the daily job makes one a week; the last was on %(day)s", day=days[-1].isoformat()
        )
    return None


def publish(
    session: Session, campaign: Campaign, today: date | None = None, scheduled: bool = False
) -> Published:
    """Make the campaign's next release, in the caller's transaction, if the rule allows one
    (`scheduled`: the daily job asks, which makes one a week at most)."""
    today = today or date.today()
    not_now = _not_now(session, campaign, today, scheduled)
    if not_now is not None:
        waiting = _count(session, campaign.id, False)
        return Published(campaign.slug, None, 0, waiting, campaign.min_group_size, not_now)
    data = load_campaign_data(session, campaign, unreleased=True)
    history, mask = _history(session, campaign.id, data.respondents)
    waiting = data.respondents[~mask]
    k = campaign.min_group_size
    if waiting.empty:
        return Published(campaign.slug, None, 0, 0, k)
    step = next_release(
        history,
        waiting,
        figure_masks(data)[~mask],
        data.unit_parents,
        k,
        final=campaign_phase(campaign) == "closed",
        overall=quality_masks(data)[~mask],
    )
    added = int(np.count_nonzero(step.added))
    if not added:
        return Published(campaign.slug, None, 0, len(waiting), k)
    number = len(history) + 1
    extend_unit_tree(session, campaign)  # the tree this release was cut in, kept for later
    session.add(
        ResultRelease(
            campaign_id=campaign.id,
            number=number,
            released_on=today,
            withheld=sorted([kind, key] for kind, key in step.withheld),
        )
    )
    for chunk in _chunks([uuid.UUID(rid) for rid in waiting.index[step.added]]):
        session.execute(
            sa.update(Response).where(Response.id.in_(chunk)).values(result_release=number)
        )
    session.flush()
    return Published(campaign.slug, number, added, len(waiting) - added, k)


def publish_waiting(
    session: Session, slug: str | None = None, scheduled: bool = False
) -> list[Published]:
    """Try a release of every campaign with responses in no release (or of the one named);
    `scheduled`: the daily job asks."""
    from surveyapp.services.campaign_state import campaign_by_slug

    if slug is not None:
        return [publish(session, campaign_by_slug(session, slug), scheduled=scheduled)]
    waiting = sa.select(Response.campaign_id).where(Response.result_release.is_(None))
    campaigns = session.scalars(
        sa.select(Campaign).where(Campaign.id.in_(waiting.distinct())).order_by(Campaign.slug)
    )
    return [publish(session, campaign, scheduled=scheduled) for campaign in campaigns]
