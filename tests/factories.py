"""Small builders of model rows for tests that need data without going through the CLI."""

from __future__ import annotations

import itertools
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.demo import synthetic as demo
from surveyapp.models import Campaign, Function, Invitation, OrgUnit, Person, Response
from surveyapp.services.tokens import hash_token, new_token

_serial = itertools.count(1)


def unit(session: Session, code: str | None = None, parent: OrgUnit | None = None) -> OrgUnit:
    row = OrgUnit(code=code or f"U{next(_serial)}", name="Unit", parent=parent)
    session.add(row)
    session.flush()
    return row


def demo_units(session: Session) -> dict[str, OrgUnit]:
    """The demo organisation's units (`demo.DEMO_UNITS`, parents first), by code."""
    units: dict[str, OrgUnit] = {}
    for plan in demo.DEMO_UNITS:
        units[plan.code] = OrgUnit(code=plan.code, name=plan.name, parent=units.get(plan.parent))
        session.add(units[plan.code])
    return units


def function(session: Session, code: str = "finance") -> Function:
    return session.scalars(sa.select(Function).where(Function.code == code)).one()


def person(session: Session, in_unit: OrgUnit, level: str = "frontline") -> Person:
    row = Person(
        employee_id=f"E{next(_serial)}", unit=in_unit, function=function(session), level=level
    )
    session.add(row)
    session.flush()
    return row


def campaign(session: Session, mode: str = "anonymous", **fields) -> Campaign:
    row = Campaign(slug=f"c{next(_serial)}", name="Campaign", privacy_mode=mode, **fields)
    session.add(row)
    session.flush()
    return row


def invitation(session: Session, of: Campaign, to: Person) -> Invitation:
    row = Invitation(campaign_id=of.id, person_id=to.id, token_hash=hash_token(new_token()))
    session.add(row)
    session.flush()
    return row


def response(session: Session, of: Campaign, by: Person, **fields) -> Response:
    values = {
        "campaign_id": of.id,
        "unit_id": by.unit_id,
        "function_id": by.function_id,
        "level": by.level,
        "locale": "en",
        "submitted_on": date.today(),
        "answer_vector": b"",
    }
    row = Response(**(values | fields))
    session.add(row)
    session.flush()
    return row
