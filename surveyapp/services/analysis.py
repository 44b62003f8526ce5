"""Running the analysis of a stored campaign: its data, the library, and the earlier wave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import Session

from surveyapp.analytics.library import load_library
from surveyapp.analytics.report import Library, analyze
from surveyapp.errors import SurveyappError
from surveyapp.models import Campaign, Job, OrgUnit
from surveyapp.services.datasets import latest_release, load_campaign_data
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


def release_number(session: Session, campaign: Campaign) -> int | None:
    """The number of the campaign's latest result release, the one every output reads."""
    latest = latest_release(session, campaign.id)
    return None if latest is None else latest.number


def cached_analysis(session: Session, campaign: Campaign, previous: Campaign | None) -> dict | None:
    """The document of the newest finished analysis job, if it read the latest release."""
    job = session.scalars(
        sa.select(Job)
        .where(Job.campaign_id == campaign.id, Job.kind == "analysis", Job.status == "done")
        .order_by(Job.id.desc())
        .limit(1)
    ).first()
    if job is None or job.result is None:
        return None
    fresh = "release" in job.result and job.result["release"] == release_number(session, campaign)
    same_wave = job.result.get("previous") == (previous.slug if previous else None)
    return job.result["document"] if fresh and same_wave else None


def campaign_analysis(session: Session, campaign: Campaign, instruments_dir: Path) -> dict:
    """The campaign's analysis document: a finished analysis job's if it read the latest
    result release, else computed now (at most once per request)."""
    cache = g.setdefault("staff_analyses", {})
    if campaign.id not in cache:
        previous = previous_wave(session, campaign)
        cache[campaign.id] = cached_analysis(session, campaign, previous) or analyze_campaign(
            session, campaign, instruments_dir, previous=previous
        )
    return cache[campaign.id]
