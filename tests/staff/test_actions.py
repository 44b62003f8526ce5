"""An action's life cycle in the staff area, and a change manager kept to their own units."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Action, AuditEvent
from tests.factories import store_wave
from tests.plugins.staff import csrf_token

PLAN = "/staff/actions/units/BR-NORTH"
ONE_CLICK = re.compile(r'name="intervention" value="([^"]+)"')


@pytest.fixture
def wave(survey_layout):
    """Wave 1 of the demo organisation, released."""
    store_wave(survey_layout, "wave-1", seed=3)


def stored_actions() -> list[Action]:
    return list(db.session.scalars(sa.select(Action).order_by(Action.id)))


def write_action(client, title: str, due_on: str = "2030-01-31", owner: str = "retail"):
    """Post the plan's hand-written action form, as a browser does."""
    form = {
        "csrf_token": csrf_token(client, PLAN),
        "title": title,
        "owner": f"change-manager-{owner}@example.org",
        "due_on": due_on,
        "status": "planned",
    }
    return client.post(PLAN, data=form)


def test_an_action_from_a_recommendation_through_to_done(wave, login_as):
    manager = login_as("change_manager", units=["RETAIL"])
    page = manager.get(PLAN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Recommended actions" in html
    first = ONE_CLICK.search(html).group(1)

    added = manager.post(
        f"{PLAN}/recommended",
        data={"csrf_token": csrf_token(manager, PLAN), "campaign": "wave-1", "intervention": first},
    )
    assert added.status_code == 302
    [action] = stored_actions()
    assert action.intervention == first and action.campaign_id is not None
    assert action.owner.email == "change-manager-retail@example.org"
    assert action.finding and action.owner_role and action.timing
    assert action.status == "planned" and action.due_on > date.today()
    detail = f"/staff/actions/{action.id}"
    assert added.headers["Location"].endswith(detail)
    assert first not in ONE_CLICK.findall(manager.get(PLAN).get_data(as_text=True))

    form = {
        "csrf_token": csrf_token(manager, detail),
        "title": "Role-based training, first two teams",
        "finding": action.finding,
        "owner": "change-manager-retail@example.org",
        "owner_role": "unit leader",
        "due_on": "2030-01-31",
        "timing": "next 30 days",
        "status": "in_progress",
        "notes": "Start with the branch counters.",
    }
    assert manager.post(detail, data=form).status_code == 302
    note = {
        "csrf_token": csrf_token(manager, detail),
        "text": "Both teams trained.",
        "status": "done",
    }
    assert manager.post(f"{detail}/updates", data=note).status_code == 302
    db.session.rollback()
    [action] = stored_actions()
    assert action.title == "Role-based training, first two teams"
    assert action.status == "done" and action.done_on == date.today()
    assert [(u.status, u.text) for u in action.updates] == [
        ("in_progress", ""),
        ("done", "Both teams trained."),
    ]
    shown = manager.get(detail).get_data(as_text=True)
    assert "Both teams trained." in shown and "Done" in shown
    audited = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert audited[-3:] == ["action.create", "action.update", "action.note"]
    overview = manager.get("/staff/actions").get_data(as_text=True)
    assert "Role-based training, first two teams" in overview


def test_a_change_manager_cannot_see_or_change_another_units_plan(wave, login_as):
    owner = login_as("change_manager", units=["RETAIL"])
    form = {
        "csrf_token": csrf_token(owner, PLAN),
        "title": "Team briefing",
        "owner": "change-manager-retail@example.org",
        "due_on": "2030-01-31",
        "status": "planned",
    }
    assert owner.post(PLAN, data=form).status_code == 302
    [action] = stored_actions()

    other = login_as("change_manager", units=["CORP"])
    token = csrf_token(other, "/staff/actions")
    assert other.get(PLAN).status_code == 404
    assert other.get(f"/staff/actions/{action.id}").status_code == 404
    assert other.post(PLAN, data=form | {"csrf_token": token}).status_code == 404
    changed = form | {
        "csrf_token": token,
        "title": "Hijacked",
        "owner": "change-manager-corp@example.org",
    }
    assert other.post(f"/staff/actions/{action.id}", data=changed).status_code == 404
    note = {"csrf_token": token, "text": "x", "status": "dropped"}
    assert other.post(f"/staff/actions/{action.id}/updates", data=note).status_code == 404
    assert "Team briefing" not in other.get("/staff/actions").get_data(as_text=True)
    hr = login_as("hr")
    assert hr.get(PLAN).status_code == 404 and hr.get("/staff/actions").status_code == 404
    db.session.rollback()
    [action] = stored_actions()
    assert (action.title, action.status, len(action.updates)) == ("Team briefing", "planned", 0)
    assert login_as("admin").get(f"/staff/actions/{action.id}").status_code == 200


def test_an_owner_who_cannot_see_the_unit_is_refused_by_name(wave, login_as):
    login_as("change_manager", units=["CORP"])
    owner = login_as("change_manager", units=["RETAIL"])
    page = write_action(owner, "Team briefing", owner="corp")
    assert page.status_code == 422
    assert "Not a valid choice" in page.get_data(as_text=True)
    assert stored_actions() == []


def test_the_overview_lists_overdue_actions_and_units_without_a_plan(wave, login_as):
    manager = login_as("change_manager", units=["RETAIL"])
    assert write_action(manager, "Late briefing", due_on="2020-01-31").status_code == 302
    html = manager.get("/staff/actions").get_data(as_text=True)
    overdue = html.split('id="overdue-title"')[1].split("</section>")[0]
    assert "Late briefing" in overdue and "overdue" in overdue
    without = html.split('id="noplan-title"')[1].split("</section>")[0]
    assert "BR-NORTH" not in without and "BR-SOUTH" in without
    assert "CORP" not in html


def test_the_dashboard_shows_the_units_action_plan(wave, login_as):
    manager = login_as("change_manager", units=["RETAIL"])
    assert write_action(manager, "Team briefing <b>now</b>").status_code == 302
    html = manager.get("/staff/campaigns/wave-1/units/BR-NORTH").get_data(as_text=True)
    card = html.split('id="action-plan"')[1].split("</section>")[0]
    assert "Team briefing &lt;b&gt;now&lt;/b&gt;" in card
    assert 'href="/staff/actions/units/BR-NORTH"' in card
