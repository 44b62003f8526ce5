"""A campaign found by its slug, and where it stands: not open yet, open, or closed.

Pages, mail, releases and the CLI all ask these two questions, so they live below every
other campaign service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.errors import SurveyappError
from surveyapp.models import Campaign
from surveyapp.models.base import utcnow

Phase = Literal["not_open", "open", "closed"]


class Dated(Protocol):
    """What the phase is read from: a Campaign, or the survey's lighter CampaignRow."""

    status: str
    opens_at: datetime | None
    closes_at: datetime | None


def campaign_by_slug(session: Session, slug: str) -> Campaign:
    """The campaign named `slug`, or an error that says so."""
    campaign = session.scalar(sa.select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        raise SurveyappError(f"no campaign {slug!r}")
    return campaign


def campaign_phase(campaign: Dated, now: datetime | None = None) -> Phase:
    """Open by hand (`status`) or by date (`opens_at`), closed by hand or by `closes_at`."""
    now = now or utcnow()
    if campaign.status == "closed" or (campaign.closes_at and now >= campaign.closes_at):
        return "closed"
    if campaign.status == "open" or (campaign.opens_at and now >= campaign.opens_at):
        return "open"
    return "not_open"
