"""A campaign's units in the caller's scope, each unit's results, and its PDF brief.

Results are the unit's group of the campaign's analysis document, found the way the staff
dashboard finds it (`campaign_analysis`, `sections.find_group`). A hidden group keeps only
its kind, key, `n` (null), `suppressed` and the reason: no figure, whatever the document
holds beside.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from surveyapp.analytics.suppression import HIDDEN_REASON
from surveyapp.api.access import campaign_for, require_role, unit_for
from surveyapp.api.auth import caller
from surveyapp.api.blueprint import bp
from surveyapp.api.errors import ApiError
from surveyapp.api.read_audit import BRIEF_READ, record_read
from surveyapp.briefs.sections import find_group
from surveyapp.downloads import private_download
from surveyapp.errors import SurveyappError
from surveyapp.extensions import db
from surveyapp.language import english
from surveyapp.models import Campaign, OrgUnit
from surveyapp.services.access import DASHBOARD_ROLES, visible_unit_ids
from surveyapp.services.analysis import campaign_analysis
from surveyapp.services.unit_snapshots import reporting_tree

HIDDEN_KEYS = ("kind", "key", "n", "suppressed", "reason")


def unit_group(analysis: dict[str, Any], code: str) -> dict[str, Any]:
    """The unit's group of the document; a hidden one (or one the document does not list,
    having no respondents) carries no figure."""
    group = find_group(analysis, "unit", code)
    if group is None:
        return {"kind": "unit", "key": code, "n": None, "suppressed": True, "reason": HIDDEN_REASON}
    if group["suppressed"]:
        return {key: group.get(key) for key in HIDDEN_KEYS} | {"n": None}
    return group


def _analysis(campaign: Campaign) -> dict[str, Any]:
    """The dashboard's analysis document (a finished analysis job's while still current)."""
    return campaign_analysis(db.session, campaign, current_app.config["SURVEYAPP_INSTRUMENTS_DIR"])


@bp.get("/campaigns/<slug>/units")
def list_units(slug: str) -> ResponseReturnValue:
    """The campaign's units in the caller's scope, by code, with respondents or hidden.

    `parent_code` is the parent in the campaign's reporting tree (the one its figures are cut
    in, `unit_snapshots.reporting_tree`), so a unit moved during fieldwork changes nothing
    here either. A parent outside the scope is not named (null), so a change manager learns
    nothing of units beyond theirs.
    """
    campaign = campaign_for(slug)
    visible = visible_unit_ids(db.session, caller().user_id, campaign)
    units = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.id.in_(sorted(visible))).order_by(OrgUnit.code)
    ).all()
    codes = {unit.code for unit in units}
    parents = reporting_tree(db.session, campaign).parents
    analysis = _analysis(campaign)
    entries = []
    for unit in units:
        group = unit_group(analysis, unit.code)
        entries.append(
            {
                "code": unit.code,
                "name": unit.name,
                "parent_code": parents.get(unit.code) if parents.get(unit.code) in codes else None,
                "n": group["n"],
                "suppressed": group["suppressed"],
                "reason": group.get("reason"),
            }
        )
    return jsonify(campaign=campaign.slug, min_group_size=analysis["min_group_size"], units=entries)


@bp.get("/campaigns/<slug>/units/<code>/results")
def unit_results(slug: str, code: str) -> ResponseReturnValue:
    """The unit's entry of the analysis document (its sub-units rolled up)."""
    require_role(*DASHBOARD_ROLES)
    campaign = campaign_for(slug)
    unit = unit_for(campaign, code)
    analysis = _analysis(campaign)
    return jsonify(
        campaign=campaign.slug,
        unit={"code": unit.code, "name": unit.name},
        min_group_size=analysis["min_group_size"],
        group=unit_group(analysis, unit.code),
    )


@bp.get("/campaigns/<slug>/units/<code>/brief.pdf")
def unit_brief(slug: str, code: str) -> ResponseReturnValue:
    """The unit's PDF brief, rendered now as the staff download is, and recorded."""
    from surveyapp.briefs.service import unit_brief_pdf

    require_role(*DASHBOARD_ROLES)
    campaign = campaign_for(slug)
    unit = unit_for(campaign, code)
    instruments_dir = current_app.config["SURVEYAPP_INSTRUMENTS_DIR"]
    try:
        pdf, filename = unit_brief_pdf(db.session, campaign, instruments_dir, unit.code)
    except SurveyappError as error:
        raise ApiError(409, english(error)) from None
    record_read(campaign, BRIEF_READ, 1, unit=code, format="pdf")
    return private_download(pdf, "application/pdf", filename)
