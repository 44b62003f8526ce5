"""Server-side sessions: a copied cookie dies with its session, 8 hours is 8 hours from
sign-in, an idle hour ends it, and a user sees and ends their own sessions."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from surveyapp.config import SESSION_LIFETIME
from surveyapp.extensions import db
from surveyapp.models import StaffSession, User
from surveyapp.services.staff_sessions import IDLE_TIMEOUT
from tests.clock import advance
from tests.plugins.staff import add_user, csrf_token, new_client, sign_in

EMAIL = "admin@example.org"
AUDIT = "/staff/audit"
MINUTE = timedelta(minutes=1)


def _signed_in(app: Flask, email: str = EMAIL, agent: str = "Browser A") -> FlaskClient:
    client = new_client(app)
    client.environ_base["HTTP_USER_AGENT"] = agent
    assert sign_in(client, email).status_code == 302
    return client


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie."""
    thief = new_client(app)
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _opens(client: FlaskClient, path: str = AUDIT) -> bool:
    response = client.get(path)
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def test_a_copied_cookie_is_refused_once_its_owner_signs_out(app):
    add_user(app, EMAIL, "admin")
    owner = _signed_in(app)
    thief = _copy(app, owner)
    assert _opens(thief)

    token = csrf_token(owner, "/staff/")
    assert owner.post("/staff/logout", data={"csrf_token": token}).status_code == 302

    assert not _opens(thief) and not _opens(owner)
    assert thief.get(AUDIT).location.startswith("/staff/login")
    with app.app_context():
        row = db.session.scalars(sa.select(StaffSession)).one()
        assert row.ended_because == "signed out"


def test_a_copied_cookie_is_refused_once_the_user_is_deactivated(app):
    add_user(app, EMAIL, "admin")
    thief = _copy(app, _signed_in(app))
    assert _opens(thief)
    with app.app_context():
        db.session.execute(sa.update(User).values(active=False))
        db.session.commit()
    assert not _opens(thief)


def test_eight_hours_from_sign_in_end_a_session_however_busy(app):
    add_user(app, EMAIL, "admin")
    client = _signed_in(app)
    busy = IDLE_TIMEOUT - MINUTE
    steps = int((SESSION_LIFETIME - MINUTE) / busy)
    for _ in range(steps):
        advance(app, busy)
        assert _opens(client)
    advance(app, SESSION_LIFETIME - steps * busy)
    assert not _opens(client)
    assert _opens(_signed_in(app))  # signing in again starts a new day


def test_an_idle_session_ends_and_a_used_one_goes_on(app):
    add_user(app, EMAIL, "admin")
    idle, used = _signed_in(app), _signed_in(app)
    for _ in range(3):
        advance(app, IDLE_TIMEOUT / 2 + MINUTE)
        assert _opens(used)
    assert not _opens(idle)


def test_a_user_sees_their_sessions_and_ends_another_one(app):
    add_user(app, EMAIL, "admin")
    add_user(app, "hr@example.org", "hr")
    laptop, phone = _signed_in(app, agent="Laptop"), _signed_in(app, agent="Phone")
    other = _signed_in(app, "hr@example.org", agent="Someone else")

    page = laptop.get("/staff/sessions")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Laptop <strong>(this one)</strong>" in text and "Phone" in text
    assert "Someone else" not in text
    with app.app_context():
        ids = dict(db.session.execute(sa.select(StaffSession.user_agent, StaffSession.id)).all())
    token = csrf_token(laptop, "/staff/sessions")

    foreign = laptop.post(f"/staff/sessions/{ids['Someone else']}/end", data={"csrf_token": token})
    assert foreign.status_code == 404 and _opens(other, "/staff/")
    no_token = laptop.post(f"/staff/sessions/{ids['Phone']}/end")
    assert no_token.status_code == 400 and _opens(phone)
    ended = laptop.post(f"/staff/sessions/{ids['Phone']}/end", data={"csrf_token": token})
    assert ended.status_code == 302 and not _opens(phone) and _opens(laptop)

    tablet = _signed_in(app, agent="Tablet")
    laptop.post("/staff/sessions/end-others", data={"csrf_token": token})
    assert not _opens(tablet) and _opens(laptop)
    here = laptop.post(f"/staff/sessions/{ids['Laptop']}/end", data={"csrf_token": token})
    assert here.location == "/staff/login" and not _opens(laptop)
