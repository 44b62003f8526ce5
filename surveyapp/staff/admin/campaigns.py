"""Admin pages for campaigns: create, edit, open and close, and invitations.

A file of personal links is a set of keys to the survey, so every such download is recorded
in the audit trail, in the transaction that made it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from surveyapp.downloads import private_download
from surveyapp.errors import InputError, SurveyappError
from surveyapp.extensions import db
from surveyapp.files import links_csv
from surveyapp.i18n import LEVEL_NAMES
from surveyapp.models import Campaign, Instrument, InstrumentVersion
from surveyapp.services.access import (
    campaign_unit_ids,
)
from surveyapp.services.audit import INVITATION_LINKS, INVITATIONS_ISSUED, record_export
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.campaign_words import words_lines
from surveyapp.services.campaigns import (
    CampaignChanges,
    CampaignSpec,
    close_campaign,
    create_campaign,
    invitation_links,
    issue_invitations,
    open_campaign,
    settings_fixed,
    update_campaign,
)
from surveyapp.services.consent import creation_warnings
from surveyapp.services.holding import scrub
from surveyapp.services.participation import (
    Counts,
    invitation_counts,
    roster_size,
)
from surveyapp.services.sealing import Seal
from surveyapp.services.survey_pages import instrument_lengths, level_lengths, survey_plan
from surveyapp.services.tokens import PersonalLinks
from surveyapp.services.transaction import atomic
from surveyapp.staff.admin.forms import (
    ActionForm,
    CampaignEditForm,
    CampaignForm,
    CloseForm,
    LinksForm,
    unit_codes,
)
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import (
    ADMIN_ROLES,
    campaign_or_404,
    place_problems,
    role_required,
    writes,
)

PROBLEM_FIELDS = {"opens": "opens_at", "closes": "closes_at"}  # form field → problem field


def _fill_choices(form: CampaignForm) -> None:
    """Offer every loaded instrument version (units are typed by code: there may be 100,000)."""
    versions = db.session.execute(
        sa.select(Instrument.slug, InstrumentVersion.version, InstrumentVersion.title)
        .join(InstrumentVersion.instrument)
        .order_by(Instrument.slug, InstrumentVersion.version.desc())
    ).all()
    form.instruments.choices = [
        SelectChoice(f"{slug}@{version}", f"{title.get('en') or slug} ({slug}, version {version})")
        for slug, version, title in versions
    ]


def _fields(form: CampaignEditForm) -> dict:
    """The form's fields by the names the campaign services give their problems' fields."""
    return {PROBLEM_FIELDS.get(field.name, field.name): field for field in form}


def _day(value: datetime | None) -> date | None:
    """The UTC day of a stored moment, as the date fields show it."""
    return value.date() if value else None


def _moment(typed: date | None, stored: datetime | None = None) -> datetime | None:
    """A typed day as 00:00 UTC; the stored moment itself when the day typed is its own."""
    if typed is None:
        return None
    if stored is not None and _day(stored) == typed:
        return stored
    return datetime.combine(typed, time(), UTC)


@bp.get("/admin/campaigns")
@role_required(*ADMIN_ROLES)
def admin_campaigns() -> ResponseReturnValue:
    """Every campaign, newest first, with where it stands."""
    campaigns = db.session.scalars(sa.select(Campaign).order_by(Campaign.created_at.desc()))
    rows = [{"campaign": c, "phase": campaign_phase(c)} for c in campaigns]
    return render_template("staff/admin/campaigns.html", rows=rows)


@bp.route("/admin/campaigns/new", methods=["GET", "POST"])
@writes
@role_required(*ADMIN_ROLES)
def admin_campaign_new() -> ResponseReturnValue:
    """Create a campaign (a draft) from loaded instrument versions."""
    form = CampaignForm()
    _fill_choices(form)
    if form.validate_on_submit():
        spec = CampaignSpec(
            slug=form.slug.data,
            name=form.name.data,
            instruments=list(form.instruments.data),
            unit_codes=unit_codes(form.units.data),
            all_units=form.all_units.data,
            mode=form.mode.data,
            min_group_size=form.min_group_size.data,
            min_comment_group_size=form.min_comment_group_size.data,
            opens_at=_moment(form.opens.data),
            closes_at=_moment(form.closes.data),
        )
        try:
            spec = replace(spec, **form.words(current_app.config["SURVEYAPP_LOCALES"]))
            with atomic():
                created = create_campaign(db.session, spec)
        except InputError as error:
            place_problems(form, error.problems, _fields(form), lambda problem: problem.field)
        else:
            flash(gettext("Campaign %(slug)s created as a draft.", slug=spec.slug), "notice")
            for warning in creation_warnings(created):
                flash(gettext("Note: %(warning)s.", warning=warning), "warning")
            return redirect(url_for("staff.admin_campaign", slug=spec.slug))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/admin/campaign_form.html",
        form=form,
        campaign=None,
        lengths=instrument_lengths(db.session),
        level_names=LEVEL_NAMES,
    ), status


@bp.get("/admin/campaigns/<slug>")
@role_required(*ADMIN_ROLES)
def admin_campaign(slug: str) -> ResponseReturnValue:
    """One campaign: its settings, the open and close buttons, its invitations."""
    return _campaign_page(campaign_or_404(slug))


def _campaign_page(
    campaign: Campaign, close_form: CloseForm | None = None, status: int = 200
) -> ResponseReturnValue:
    """The campaign's page, with the close form as submitted when it was refused."""
    counts = (
        invitation_counts(db.session, campaign, campaign_unit_ids(db.session, campaign)) or Counts()
    )
    return render_template(
        "staff/admin/campaign.html",
        campaign=campaign,
        phase=campaign_phase(campaign),
        fixed=settings_fixed(campaign),
        counts=counts,
        roster=roster_size(db.session, campaign),
        action_form=ActionForm(formdata=None),
        close_form=close_form or CloseForm(formdata=None),
        links_form=LinksForm(formdata=None),
        lengths=level_lengths(survey_plan(db.session, campaign)),
        level_names=LEVEL_NAMES,
    ), status


