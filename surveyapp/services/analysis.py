"""Running the analysis of a stored campaign: its data, the library, and the earlier wave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.analytics.library import load_library
from surveyapp.analytics.report import Library, analyze
from surveyapp.datasets import load_campaign_data
from surveyapp.errors import SurveyappError
from surveyapp.models import Campaign, OrgUnit
from surveyapp.services.result_releases import release_status

PATTERNS_FILE = "patterns.yaml"
PLAYBOOK_FILE = "playbook.yaml"


def library_from(instruments_dir: Path) -> Library:
    """The pattern library and playbook kept beside the instruments."""
    archetypes, playbook = load_library(
        instruments_dir / PATTERNS_FILE, instruments_dir / PLAYBOOK_FILE
    )
    return Library(archetypes, playbook)


def previous_wave(session: Session, campaign: Campaign) -> Campaign | None:
    """The latest earlier campaign that asked exactly the same instrument versions."""
    asked = {entry.instrument_version_id for entry in campaign.instruments}
    earlier = session.scalars(
        sa.select(Campaign)
        .where(Campaign.id != campaign.id, Campaign.created_at <= campaign.created_at)
        .order_by(Campaign.created_at.desc(), Campaign.id.desc())
    )
    return next(
        (c for c in earlier if {e.instrument_version_id for e in c.instruments} == asked), None
    )


def analyze_campaign(
    session: Session,
    campaign: Campaign,
    instruments_dir: Path,
    unit: str | None = None,
    previous: Campaign | None = None,
) -> dict[str, Any]:
    """The analysis document of a campaign (optionally one unit's part of it), from its
    latest result release, which the document names (`release`)."""
    if (
        unit is not None
        and session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == unit)) is None
    ):
        raise SurveyappError(f"--unit: unknown unit code {unit!r}")
    data = load_campaign_data(session, campaign)
    earlier = load_campaign_data(session, previous) if previous is not None else None
    document = analyze(data, library_from(instruments_dir), unit=unit, previous=earlier)
    return document | {"release": release_status(session, campaign).document()}
