"""Action plans in the staff area: the overview of a user's units, one unit's plan, one action.

A change manager manages the plans of their units, an admin every unit's (services.actions);
anything else is answered 404, as the dashboards answer a unit out of scope.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from surveyapp.analytics.suppression import ORGANISATION_KEY
from surveyapp.briefs import sections
from surveyapp.briefs.narrative import finding_text
from surveyapp.briefs.service import campaign_meta
from surveyapp.errors import InputError
from surveyapp.extensions import db
from surveyapp.language import _, current_language, localized
from surveyapp.models import Action, Campaign, OrgUnit
from surveyapp.services import action_plans, actions
from surveyapp.services.access import (
    campaign_unit_ids,
    user_scope,
    visible_campaigns,
)
from surveyapp.services.analysis import campaign_analysis, previous_wave
from surveyapp.services.transaction import atomic
from surveyapp.staff.action_forms import (
    STATUS_LABELS,
    ActionForm,
    FromRecommendationForm,
    UpdateForm,
    status_choices,
)
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import place_problems, role_required, writes


def current_actor() -> actions.Actor:
    """The signed-in user as the action services see them: email, role and units."""
    scope = user_scope(db.session, current_user.id)
    return actions.Actor(
        current_user.email, current_user.role, None if scope is None else frozenset(scope)
    )


def today() -> date:
    """The day actions are dated by (one place, so tests can move it)."""
    return date.today()


def _analysis(campaign: Campaign) -> dict[str, Any]:
    return campaign_analysis(db.session, campaign, current_app.config["SURVEYAPP_INSTRUMENTS_DIR"])


def latest_campaign(unit: OrgUnit | None, chosen: str | None = None) -> Campaign | None:
    """The campaign `chosen` (by slug) if the user sees it, else the newest one the user
    sees that surveys `unit` (any unit, for None), a later wave of a series first: plans are
    made between waves, and a one-off check is seldom what they answer."""
    surveying = [
        c
        for c in visible_campaigns(db.session, current_user.id)
        if unit is None or unit.id in campaign_unit_ids(db.session, c)
    ]
    if chosen is not None:
        return next((c for c in surveying if c.slug == chosen), None)
    waves = [c for c in surveying if previous_wave(db.session, c) is not None]
    return (waves or surveying or [None])[0]


def _unit(code: str) -> OrgUnit:
    """The unit `code` if the user manages its plan; 404 otherwise."""
    unit = db.session.scalar(db.select(OrgUnit).where(OrgUnit.code == code))
    try:
        return actions.check_unit(current_actor(), unit)
    except actions.OutOfScope:
        abort(404)


def _action(action_id: int) -> Action:
    try:
        return actions.get_action(db.session, current_actor(), action_id)
    except actions.OutOfScope:
        abort(404)


def _fields(form: ActionForm) -> actions.ActionFields:
    return actions.ActionFields(
        title=form.title.data or "",
        owner=form.owner.data or "",
        due_on=form.due_on.data,
        finding=form.finding.data or "",
        construct=form.construct.data or None,
        owner_role=form.owner_role.data or "",
        timing=form.timing.data or "",
        status=form.status.data or "planned",
        notes=form.notes.data or "",
    )


def _action_data(action: Action) -> dict[str, Any]:
    """The action's fields as the form shows them."""
    return asdict(actions.ActionFields.of(action))


def _place(form: ActionForm, error: InputError) -> None:
    """Each problem the service found beside the field it names."""
    fields = {field.name: field for field in form}
    place_problems(form, error.problems, fields, lambda problem: problem.field)


@bp.get("/actions")
@role_required(*actions.ACTION_ROLES)
def actions_overview() -> ResponseReturnValue:
    """Every action in the user's units, the overdue ones, and units with findings but no plan."""
    actor = current_actor()
    listed = actions.unit_actions(db.session, None if actor.scope is None else set(actor.scope))
    campaign = latest_campaign(None, request.args.get("campaign"))
    without = (
        action_plans.units_without_plan(
            db.session, _analysis(campaign), None if actor.scope is None else set(actor.scope)
        )
        if campaign is not None
        else []
    )
    return render_template(
        "staff/actions/overview.html",
        actions=listed,
        overdue=actions.overdue(listed, today()),
        counts=actions.status_counts(listed),
        without=without,
        campaign=campaign,
        campaigns=visible_campaigns(db.session, current_user.id),
        labels=STATUS_LABELS,
        today=today(),
    )


def _plan_page(unit: OrgUnit, form: ActionForm, status: int = 200) -> ResponseReturnValue:
    """A unit's plan: its actions, the recommended actions not yet in it, the add form."""
    campaign = latest_campaign(unit, request.args.get("campaign"))
    recommended = _recommended(campaign, unit) if campaign is not None else []
    return render_template(
        "staff/actions/plan.html",
        unit=unit,
        actions=unit_actions(unit),
        campaign=campaign,
        campaigns=visible_campaigns(db.session, current_user.id),
        recommended=recommended,
        form=form,
        one_click=FromRecommendationForm(formdata=None),
        labels=STATUS_LABELS,
        today=today(),
    ), status


