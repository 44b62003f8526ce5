"""The staff home and the change manager's dashboard, unit by unit, within the user's scope."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import (
    format_datetime,
    format_number,
    format_percent,
    get_locale,
    lazy_gettext,
)
from flask_login import current_user, login_required

from surveyapp.extensions import db
from surveyapp.i18n import (
    JOB_KIND_NAMES,
    JOB_STATE_NAMES,
    MAIL_STATE_NAMES,
    PHASE_NAMES,
    PRIVACY_NAMES,
    ROLE_NAMES,
    STATUS_NAMES,
    short_moment,
)
from surveyapp.models import Campaign, OrgUnit
from surveyapp.services.access import (
    DASHBOARD_ROLES,
    EXPORT_ROLES,
    campaign_in_scope,
    landing_unit,
    unit_in_scope,
    visible_campaigns,
    visible_unit_ids,
)
from surveyapp.services.analysis import campaign_analysis
from surveyapp.services.consent import asks_literacy, per_person_results
from surveyapp.services.result_releases import released_counts
from surveyapp.staff.actions import dashboard_actions
from surveyapp.staff.blueprint import bp
from surveyapp.staff.dashboard import dashboard, svg_chart
from surveyapp.staff.forms import LogoutForm
from surveyapp.staff.language import language_form
from surveyapp.staff.shared import role_required

EXPORT_LINKS = (  # format, link text, query options
    ("xlsx", lazy_gettext("Excel (XLSX)"), {}),
    ("csv", lazy_gettext("CSV for Excel"), {"bom": 1}),  # a byte-order mark: Excel reads accents
    ("csv", "CSV", {}),
    ("sav", "SPSS", {}),
)


@bp.context_processor
def staff_helpers() -> dict:
    """What every staff page may use: the logout and language forms, the page's language,
    the chart drawer, the role lists."""
    return {
        "logout_form": LogoutForm(formdata=None),
        "language_form": language_form(),
        "page_locale": str(get_locale()),
        "role_names": ROLE_NAMES,
        "status_names": STATUS_NAMES,
        "phase_names": PHASE_NAMES,
        "privacy_names": PRIVACY_NAMES,
        "format_percent": format_percent,
        "short_moment": short_moment,
        "job_kinds": JOB_KIND_NAMES,
        "job_states": JOB_STATE_NAMES,
        "mail_states": MAIL_STATE_NAMES,
        "format_number": format_number,
        "format_datetime": format_datetime,
        "svg_chart": svg_chart,
        "dashboard_roles": DASHBOARD_ROLES,
        "export_roles": EXPORT_ROLES,
    }


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    """The campaigns that survey at least one of the user's units, with the respondents of
    their latest result release."""
    campaigns = visible_campaigns(db.session, current_user.id)
    counts = released_counts(db.session, [c.id for c in campaigns])
    rows = [
        {
            "campaign": c,
            "respondents": counts.get(c.id, 0),
            "literacy": asks_literacy(c),
            "per_person": per_person_results(c),
        }
        for c in campaigns
    ]
    return render_template("staff/home.html", rows=rows, export_formats=EXPORT_LINKS)


@bp.get("/campaigns/<slug>/")
@role_required(*DASHBOARD_ROLES)
def campaign_dashboard(slug: str) -> ResponseReturnValue:
    """Admins see the organisation; a change manager is taken to their top unit."""
    campaign = campaign_in_scope(db.session, current_user.id, slug)
    if current_user.role != "admin":
        unit = landing_unit(db.session, current_user.id, campaign)
        return redirect(url_for("staff.unit_dashboard", slug=slug, code=unit.code))
    return _render(campaign, None)


@bp.get("/campaigns/<slug>/units/<code>")
@role_required(*DASHBOARD_ROLES)
def unit_dashboard(slug: str, code: str) -> ResponseReturnValue:
    """One unit's dashboard; a unit outside the user's scope does not exist (404)."""
    campaign = campaign_in_scope(db.session, current_user.id, slug)
    return _render(campaign, unit_in_scope(db.session, current_user.id, campaign, code))


def _render(campaign: Campaign, unit: OrgUnit | None) -> ResponseReturnValue:
    """The dashboard page of `unit` (None: the organisation), from one analysis per request."""
    visible = visible_unit_ids(db.session, current_user.id, campaign)
    analysis = campaign_analysis(
        db.session, campaign, current_app.config["SURVEYAPP_INSTRUMENTS_DIR"]
    )
    page = dashboard(db.session, campaign, analysis, unit, visible)
    return render_template(
        "staff/dashboard.html",
        campaign=campaign,
        page=page,
        plan=dashboard_actions(unit, visible),
        literacy=asks_literacy(campaign),
    )
