"""Action plans: who may change a unit's plan, and every change to one, audited.

The pages, the API and the demo call these functions alike. The rule is the dashboard's:
a change manager manages the plans of their units (and the units below them), an admin
manages every unit's; anyone else, and anything out of scope, is refused as if it did not
exist. The caller works out the scope (`Actor`), so this module needs no request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.errors import InputError, Problem, SurveyappError
from surveyapp.language import LazyText, _l
from surveyapp.models import ACTION_STATUSES, Action, ActionUpdate, AuditEvent, OrgUnit, User
from surveyapp.models.base import utcnow
from surveyapp.services.csv_input import not_one_of
from surveyapp.services.org import unit_subtree_ids

ACTION_ROLES = ("admin", "change_manager")
OPEN_STATUSES = ("planned", "in_progress")
TEXT_LIMITS = {"title": 200, "finding": 1000, "owner_role": 60, "timing": 60, "notes": 10_000}
UPDATE_LIMIT = 2000
MAX_ID = 2**31 - 1  # the largest id either database stores; a larger one names nothing


def at_most(limit: int) -> LazyText:
    """The message for a text longer than `limit` characters."""
    return _l("at most %(limit)s characters", limit=limit)


class OutOfScope(SurveyappError):
    """The unit or action is outside what the actor may manage (answered as 'not found')."""

    def __init__(self) -> None:
        super().__init__("no such action plan")


@dataclass(frozen=True)
class Actor:
    """Who is acting: their email (for the audit trail), role and units (None = every unit)."""

    email: str
    role: str
    scope: frozenset[int] | None

    def manages(self, unit_id: int) -> bool:
        """Whether the actor may see and change this unit's action plan."""
        if self.role not in ACTION_ROLES:
            return False
        return self.scope is None or unit_id in self.scope


@dataclass
class ActionFields:
    """What a person fills in for an action; `owner` is the owner's email."""

    title: str
    owner: str
    due_on: date | None
    finding: str = ""
    construct: str | None = None
    owner_role: str = ""
    timing: str = ""
    status: str = "planned"
    notes: str = ""

    @classmethod
    def of(cls, action: Action) -> ActionFields:
        """The fields of an action as stored, to change some and save them back."""
        return cls(
            title=action.title,
            owner=action.owner.email,
            due_on=action.due_on,
            finding=action.finding,
            construct=action.construct,
            owner_role=action.owner_role,
            timing=action.timing,
            status=action.status,
            notes=action.notes,
        )


def check_unit(actor: Actor, unit: OrgUnit | None) -> OrgUnit:
    """The unit, if the actor manages it; OutOfScope otherwise."""
    if unit is None or not actor.manages(unit.id):
        raise OutOfScope()
    return unit


def get_action(session: Session, actor: Actor, action_id: int) -> Action:
    """The action `action_id` if the actor manages its unit; OutOfScope otherwise."""
    action = session.get(Action, action_id) if 0 < action_id <= MAX_ID else None
    if action is None or not actor.manages(action.unit_id):
        raise OutOfScope()
    return action


def _owner(session: Session, email: str, unit: OrgUnit, problems: list[Problem]) -> User | None:
    """The active staff user who can own an action of `unit`: an admin or a change manager
    whose units include it (so the owner can see the plan they are answerable for)."""
    user = session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    if user is None or not user.active:
        problems.append(
            Problem(field="owner", reason=_l("no active staff user %(email)r", email=email))
        )
        return None
    if user.role == "admin":
        return user
    units = unit_subtree_ids(session, [u.id for u in user.units])
    if user.role != "change_manager" or unit.id not in units:
        reason = _l("%(email)s cannot see this unit's plan; choose someone who can", email=email)
        problems.append(Problem(field="owner", reason=reason))
        return None
    return user


def _check(session: Session, unit: OrgUnit, fields: ActionFields) -> User:
    """The owner, once every field is valid; InputError naming every bad field otherwise."""
    problems: list[Problem] = []
    if not fields.title.strip():
        problems.append(Problem(field="title", reason=_l("a title is required")))
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(fields, name) or "") > limit:
            problems.append(Problem(field=name, reason=at_most(limit)))
    if fields.due_on is None:
        problems.append(Problem(field="due_on", reason=_l("a due date (YYYY-MM-DD) is required")))
    if fields.status not in ACTION_STATUSES:
        problems.append(Problem(field="status", reason=not_one_of(fields.status, ACTION_STATUSES)))
    owner = _owner(session, fields.owner.strip(), unit, problems)
    if problems or owner is None:
        raise InputError(problems)
    return owner


def _audit(session: Session, actor: Actor, verb: str, action: Action, **detail: object) -> None:
    """One line of the audit trail for a change to an action plan."""
    session.add(
        AuditEvent(
            actor=actor.email,
            action=f"action.{verb}",
            campaign_id=action.campaign_id,
            detail={"action": action.id, "unit": action.unit.code, **detail},
            row_count=1,
        )
    )


