"""Action plans through the API: read them, and (admins, change managers) create and update.

The token acts as its user: the scope is the staff area's (services.actions), so a change
manager's token reaches only their units' plans and anything else answers 404. Every write
is audited with the token's user marked `(api)`, as the staff pages audit theirs. Writes are
authenticated by bearer token, never by cookie, so a cross-site page cannot forge one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import jsonify, request
from flask.typing import ResponseReturnValue

from surveyapp.api.access import CODE
from surveyapp.api.auth import caller
from surveyapp.api.blueprint import bp
from surveyapp.api.errors import ApiError
from surveyapp.errors import InputError
from surveyapp.extensions import db
from surveyapp.language import english
from surveyapp.models import Action, Campaign, OrgUnit
from surveyapp.services import actions
from surveyapp.services.access import user_scope
from surveyapp.services.transaction import atomic, begin_writing

TEXT_FIELDS = ("title", "finding", "owner", "owner_role", "timing", "status", "notes")
FIELDS = (*TEXT_FIELDS, "due_on", "construct")


def api_actor() -> actions.Actor:
    """The token's user as the action services see them; other roles are refused (404)."""
    who = caller()
    if who.role not in actions.ACTION_ROLES:
        raise ApiError(404)
    scope = user_scope(db.session, who.user_id)
    return actions.Actor(who.actor, who.role, None if scope is None else frozenset(scope))


def action_json(action: Action) -> dict[str, Any]:
    """One action as the API answers it (the `Action` schema)."""
    campaign = db.session.get(Campaign, action.campaign_id) if action.campaign_id else None
    return {
        "id": action.id,
        "unit": action.unit.code,
        "campaign": campaign.slug if campaign else None,
        "intervention": action.intervention,
        "title": action.title,
        "finding": action.finding,
        "construct": action.construct,
        "owner": action.owner.email,
        "owner_role": action.owner_role,
        "timing": action.timing,
        "due_on": action.due_on.isoformat(),
        "status": action.status,
        "notes": action.notes,
        "started_on": action.started_on.isoformat(),
        "done_on": action.done_on.isoformat() if action.done_on else None,
        "updates": [
            {
                "written_on": u.written_at.date().isoformat(),
                "author": u.author,
                "status": u.status,
                "text": u.text,
            }
            for u in action.updates
        ],
    }


def _body() -> dict[str, Any]:
    """The request's JSON object; 400 for anything else."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "Send a JSON object (Content-Type: application/json).")
    return body


def _fields(body: dict[str, Any], start: actions.ActionFields) -> actions.ActionFields:
    """`start` with the body's fields applied; 400 naming a field of the wrong type."""
    unknown = sorted(set(body) - set(FIELDS) - {"unit"})
    if unknown:
        raise ApiError(400, f"unknown field {unknown[0]!r}; allowed: {', '.join(FIELDS)}")
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in body:
            if not isinstance(body[name], str):
                raise ApiError(400, f"{name} must be a string")
            values[name] = body[name]
    if "construct" in body:
        if body["construct"] is not None and not isinstance(body["construct"], str):
            raise ApiError(400, "construct must be a string or null")
        values["construct"] = body["construct"]
    if "due_on" in body:
        try:
            values["due_on"] = date.fromisoformat(body["due_on"])
        except (TypeError, ValueError):
            raise ApiError(400, "due_on must be a date, YYYY-MM-DD") from None
    return replace(start, **values)


def _write() -> None:
    """End the authentication's read, so the write below starts as a writer (SQLite)."""
    db.session.commit()
    begin_writing()


def _refused(error: InputError) -> ApiError:
    return ApiError(
        422, "; ".join(f"{p.field}: {english(p.reason)}" for p in error.problems), "invalid"
    )


def _action(actor: actions.Actor, action_id: int) -> Action:
    try:
        return actions.get_action(db.session, actor, action_id)
    except actions.OutOfScope:
        raise ApiError(404) from None


@bp.get("/actions")
def list_actions() -> ResponseReturnValue:
    """The actions of the caller's units (or of `?unit=CODE`, within scope), by due date."""
    actor = api_actor()
    units = None if actor.scope is None else set(actor.scope)
    code = request.args.get("unit")
    if code is not None:
        unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code))
        if not CODE.fullmatch(code) or unit is None or not actor.manages(unit.id):
            raise ApiError(404)
        units = {unit.id}
    return jsonify(actions=[action_json(a) for a in actions.unit_actions(db.session, units)])


@bp.get("/actions/<int:action_id>")
def get_action(action_id: int) -> ResponseReturnValue:
    """One action of the caller's units, with its dated updates."""
    return jsonify(action_json(_action(api_actor(), action_id)))


@bp.post("/actions")
def create_action() -> ResponseReturnValue:
    """Add an action to a unit's plan: `unit`, `title`, `owner` and `due_on` are required."""
    actor = api_actor()
    body = _body()
    code = body.get("unit")
    unit = (
        db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code))
        if isinstance(code, str) and CODE.fullmatch(code)
        else None
    )
    if unit is None or not actor.manages(unit.id):
        raise ApiError(404)
    fields = _fields(body, actions.ActionFields(title="", owner="", due_on=None))
    _write()
    try:
        with atomic():
            unit = db.session.get(OrgUnit, unit.id)
            action = actions.create_action(db.session, actor, unit, fields, date.today())
    except InputError as error:
        raise _refused(error) from None
    return jsonify(action_json(action)), 201


@bp.patch("/actions/<int:action_id>")
def update_action(action_id: int) -> ResponseReturnValue:
    """Change the fields the body names; the others keep their values."""
    actor = api_actor()
    body = _body()
    if "unit" in body:
        raise ApiError(400, "an action cannot move to another unit; write a new one there")
    _write()
    action = _action(actor, action_id)
    fields = _fields(body, actions.ActionFields.of(action))
    try:
        with atomic():
            actions.update_action(db.session, actor, action, fields, date.today())
    except InputError as error:
        raise _refused(error) from None
    return jsonify(action_json(_action(actor, action_id)))


@bp.post("/actions/<int:action_id>/updates")
def add_update(action_id: int) -> ResponseReturnValue:
    """A dated note on an action (`text`), optionally moving it to `status`."""
    actor = api_actor()
    body = _body()
    text, status = body.get("text", ""), body.get("status")
    if not isinstance(text, str) or not (status is None or isinstance(status, str)):
        raise ApiError(400, "text must be a string and status a string or null")
    _write()
    action = _action(actor, action_id)
    try:
        with atomic():
            actions.add_update(db.session, actor, action, text, date.today(), status)
    except InputError as error:
        raise _refused(error) from None
    return jsonify(action_json(_action(actor, action_id))), 201
