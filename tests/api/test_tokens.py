"""API tokens: only their hash is stored, they are shown once, and revoking or deactivating
ends them at once; from the command line and from the staff area."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from surveyapp.extensions import db
from surveyapp.models import ApiToken, User
from surveyapp.models.base import utcnow
from surveyapp.services.api_tokens import TOUCH_INTERVAL
from tests.clock import advance
from tests.plugins.api import EMAILS, error_of
from tests.plugins.staff import csrf_token

CAMPAIGNS = "/api/v1/campaigns"


def _stored_tokens(app: Flask) -> list[dict]:
    """Every api_tokens row as the database holds it."""
    with app.app_context():
        return [dict(row._mapping) for row in db.session.execute(sa.select(ApiToken.__table__))]


def test_the_database_holds_only_the_hash_of_a_token(app, api_world, as_role):
    rows = _stored_tokens(app)
    assert len(rows) == 3
    for role, secret in api_world.tokens.items():
        assert secret.startswith("sapi_") and len(secret) > 40
        row = next(r for r in rows if r["id"] == api_world.token_ids[role])
        assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
        assert all(secret not in str(value) for value in row.values())
    assert as_role(api_world, "hr").get(CAMPAIGNS).status_code == 200


def test_use_is_recorded_and_bad_headers_are_refused_alike(app, api_world, as_role, client):
    assert _stored_tokens(app)[0]["last_used_at"] is None
    assert as_role(api_world, "admin").get(CAMPAIGNS).status_code == 200
    used = {r["id"]: r["last_used_at"] for r in _stored_tokens(app)}
    assert used[api_world.token_ids["admin"]] is not None
    assert used[api_world.token_ids["hr"]] is None
    secret = api_world.tokens["admin"]
    for header in (
        f"Basic {secret}",
        f"Bearer {secret}x",
        f"Bearer {secret[:-1]}",
        "Bearer ",
        f"Bearer {'a' * 5000}",
        hashlib.sha256(secret.encode()).hexdigest(),  # the stored hash is no key
        f"Bearer {hashlib.sha256(secret.encode()).hexdigest()}",
    ):
        refused = client.get(CAMPAIGNS, headers={"Authorization": header})
        assert refused.status_code == 401, header
        assert error_of(refused)["code"] == "unauthorized"
    signed_in_cookie_is_not_enough = client.get(CAMPAIGNS)
    assert signed_in_cookie_is_not_enough.status_code == 401


def test_a_revoked_token_and_a_deactivated_users_token_get_401(app, api_world, as_role, run):
    hr = as_role(api_world, "hr")
    assert hr.get(CAMPAIGNS).status_code == 200
    result = run("tokens", "revoke", str(api_world.token_ids["hr"]))
    assert result.exit_code == 0, result.output
    assert "revoked token" in result.output and EMAILS["hr"] in result.output
    assert error_of(hr.get(CAMPAIGNS))["status"] == 401
    admin = as_role(api_world, "admin")
    assert admin.get(CAMPAIGNS).status_code == 200
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == EMAILS["admin"]))
        user.active = False
        db.session.commit()
    assert admin.get(CAMPAIGNS).status_code == 401
    assert run("tokens", "revoke", "9999").exit_code == 1


def test_the_cli_prints_a_new_token_once_and_lists_tokens_without_it(app, api_world, run):
    created = run("tokens", "create", EMAILS["hr"], "--name", "training sync")
    assert created.exit_code == 0, created.output
    secret = next(line for line in created.output.splitlines() if line.startswith("sapi_"))
    assert (
        app.test_client().get(CAMPAIGNS, headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    listed = run("tokens", "list", EMAILS["hr"])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert len(lines) == 2 and "training sync" in lines[0] and "active" in lines[0]
    assert secret not in listed.output
    everyone = run("tokens", "list").output.splitlines()
    assert len(everyone) == 4
    unknown = run("tokens", "create", "nobody@example.org", "--name", "x")
    assert unknown.exit_code == 1 and "no user 'nobody@example.org'" in unknown.output
    unnamed = run("tokens", "create", EMAILS["hr"], "--name", "  ")
    assert unnamed.exit_code == 1 and "needs a name" in unnamed.output
    assert len(_stored_tokens(app)) == 4


def test_staff_users_make_and_revoke_their_own_tokens(app, api_world, login_as):
    manager = login_as("change_manager", units=["OPS"], email="cm2@example.org")
    page = manager.get("/staff/api-tokens")
    assert page.status_code == 200 and "You have no API token." in page.get_data(as_text=True)
    token = csrf_token(manager, "/staff/api-tokens")
    made = manager.post("/staff/api-tokens", data={"csrf_token": token, "name": "my script"})
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    secret = html.split("<code>sapi_", 1)[1].split("</code>", 1)[0]
    secret = f"sapi_{secret}"
    assert "it is shown this once" in html
    api = app.test_client()
    answer = api.get(CAMPAIGNS, headers={"Authorization": f"Bearer {secret}"})
    assert [c["slug"] for c in answer.get_json()["campaigns"]] == ["concerns", "conf-1", "wave-1"]
    again = manager.get("/staff/api-tokens").get_data(as_text=True)
    assert "my script" in again and secret not in again
    mine = next(r["id"] for r in _stored_tokens(app) if r["name"] == "my script")
    others = api_world.token_ids["hr"]
    form = csrf_token(manager, "/staff/api-tokens")
    assert (
        manager.post(f"/staff/api-tokens/{others}/revoke", data={"csrf_token": form}).status_code
        == 404
    )
    assert manager.post(f"/staff/api-tokens/{mine}/revoke").status_code == 400  # no CSRF token
    revoked = manager.post(f"/staff/api-tokens/{mine}/revoke", data={"csrf_token": form})
    assert revoked.status_code == 302
    assert api.get(CAMPAIGNS, headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    hr_token = {"Authorization": f"Bearer {api_world.tokens['hr']}"}
    assert api.get(CAMPAIGNS, headers=hr_token).status_code == 200
    assert "revoked" in manager.get("/staff/api-tokens").get_data(as_text=True)
    assert app.test_client().get("/staff/api-tokens").status_code == 302  # sign in first


def test_a_token_keeps_working_after_each_touch_interval(app, api_world, as_role):
    """The use is recorded again once TOUCH_INTERVAL has passed, on every database."""
    hr = as_role(api_world, "hr")
    token_id = api_world.token_ids["hr"]

    def last_used() -> datetime:
        with app.app_context():
            return db.session.get(ApiToken, token_id).last_used_at

    assert hr.get(CAMPAIGNS).status_code == 200
    for _ in range(2):
        before = last_used()
        advance(app, TOUCH_INTERVAL + timedelta(minutes=1))
        assert last_used() == before - TOUCH_INTERVAL - timedelta(minutes=1)
        assert hr.get(CAMPAIGNS).status_code == 200
        assert hr.get(CAMPAIGNS).status_code == 200  # fresh now: read, not written
        assert utcnow() - last_used() < timedelta(minutes=1)