def _recommended(campaign: Campaign, unit: OrgUnit) -> list[dict[str, Any]]:
    """The recommended actions not yet in the unit's plan, worded as its dashboard words them:
    the playbook's text in the page's language, the findings written from the figures."""
    analysis = _analysis(campaign)
    group = action_plans.shown_units(analysis).get(unit.code)
    if group is None:
        return []
    taken = {a.intervention for a in unit_actions(unit)}
    return [
        {
            "intervention": r["intervention"],
            "title": localized(r["title"]),
            "action": localized(r["action"]),
            "owner": _(r["owner"]),
            "timing": _(r["timing"]),
            "why": _why(campaign, analysis, unit, r),
        }
        for r in group.get("recommendations", [])
        if r["intervention"] not in taken
    ]


def _why(
    campaign: Campaign, analysis: dict[str, Any], unit: OrgUnit, recommended: dict[str, Any]
) -> str:
    """The findings behind a recommended action, worded from the figures in the page's
    language, as the unit's dashboard words them."""
    group = action_plans.shown_units(analysis)[unit.code]
    organisation = sections.find_group(analysis, "organisation", ORGANISATION_KEY) or {}
    meta = campaign_meta(db.session, campaign, analysis, unit.name, current_language())
    return " ".join(finding_text(f, group, organisation, meta) for f in recommended["findings"])


def unit_actions(unit: OrgUnit) -> list[Action]:
    return actions.unit_actions(db.session, {unit.id})


@bp.route("/actions/units/<code>", methods=["GET", "POST"])
@writes
@role_required(*actions.ACTION_ROLES)
def action_plan(code: str) -> ResponseReturnValue:
    """One unit's action plan, and the form that adds an action by hand."""
    unit = _unit(code)
    form = ActionForm(data={"owner": current_user.email, "status": "planned"})
    form.owner.choices = actions.eligible_owners(db.session, unit)
    if request.method == "GET":
        return _plan_page(unit, form)
    if form.validate():
        try:
            with atomic():
                actions.create_action(db.session, current_actor(), unit, _fields(form), today())
        except InputError as error:
            _place(form, error)
        else:
            flash(gettext("Action added to the plan of %(unit)s.", unit=unit.name), "notice")
            return redirect(url_for("staff.action_plan", code=unit.code))
    return _plan_page(unit, form, 422)


@bp.post("/actions/units/<code>/recommended")
@writes
@role_required(*actions.ACTION_ROLES)
def action_from_recommendation(code: str) -> ResponseReturnValue:
    """One click: a recommended action into the plan, keeping its finding, owner role and
    timing; the user who clicked owns it until they reassign it."""
    unit = _unit(code)
    form = FromRecommendationForm()
    if not form.validate():
        abort(400)
    campaign = latest_campaign(unit, form.campaign.data)
    if campaign is None:
        abort(404)
    analysis = _analysis(campaign)
    found = action_plans.recommendation(analysis, unit.code, form.intervention.data)
    if found is None:
        abort(404)
    fields = action_plans.fields_from_recommendation(
        analysis,
        unit.code,
        found,
        current_user.email,
        today(),
        current_language(),
        _why(campaign, analysis, unit, found),
    )
    with atomic():
        action = actions.create_action(
            db.session,
            current_actor(),
            unit,
            fields,
            today(),
            campaign_id=campaign.id,
            intervention=found["intervention"],
        )
    flash(gettext("“%(title)s” is in the plan, owned by you.", title=action.title), "notice")
    return redirect(url_for("staff.action_detail", action_id=action.id))


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@writes
@role_required(*actions.ACTION_ROLES)
def action_detail(action_id: int) -> ResponseReturnValue:
    """One action: its fields to edit, its updates, and the form that adds one."""
    action = _action(action_id)
    form = ActionForm(data=_action_data(action))
    form.owner.choices = actions.eligible_owners(db.session, action.unit)
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                with atomic():
                    actions.update_action(
                        db.session, current_actor(), action, _fields(form), today()
                    )
            except InputError as error:
                _place(form, error)
            else:
                flash(gettext("Action saved."), "notice")
                return redirect(url_for("staff.action_detail", action_id=action.id))
        status = 422
    return _detail_page(action, form, _update_form(), status)


def _update_form() -> UpdateForm:
    form = UpdateForm()
    form.status.choices = [("", gettext("Keep the status")), *status_choices()]
    return form


def _detail_page(
    action: Action, form: ActionForm, update: UpdateForm, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "staff/actions/action.html",
        action=action,
        form=form,
        update=update,
        labels=STATUS_LABELS,
        today=today(),
    ), status


@bp.post("/actions/<int:action_id>/updates")
@writes
@role_required(*actions.ACTION_ROLES)
def action_update(action_id: int) -> ResponseReturnValue:
    """Add a dated update to an action (and move its status, when one is chosen)."""
    action = _action(action_id)
    update = _update_form()
    if update.validate():
        try:
            with atomic():
                actions.add_update(
                    db.session,
                    current_actor(),
                    action,
                    update.text.data or "",
                    today(),
                    update.status.data or None,
                )
        except InputError as error:
            update.text.errors = [p.reason for p in error.problems]
        else:
            flash(gettext("Update added."), "notice")
            return redirect(url_for("staff.action_detail", action_id=action.id))
    form = ActionForm(formdata=None, data=_action_data(action))
    form.owner.choices = actions.eligible_owners(db.session, action.unit)
    return _detail_page(action, form, update, 422)


def dashboard_actions(unit: OrgUnit | None, visible: set[int]) -> dict[str, Any]:
    """The action plan a dashboard shows: the unit's actions (None: those of every unit the
    user sees), with what the shared table needs."""
    listed = actions.unit_actions(db.session, visible if unit is None else {unit.id})
    return {"actions": listed, "labels": STATUS_LABELS, "today": today(), "unit": unit}
