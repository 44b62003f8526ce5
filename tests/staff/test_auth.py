"""Signing in: one message for every failure, rate limits, local redirects, CSRF, cookies."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from surveyapp.extensions import db
from surveyapp.models import User
from tests.plugins.staff import PASSWORD, add_user, csrf_token, new_client, sign_in

EMAIL = "admin@example.org"


def test_sign_in_starts_a_fresh_session_with_safe_cookie_flags(app, client):
    add_user(app, EMAIL, "admin")
    with client.session_transaction() as session:
        session["left_over"] = "from before"
    response = sign_in(client, EMAIL)
    assert response.status_code == 302 and response.location == "/staff/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    with client.session_transaction() as session:
        assert "left_over" not in session and session.permanent
    assert client.get("/staff/").status_code == 200


def test_unknown_user_wrong_password_and_inactive_user_get_the_same_answer(app, client):
    add_user(app, EMAIL, "admin")
    add_user(app, "gone@example.org", "hr")
    with app.app_context():
        gone = sa.update(User).where(User.email == "gone@example.org")
        db.session.execute(gone.values(active=False))
        db.session.commit()
    pages = [
        sign_in(client, "nobody@example.org"),
        sign_in(client, EMAIL, "wrong password here"),
        sign_in(client, "gone@example.org"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "Email or password is not correct." in page.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_an_old_hash_is_replaced_at_sign_in(app, client):
    add_user(app, EMAIL, "admin")
    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    with app.app_context():
        db.session.execute(sa.update(User).values(password_hash=weak))
        db.session.commit()
    assert sign_in(client, EMAIL).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(User.password_hash)) != weak


def test_wrong_passwords_slow_one_address_but_not_the_owner_elsewhere(app, client):
    add_user(app, EMAIL, "admin")
    add_user(app, "hr@example.org", "hr")
    for _ in range(5):
        assert sign_in(client, EMAIL, "wrong password here").status_code == 200
    refused = sign_in(client, EMAIL)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert sign_in(client, "hr@example.org").status_code == 302
    owner = new_client(app)
    owner.environ_base["REMOTE_ADDR"] = "192.0.2.44"  # the owner, from their own office
    assert sign_in(owner, EMAIL).status_code == 302


def test_only_wrong_passwords_count_towards_the_limit(app):
    add_user(app, EMAIL, "admin")
    for _ in range(8):
        assert sign_in(new_client(app), EMAIL).status_code == 302


@pytest.mark.parametrize(
    "target", ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)"]
)
def test_next_never_leaves_the_app(app, client, target):
    add_user(app, EMAIL, "admin")
    response = sign_in(client, EMAIL, next_=target)
    assert response.status_code == 302 and response.location == "/staff/"


def test_next_may_point_inside_the_app(app, client):
    add_user(app, EMAIL, "admin")
    response = sign_in(client, EMAIL, next_="/staff/campaigns/x/")
    assert response.location == "/staff/campaigns/x/"


def test_a_protected_page_sends_a_visitor_to_sign_in_and_back(client):
    response = client.get("/staff/campaigns/x/")
    assert response.status_code == 302
    assert response.location.startswith("/staff/login?next=")


def test_a_post_without_its_csrf_token_is_refused(app, client):
    add_user(app, EMAIL, "admin")
    response = client.post("/staff/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/staff/").status_code == 302


def test_sign_out_ends_the_session(app, client):
    add_user(app, EMAIL, "admin")
    sign_in(client, EMAIL)
    token = csrf_token(client, "/staff/")
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/staff/").status_code == 302


def test_every_response_carries_the_security_headers(client):
    for response in (client.get("/staff/login"), client.get("/nowhere"), client.get("/healthz")):
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_error_pages_show_no_trace(client):
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and "Traceback" not in missing.get_data(as_text=True)
    too_big = client.post("/staff/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert too_big.status_code == 413


def test_an_unexpected_error_gets_a_plain_500_page(app, client):
    def broken() -> str:
        raise RuntimeError("secret detail")

    app.add_url_rule("/broken", view_func=broken)
    response = client.get("/broken")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret detail" not in text and "Traceback" not in text
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_front_door_leads_a_visitor_to_the_staff_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