@bp.route("/admin/campaigns/<slug>/edit", methods=["GET", "POST"])
@writes
@role_required(*ADMIN_ROLES)
def admin_campaign_edit(slug: str) -> ResponseReturnValue:
    """Change name, dates and units; privacy mode and group sizes only until it opens."""
    campaign = campaign_or_404(slug)
    form = CampaignEditForm(
        data={
            "name": campaign.name,
            "names": words_lines(campaign.names),
            "descriptions": words_lines(campaign.descriptions),
            "units": ", ".join(sorted(unit.code for unit in campaign.units)),
            "mode": campaign.privacy_mode,
            "min_group_size": campaign.min_group_size,
            "min_comment_group_size": campaign.min_comment_group_size,
            "opens": _day(campaign.opens_at),
            "closes": _day(campaign.closes_at),
        }
    )
    if form.validate_on_submit():
        changes = CampaignChanges(
            name=form.name.data,
            unit_codes=unit_codes(form.units.data),
            # a field the page did not send (it shows fixed settings as text) keeps its value
            mode=form.mode.data if form.mode.raw_data else campaign.privacy_mode,
            min_group_size=(
                form.min_group_size.data
                if form.min_group_size.raw_data
                else campaign.min_group_size
            ),
            min_comment_group_size=(
                form.min_comment_group_size.data
                if form.min_comment_group_size.raw_data
                else campaign.min_comment_group_size
            ),
            opens_at=_moment(form.opens.data, campaign.opens_at),
            closes_at=_moment(form.closes.data, campaign.closes_at),
        )
        try:
            changes = replace(changes, **form.words(current_app.config["SURVEYAPP_LOCALES"]))
            with atomic():
                update_campaign(db.session, campaign, changes)
        except InputError as error:
            place_problems(form, error.problems, _fields(form), lambda problem: problem.field)
        else:
            flash(gettext("Campaign %(slug)s saved.", slug=slug), "notice")
            return redirect(url_for("staff.admin_campaign", slug=slug))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/admin/campaign_form.html",
        form=form,
        campaign=campaign,
        fixed=settings_fixed(campaign),
        phase=campaign_phase(campaign),
    ), status


