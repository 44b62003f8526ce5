"""GET /campaigns and /campaigns/<slug>: the campaigns that survey any of the caller's units."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from surveyapp.api.access import campaign_for
from surveyapp.api.auth import caller
from surveyapp.api.blueprint import bp
from surveyapp.extensions import db
from surveyapp.models import Campaign
from surveyapp.services.access import visible_campaigns
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.result_releases import released_counts


def _moment(value: datetime | None) -> str | None:
    """An ISO 8601 time in UTC (SQLite gives naive datetimes back; they are UTC)."""
    return None if value is None else value.isoformat()


def respondent_counts(campaigns: list[Campaign]) -> dict[int, int]:
    """Respondents per campaign id in its latest result release, in one query."""
    return released_counts(db.session, [c.id for c in campaigns])


def campaign_document(campaign: Campaign, respondents: int) -> dict[str, Any]:
    """A campaign as the API shows it; a respondent count under the minimum group size is
    withheld, as on the staff home page."""
    return {
        "slug": campaign.slug,
        "name": campaign.name,
        "privacy_mode": campaign.privacy_mode,
        "per_person_results": campaign.privacy_mode == "confidential",
        "status": campaign.status,
        "phase": campaign_phase(campaign),
        "opens_at": _moment(campaign.opens_at),
        "closes_at": _moment(campaign.closes_at),
        "min_group_size": campaign.min_group_size,
        "instruments": [entry.instrument_version.instrument.slug for entry in campaign.instruments],
        "respondents": respondents if respondents >= campaign.min_group_size else None,
    }


@bp.get("/campaigns")
def list_campaigns() -> ResponseReturnValue:
    """Every campaign with at least one unit in the caller's scope, newest first."""
    campaigns = visible_campaigns(db.session, caller().user_id)
    counts = respondent_counts(campaigns)
    return jsonify(campaigns=[campaign_document(c, counts.get(c.id, 0)) for c in campaigns])


@bp.get("/campaigns/<slug>")
def get_campaign(slug: str) -> ResponseReturnValue:
    """One campaign in the caller's scope."""
    campaign = campaign_for(slug)
    return jsonify(campaign_document(campaign, respondent_counts([campaign]).get(campaign.id, 0)))
