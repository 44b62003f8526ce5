"""The audit trail for admins: every export and every API read of per-person data, newest
first, filtered by action and campaign, a page at a time."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request
from flask.typing import ResponseReturnValue

from surveyapp.extensions import db
from surveyapp.models import AuditEvent, Campaign
from surveyapp.staff.blueprint import bp
from surveyapp.staff.paging import paging
from surveyapp.staff.shared import role_required

AUDIT_ROLES = ("admin",)
PAGE_SIZE = 50


@bp.get("/audit")
@role_required(*AUDIT_ROLES)
def audit_trail() -> ResponseReturnValue:
    """Who exported or read what, when, and how many rows; a filter that matches nothing
    shows an empty page rather than an error."""
    actions = list(
        db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )
    campaigns = db.session.execute(
        sa.select(Campaign.id, Campaign.slug, Campaign.name).order_by(Campaign.slug)
    ).all()
    action = request.args.get("action", "")
    slug = request.args.get("campaign", "")
    filters = []
    if action:
        filters.append(AuditEvent.action == action)
    if slug:
        campaign_id = next((c.id for c in campaigns if c.slug == slug), None)
        filters.append(sa.false() if campaign_id is None else AuditEvent.campaign_id == campaign_id)
    total = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(*filters))
    shown = paging(total, PAGE_SIZE)
    events = db.session.execute(
        sa.select(AuditEvent, Campaign.slug)
        .outerjoin(Campaign, AuditEvent.campaign_id == Campaign.id)
        .where(*filters)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset(shown.offset)
    ).all()
    return render_template(
        "staff/audit.html",
        events=events,
        actions=actions,
        campaigns=campaigns,
        chosen={"action": action, "campaign": slug},
        page=shown.page,
        pages=shown.pages,
        total=total,
    )
