"""Builders for tests: model rows made directly, a synthetic wave stored through the services,
and an organisation set up through the CLI."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.catalog import ALL_INSTRUMENTS
from surveyapp.demo import synthetic as demo
from surveyapp.extensions import db
from surveyapp.models import (
    Action,
    ActionUpdate,
    Campaign,
    Function,
    Invitation,
    OrgUnit,
    Person,
    Response,
    User,
)
from surveyapp.services.api_tokens import create_api_token
from surveyapp.services.campaigns import CampaignSpec, create_campaign
from surveyapp.services.responses import record_responses
from surveyapp.services.result_releases import publish
from surveyapp.services.tokens import hash_token, new_token
from tests.harness import TEST_INSTRUMENTS

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


def store_wave(layout, slug: str, seed: int, shift: float = 0.0) -> None:
    """A campaign like the fixture's, with a synthetic wave stored through the service."""
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        spec = CampaignSpec(slug, slug, ALL_INSTRUMENTS, [], True, "anonymous")
        campaign = create_campaign(db.session, spec)
    wave = demo.synthesize(layout, demo.scaled_units(demo.DEMO_UNITS, 900), seed, shift)
    units = dict(db.session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
    functions = dict(db.session.execute(sa.select(Function.code, Function.id)).all())
    record_responses(
        db.session, campaign, layout, demo.to_submissions(wave, layout, units, functions)
    )
    publish(db.session, campaign)
    db.session.commit()


def open_until(app, slug: str, days: int) -> None:
    """Put a stored wave in open fieldwork, opened a week ago and closing in `days` days, as
    a campaign whose results are read mid-fieldwork is."""
    with app.app_context():
        campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == slug))
        now = datetime.now(UTC)
        campaign.status = "open"
        campaign.opens_at, campaign.closes_at = now - timedelta(days=7), now + timedelta(days=days)
        db.session.commit()


UNITS = """code,name,parent_code
RETAIL,Retail banking,
BRANCH-N,Branches north,RETAIL
BRANCH-S,Branches south,RETAIL
OPS,Operations centre,
"""


ROSTER = """employee_id,email,unit,function,level,locale
E001,ana@example.com,BRANCH-N,customer-service,frontline,es
E002,ben@example.com,BRANCH-N,sales,manager,en
E003,,BRANCH-S,customer-service,frontline,
E004,dee@example.com,OPS,operations,senior_leader,en
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def build_organisation(run, tmp_path: Path) -> None:
    assert run("units", "import", str(write(tmp_path, "units.csv", UNITS))).exit_code == 0
    assert run("roster", "import", str(write(tmp_path, "roster.csv", ROSTER))).exit_code == 0
    assert run("instruments", "load", str(TEST_INSTRUMENTS / "valid")).exit_code == 0


HEADER = (
    "unit,function,level,locale,employee_id,consent,mini-pulse.value_1,mini-pulse.value_2,"
    "mini-pulse.aware_1,mini-pulse.quiz_1,mini-pulse.comment\n"
)


def confidential_campaign(run, tmp_path: Path) -> None:
    build_organisation(run, tmp_path)
    result = run(
        "campaign",
        "create",
        "pulse",
        "--name",
        "Pulse",
        "--instruments",
        "mini-pulse",
        "--units",
        "RETAIL",
        "--mode",
        "confidential",
    )
    assert result.exit_code == 0, result.output


def api_token(app, email: str) -> str:
    """A new API token of the staff user `email`, as their script would hold it."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        issued = create_api_token(db.session, user, "a change manager's script")
        db.session.commit()
        return issued.secret


def action(session: Session, unit_code: str, title: str, created: date, **fields) -> Action:
    """An action of unit `unit_code`'s plan created on `created`, owned by an admin; `updated`
    (a date) adds one dated update."""
    owner = session.scalar(sa.select(User).where(User.email == "owner@example.org"))
    if owner is None:
        owner = User(email="owner@example.org", password_hash="x", role="admin")
    updated = fields.pop("updated", None)
    row = Action(
        unit=session.scalar(sa.select(OrgUnit).where(OrgUnit.code == unit_code)),
        title=title,
        owner=owner,
        due_on=fields.pop("due_on", created),
        started_on=created,
        created_at=datetime(created.year, created.month, created.day, tzinfo=UTC),
        created_by=owner.email,
        **fields,
    )
    if updated is not None:
        moment = datetime(updated.year, updated.month, updated.day, tzinfo=UTC)
        row.updates.append(ActionUpdate(written_at=moment, author=owner.email, text="Going"))
    session.add(row)
    session.flush()
    return row