def _dates(action: Action, status: str, today: date) -> None:
    """Keep `done_on` in step with the status: the day it was first marked done."""
    if status == "done" and action.done_on is None:
        action.done_on = max(today, action.started_on)
    elif status != "done":
        action.done_on = None


def create_action(
    session: Session,
    actor: Actor,
    unit: OrgUnit,
    fields: ActionFields,
    today: date,
    campaign_id: int | None = None,
    intervention: str | None = None,
) -> Action:
    """Add an action to `unit`'s plan (from a recommendation when `intervention` is given)."""
    check_unit(actor, unit)
    owner = _check(session, unit, fields)
    action = Action(
        unit=unit,
        campaign_id=campaign_id,
        intervention=intervention,
        title=fields.title.strip(),
        finding=fields.finding.strip(),
        construct=fields.construct or None,
        owner=owner,
        owner_role=fields.owner_role.strip(),
        timing=fields.timing.strip(),
        due_on=fields.due_on,
        status=fields.status,
        notes=fields.notes.strip(),
        started_on=today,
        created_by=actor.email,
    )
    _dates(action, fields.status, today)
    session.add(action)
    session.flush()
    _audit(session, actor, "create", action, title=action.title, status=action.status)
    session.flush()
    return action


def update_action(
    session: Session, actor: Actor, action: Action, fields: ActionFields, today: date
) -> Action:
    """Change an action's fields; a change of status is also written as a dated update."""
    check_unit(actor, action.unit)
    owner = _check(session, action.unit, fields)
    before = {"status": action.status, "owner": action.owner.email, "due_on": action.due_on}
    action.title = fields.title.strip()
    action.finding = fields.finding.strip()
    action.construct = fields.construct or None
    action.owner = owner
    action.owner_role = fields.owner_role.strip()
    action.timing = fields.timing.strip()
    action.due_on = fields.due_on
    action.notes = fields.notes.strip()
    if fields.status != action.status:
        action.updates.append(ActionUpdate(author=actor.email, status=fields.status, text=""))
    action.status = fields.status
    _dates(action, fields.status, today)
    session.flush()
    changed = {
        key: str(value)
        for key, value in before.items()
        if str(value) != str(getattr(action, key) if key != "owner" else owner.email)
    }
    _audit(session, actor, "update", action, changed=changed)
    session.flush()
    return action


def add_update(
    session: Session,
    actor: Actor,
    action: Action,
    text: str,
    today: date,
    status: str | None = None,
) -> ActionUpdate:
    """Write a dated note on an action, moving its status along when `status` is given."""
    check_unit(actor, action.unit)
    problems = []
    if not text.strip() and status is None:
        problems.append(Problem(field="text", reason=_l("write what happened")))
    if len(text) > UPDATE_LIMIT:
        problems.append(Problem(field="text", reason=at_most(UPDATE_LIMIT)))
    if status is not None and status not in ACTION_STATUSES:
        problems.append(Problem(field="status", reason=not_one_of(status, ACTION_STATUSES)))
    if problems:
        raise InputError(problems)
    update = ActionUpdate(author=actor.email, status=status, text=text.strip())
    if today < utcnow().date():  # an update recorded after the fact keeps its own day
        update.written_at = datetime.combine(today, time(9), UTC)
    action.updates.append(update)
    if status is not None:
        action.status = status
        _dates(action, status, today)
    session.flush()
    _audit(session, actor, "note", action, status=status)
    session.flush()
    return update


def unit_actions(session: Session, unit_ids: set[int] | None) -> list[Action]:
    """The actions of these units (None: all), open ones first, then by due date."""
    query = sa.select(Action).order_by(Action.due_on, Action.id)
    if unit_ids is not None:
        query = query.where(Action.unit_id.in_(sorted(unit_ids)))
    actions = list(session.scalars(query))
    return sorted(actions, key=lambda a: a.status not in OPEN_STATUSES)


def overdue(actions: list[Action], today: date) -> list[Action]:
    """Open actions past their due date, the longest overdue first."""
    late = [a for a in actions if a.status in OPEN_STATUSES and a.due_on < today]
    return sorted(late, key=lambda a: a.due_on)


def status_counts(actions: list[Action]) -> Mapping[str, int]:
    """How many actions are in each status, every status listed."""
    return {status: sum(a.status == status for a in actions) for status in ACTION_STATUSES}


def eligible_owners(session: Session, unit: OrgUnit) -> list[str]:
    """Emails of the active staff who can own an action of `unit` (admins and the change
    managers whose units include it), alphabetically."""
    users = session.scalars(
        sa.select(User).where(User.active, User.role.in_(ACTION_ROLES)).order_by(User.email)
    )
    chosen = []
    for user in users:
        if user.role == "admin" or unit.id in unit_subtree_ids(session, [u.id for u in user.units]):
            chosen.append(user.email)
    return chosen
