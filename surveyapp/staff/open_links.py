"""A campaign's open links in the staff area: the links, their QR codes and A4 posters.

A change manager sees the links of the units in their scope only; any other link, like any
other unit, answers 404, so its code (which opens the survey) never leaks.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from surveyapp.extensions import db
from surveyapp.models import Campaign, OpenLink
from surveyapp.services.open_links import campaign_open_links, open_link_url
from surveyapp.services.qr_posters import poster_of, qr_png, qr_svg, render_poster
from surveyapp.staff.blueprint import bp
from surveyapp.staff.scope import (
    DASHBOARD_ROLES,
    campaign_in_scope,
    role_required,
    visible_unit_ids,
)


@bp.get("/campaigns/<slug>/open-links")
@role_required(*DASHBOARD_ROLES)
def open_links(slug: str) -> ResponseReturnValue:
    """Each open link in the user's scope: its address, its kiosk address and its downloads."""
    campaign = campaign_in_scope(db.session, current_user.id, slug)
    visible = visible_unit_ids(db.session, current_user.id, campaign)
    base_url = current_app.config["SURVEYAPP_BASE_URL"]
    rows = [
        {
            "link": link,
            "url": open_link_url(base_url, link),
            "kiosk_url": open_link_url(base_url, link, kiosk=True),
        }
        for link in campaign_open_links(db.session, campaign)
        if link.unit_id in visible
    ]
    return render_template("staff/open_links.html", campaign=campaign, rows=rows)


@bp.get("/campaigns/<slug>/open-links/<code>.svg")
@role_required(*DASHBOARD_ROLES)
def open_link_svg(slug: str, code: str) -> ResponseReturnValue:
    """The link's QR code as an SVG file."""
    campaign, link = _link_in_scope(slug, code)
    svg = qr_svg(open_link_url(current_app.config["SURVEYAPP_BASE_URL"], link))
    return _attachment(svg, "image/svg+xml", f"{campaign.slug}-{link.unit.code}-qr.svg")


@bp.get("/campaigns/<slug>/open-links/<code>.png")
@role_required(*DASHBOARD_ROLES)
def open_link_png(slug: str, code: str) -> ResponseReturnValue:
    """The link's QR code as a PNG file."""
    campaign, link = _link_in_scope(slug, code)
    png = qr_png(open_link_url(current_app.config["SURVEYAPP_BASE_URL"], link))
    return _attachment(png, "image/png", f"{campaign.slug}-{link.unit.code}-qr.png")


@bp.get("/campaigns/<slug>/open-links/<code>/poster.pdf")
@role_required(*DASHBOARD_ROLES)
def open_link_poster(slug: str, code: str) -> ResponseReturnValue:
    """The link's printable A4 poster."""
    campaign, link = _link_in_scope(slug, code)
    pdf = render_poster(poster_of(db.session, link, current_app.config["SURVEYAPP_BASE_URL"]))
    return _attachment(pdf, "application/pdf", f"{campaign.slug}-{link.unit.code}-poster.pdf")


def _link_in_scope(slug: str, code: str) -> tuple[Campaign, OpenLink]:
    """The campaign's open link `code` if its unit is in the user's scope; 404 otherwise."""
    campaign = campaign_in_scope(db.session, current_user.id, slug)
    link = db.session.scalar(
        sa.select(OpenLink).where(OpenLink.campaign_id == campaign.id, OpenLink.code == code)
    )
    if link is None or link.unit_id not in visible_unit_ids(db.session, current_user.id, campaign):
        abort(404)
    return campaign, link


def _attachment(data: bytes, mimetype: str, filename: str) -> ResponseReturnValue:
    """A download (kept out of caches, as every staff response: the code opens the survey)."""
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response