@bp.post("/admin/campaigns/<slug>/open")
@writes
@role_required(*ADMIN_ROLES)
def admin_campaign_open(slug: str) -> ResponseReturnValue:
    """Open the campaign now; from here its privacy settings are fixed."""
    campaign = campaign_or_404(slug)
    if ActionForm().validate_on_submit():
        try:
            with atomic():
                open_campaign(db.session, campaign)
        except SurveyappError as error:
            flash(gettext("Not opened: %(error)s.", error=error), "error")
        else:
            flash(gettext("Campaign %(slug)s is open.", slug=slug), "notice")
    return redirect(url_for("staff.admin_campaign", slug=slug))


@bp.post("/admin/campaigns/<slug>/close")
@writes
@role_required(*ADMIN_ROLES)
def admin_campaign_close(slug: str) -> ResponseReturnValue:
    """Close the campaign now, once the admin has confirmed; unsubmitted drafts go."""
    campaign = campaign_or_404(slug)
    form = CloseForm()
    if not form.validate_on_submit():
        return _campaign_page(campaign, close_form=form, status=422)
    try:
        with atomic():
            closed = close_campaign(db.session, campaign, Seal.held_responses(current_app.config))
    except SurveyappError as error:
        flash(gettext("Not closed: %(error)s.", error=error), "error")
    else:
        scrub(db.session)
        flash(
            gettext(
                "Campaign %(slug)s is closed; %(drafts)s unsubmitted draft(s) deleted, "
                "%(released)s held answer(s) released. %(results)s.",
                slug=slug,
                drafts=closed.drafts_deleted,
                released=closed.answers_released,
                results=closed.results.description,
            ),
            "notice",
        )
    return redirect(url_for("staff.admin_campaign", slug=slug))


@bp.post("/admin/campaigns/<slug>/invitations")
@writes
@role_required(*ADMIN_ROLES)
def admin_invitations_issue(slug: str) -> ResponseReturnValue:
    """Invite everyone in the campaign's units who has no link yet; answer with their links."""
    campaign = campaign_or_404(slug)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("staff.admin_campaign", slug=slug))
    links = PersonalLinks.from_config(current_app.config)
    try:
        with atomic():
            issued = issue_invitations(db.session, campaign, links)
            if issued.links:
                record_export(
                    db.session,
                    actor=current_user.email,
                    action=INVITATIONS_ISSUED,
                    campaign=campaign,
                    detail={"already_invited": issued.already_invited},
                    row_count=len(issued.links),
                )
            body = links_csv(issued.links).encode("utf-8")
    except SurveyappError as error:
        flash(gettext("No invitations issued: %(error)s.", error=error), "error")
        return redirect(url_for("staff.admin_campaign", slug=slug))
    if not issued.links:
        flash(
            gettext(
                "No one new to invite: %(count)s people already have a link (download all "
                "personal links to get them again).",
                count=issued.already_invited,
            ),
            "notice",
        )
        return redirect(url_for("staff.admin_campaign", slug=slug))
    return private_download(body, "text/csv", f"{slug}-new-invitations.csv")


@bp.post("/admin/campaigns/<slug>/links")
@writes
@role_required(*ADMIN_ROLES)
def admin_invitation_links(slug: str) -> ResponseReturnValue:
    """Every personal link again (or those not yet submitted), e.g. for a reminder."""
    campaign = campaign_or_404(slug)
    form = LinksForm()
    if not form.validate_on_submit():
        return redirect(url_for("staff.admin_campaign", slug=slug))
    links = PersonalLinks.from_config(current_app.config)
    unsubmitted = bool(form.unsubmitted.data)
    with atomic():
        handed = invitation_links(db.session, campaign, links, unsubmitted_only=unsubmitted)
        rows = handed.links
        if rows:
            record_export(
                db.session,
                actor=current_user.email,
                action=INVITATION_LINKS,
                campaign=campaign,
                detail={"unsubmitted_only": unsubmitted, "withheld_started": handed.withheld},
                row_count=len(rows),
            )
    if not rows:
        flash(
            gettext(
                "There are no personal links to download: issue invitations first (%(count)s "
                "withheld: people who have started keep their answers to themselves).",
                count=handed.withheld,
            ),
            "notice",
        )
        return redirect(url_for("staff.admin_campaign", slug=slug))
    kind = "unsubmitted-links" if unsubmitted else "links"
    return private_download(links_csv(rows).encode("utf-8"), "text/csv", f"{slug}-{kind}.csv")
