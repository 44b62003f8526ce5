"""Participation of a campaign: invited, started and submitted per unit in the reader's scope."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from surveyapp.extensions import db
from surveyapp.services.access import DASHBOARD_ROLES, campaign_in_scope, visible_unit_ids
from surveyapp.services.participation import participation_by_unit
from surveyapp.staff.blueprint import bp
from surveyapp.staff.paging import paging
from surveyapp.staff.shared import role_required

PARTICIPATION_PAGE = 100  # units a page: a campaign may survey 100,000


@bp.get("/campaigns/<slug>/participation")
@role_required(*DASHBOARD_ROLES)
def campaign_participation(slug: str) -> ResponseReturnValue:
    """Invited, started and submitted per unit in the user's scope; low rates flagged."""
    campaign = campaign_in_scope(db.session, current_user.id, slug)
    participation = participation_by_unit(
        db.session, campaign, visible_unit_ids(db.session, current_user.id, campaign)
    )
    shown = paging(len(participation.order), PARTICIPATION_PAGE)
    return render_template(
        "staff/admin/participation.html",
        campaign=campaign,
        rows=participation.rows(db.session, shown.offset, shown.size),
        shown=shown,
        total=participation.total,
    )
