"""A campaign's open links in the staff area: the links, their QR codes and A4 posters.

A change manager sees the links of the units in their scope only; any other link, like any
other unit, answers 404, so its code (which opens the survey) never leaks. Making and retiring
links is an admin's, as the CLI's `surveyapp openlinks` is: a link lets anyone answer for a
unit, which is a decision about the campaign's sample rather than about one unit's follow-up.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from surveyapp.downloads import private_download
from surveyapp.errors import InputError, SurveyappError
from surveyapp.extensions import db
from surveyapp.models import Campaign, OpenLink
from surveyapp.posters import poster_of, qr_png, qr_svg, render_poster
from surveyapp.services.access import DASHBOARD_ROLES, campaign_in_scope, visible_unit_ids
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.open_links import (
    campaign_open_links,
    make_open_links,
    open_link_by_code,
    open_link_url,
    retire_open_link,
)
from surveyapp.services.transaction import atomic
from surveyapp.staff.admin.forms import OpenLinksForm, RetireForm, unit_codes
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import ADMIN_ROLES, role_required, writes


@bp.get("/campaigns/<slug>/open-links")
@role_required(*DASHBOARD_ROLES)
def open_links(slug: str) -> ResponseReturnValue:
    """Each open link in the user's scope: its address, its kiosk address and its downloads."""
    campaign = campaign_in_scope(db.session, current_user.id, slug)
    return _page(campaign, OpenLinksForm(formdata=None))


def _page(campaign: Campaign, form: OpenLinksForm, status: int = 200) -> ResponseReturnValue:
    """The page, with the admin's form to make links as it was sent when it was refused."""
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
    retired = [
        link
        for link in campaign_open_links(db.session, campaign, retired=True)
        if link.unit_id in visible
    ]
    return render_template(
        "staff/open_links.html",
        campaign=campaign,
        rows=rows,
        retired=retired,
        phase=campaign_phase(campaign),
        form=form,
        retire_form=RetireForm(formdata=None),
        admin=current_user.role in ADMIN_ROLES,
    ), status


@bp.post("/campaigns/<slug>/open-links")
@writes
@role_required(*ADMIN_ROLES)
def open_links_create(slug: str) -> ResponseReturnValue:
    """Give the units typed (or every unit surveyed) a live open link; existing ones stay."""
    campaign = campaign_in_scope(db.session, current_user.id, slug)
    form = OpenLinksForm()
    if not form.validate_on_submit():
        return _page(campaign, form, 422)
    codes = unit_codes(form.units.data)
    try:
        with atomic():
            made = make_open_links(
                db.session, campaign, codes, bool(form.all_units.data), current_user.email
            )
    except InputError as error:
        form.units.errors = [problem.reason for problem in error.problems]
        return _page(campaign, form, 422)
    except SurveyappError as error:
        flash(gettext("No open links made: %(error)s.", error=error), "error")
        return redirect(url_for("staff.open_links", slug=slug))
    kept = len(made.links) - made.new
    flash(
        gettext(
            "%(made)s open link(s) made; %(kept)s unit(s) already had one.",
            made=made.new,
            kept=kept,
        ),
        "notice",
    )
    return redirect(url_for("staff.open_links", slug=slug))


@bp.post("/campaigns/<slug>/open-links/<code>/retire")
@writes
@role_required(*ADMIN_ROLES)
def open_link_retire(slug: str, code: str) -> ResponseReturnValue:
    """Stop the link taking answers, once the admin has confirmed."""
    campaign, link = _link_in_scope(slug, code)
    if not RetireForm().validate_on_submit():
        flash(
            gettext(
                "Not retired: tick the box to retire the link of %(unit)s.", unit=link.unit.code
            ),
            "error",
        )
        return redirect(url_for("staff.open_links", slug=slug))
    with atomic():
        retire_open_link(db.session, link, current_user.email)
    flash(
        gettext(
            "The open link of %(unit)s is retired: it no longer takes answers.",
            unit=link.unit.code,
        ),
        "notice",
    )
    return redirect(url_for("staff.open_links", slug=campaign.slug))


@bp.get("/campaigns/<slug>/open-links/<code>.svg")
@role_required(*DASHBOARD_ROLES)
def open_link_svg(slug: str, code: str) -> ResponseReturnValue:
    """The link's QR code as an SVG file."""
    campaign, link = _link_in_scope(slug, code, live=True)
    svg = qr_svg(open_link_url(current_app.config["SURVEYAPP_BASE_URL"], link))
    return private_download(svg, "image/svg+xml", f"{campaign.slug}-{link.unit.code}-qr.svg")


@bp.get("/campaigns/<slug>/open-links/<code>.png")
@role_required(*DASHBOARD_ROLES)
def open_link_png(slug: str, code: str) -> ResponseReturnValue:
    """The link's QR code as a PNG file."""
    campaign, link = _link_in_scope(slug, code, live=True)
    png = qr_png(open_link_url(current_app.config["SURVEYAPP_BASE_URL"], link))
    return private_download(png, "image/png", f"{campaign.slug}-{link.unit.code}-qr.png")


@bp.get("/campaigns/<slug>/open-links/<code>/poster.pdf")
@role_required(*DASHBOARD_ROLES)
def open_link_poster(slug: str, code: str) -> ResponseReturnValue:
    """The link's printable A4 poster."""
    campaign, link = _link_in_scope(slug, code, live=True)
    pdf = render_poster(poster_of(db.session, link, current_app.config["SURVEYAPP_BASE_URL"]))
    return private_download(pdf, "application/pdf", f"{campaign.slug}-{link.unit.code}-poster.pdf")


def _link_in_scope(slug: str, code: str, live: bool = False) -> tuple[Campaign, OpenLink]:
    """The campaign's open link `code` if its unit is in the user's scope (and, with `live`,
    it is not retired: no new poster for a dead link); 404 otherwise."""
    campaign = campaign_in_scope(db.session, current_user.id, slug)
    link = open_link_by_code(db.session, campaign, code)
    if link is None or link.unit_id not in visible_unit_ids(db.session, current_user.id, campaign):
        abort(404)
    if live and link.retired_at is not None:
        abort(404)
    return campaign, link
