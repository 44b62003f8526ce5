"""Staff sign in through a real OpenID provider: what gets in, with which role, and what not."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import AuditEvent, StaffSession, User
from tests.harness import CliRunner
from tests.plugins.sso import ACCOUNTS
from tests.plugins.staff import PASSWORD, add_user, new_client, sign_in


def audit(app, action: str) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
        return [{"actor": row.actor, **row.detail} for row in rows]


def user(app, email: str) -> User:
    with app.app_context():
        found = db.session.scalar(sa.select(User).where(User.email == email))
        assert found is not None
        found.units  # noqa: B018 (loaded before the session closes)
        db.session.expunge(found)
        return found


def signed_out(client) -> bool:
    return client.get("/staff/").status_code == 302


def test_a_mapped_person_signs_in_with_their_role_and_units(sso):
    app = sso.make_app()
    sso.start()
    client = sso.client()
    page = client.get("/staff/login").get_data(as_text=True)
    assert "Sign in with Test IdP" in page and 'name="password"' in page

    started = client.get("/staff/login/sso")
    query = parse_qs(urlsplit(started.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == ["http://localhost/staff/login/sso/callback"]

    callback = sso.callback_for(client, "ana", next_="/staff/sessions")
    arrived = client.get(callback)
    assert arrived.status_code == 303 and arrived.headers["Location"] == "/staff/sessions"
    assert "ana@example.org (change manager)" in client.get("/staff/").get_data(as_text=True)
    ana = user(app, "ana@example.org")
    assert (ana.role, sorted(u.code for u in ana.units)) == ("change_manager", ["OPS", "OPS-EU"])
    assert (ana.oidc_issuer, ana.oidc_subject, ana.role_from) == (
        f"http://127.0.0.1:{sso.port}",
        "ana",
        "provider",
    )
    assert ana.active
    assert [row["subject"] for row in audit(app, "sso.account_created")] == ["ana"]
    assert audit(app, "sso.mapping_change")[0]["units"] == ["OPS", "OPS-EU"]
    assert [row["actor"] for row in audit(app, "sso.sign_in")] == ["ana@example.org"]


def test_a_group_change_and_new_keys_take_effect_at_the_next_sign_in(sso):
    """The provider restarts with new signing keys and Ana moved to the admins: the app
    fetches the new JWKS for the unknown key, and her role follows the claim."""
    app = sso.make_app()
    sso.start()
    first = sso.client()
    assert first.get(sso.callback_for(first, "ana")).status_code == 303
    before = first.get("/staff/").get_data(as_text=True)
    assert "(change manager)" in before

    sso.stack.close()  # the old provider stops; the same issuer comes back with new keys
    moved = {**ACCOUNTS, "ana": {**ACCOUNTS["ana"], "groups": ["surveyapp-admins"]}}
    sso.start(accounts=moved)
    second = sso.client()
    assert second.get(sso.callback_for(second, "ana")).status_code == 303
    assert "ana@example.org (admin)" in second.get("/staff/").get_data(as_text=True)
    assert signed_out(first)  # the change ended the session that had the old role
    change = audit(app, "sso.mapping_change")[-1]
    assert (change["role"], change["units"], change["sessions_ended"]) == ("admin", [], 1)

    sso.stack.close()
    sso.start(accounts={**ACCOUNTS, "ana": {**ACCOUNTS["ana"], "groups": []}})
    third = sso.client()
    refused = third.get(sso.callback_for(third, "ana"))
    assert refused.status_code == 403
    assert "does not let this account in" in refused.get_data(as_text=True)
    assert not user(app, "ana@example.org").active and signed_out(second)
    assert audit(app, "sso.refused")[-1]["reason"] == "no role in the mapping"


def test_an_existing_account_is_linked_once_by_its_verified_email(sso):
    """Cy has an admin account made with the CLI: her first sign-in links it, and her role
    stays the admin's; later the same email under another subject is refused."""
    app = sso.make_app()
    add_user(app, "cy@example.org", "admin")
    sso.start(accounts={**ACCOUNTS, "cy-2": {"email": "cy@example.org", "groups": []}})
    client = sso.client()
    assert client.get(sso.callback_for(client, "cy")).status_code == 303
    cy = user(app, "cy@example.org")
    assert (cy.oidc_subject, cy.role, cy.role_from) == ("cy", "admin", "admin")
    assert [row["subject"] for row in audit(app, "sso.link")] == ["cy"]

    other = sso.client()
    assert other.get(sso.callback_for(other, "cy-2")).status_code == 403
    assert audit(app, "sso.refused")[-1]["reason"] == "email belongs to another account"


def test_a_wrong_state_is_refused_and_audited(sso):
    app = sso.make_app()
    sso.start()
    client = sso.client()
    callback = sso.callback_for(client, "ana")
    forged = callback.replace("state=", "state=x")
    answer = client.get(forged)
    assert answer.status_code == 400
    assert "could not be accepted" in answer.get_data(as_text=True)
    # the right state, in another browser than the one that started: refused too
    assert sso.client().get(callback).status_code == 400
    assert signed_out(client)
    reasons = [row["reason"] for row in audit(app, "sso.refused")]
    assert reasons == ["state does not match this browser's sign-in"] * 2
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffSession)) == 0


def test_a_replayed_code_is_refused(sso):
    app = sso.make_app()
    sso.start()
    client = sso.client()
    callback = sso.callback_for(client, "ana")
    assert client.get(callback).status_code == 303
    assert client.get(callback).status_code == 400  # its state was used up

    # the same code with a fresh, valid state: the provider itself refuses a second use
    other = sso.client()
    fresh = sso.callback_for(other, "bo")
    code = parse_qs(urlsplit(callback).query)["code"][0]
    fresh_code = parse_qs(urlsplit(fresh).query)["code"][0]
    assert other.get(fresh.replace(fresh_code, code)).status_code == 400
    assert signed_out(other)
    reasons = [row["reason"] for row in audit(app, "sso.refused")]
    assert reasons == [
        "state does not match this browser's sign-in",
        "provider refused: invalid_grant",
    ]


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("bad-signature", "ID token rejected: bad_signature"),
        ("wrong-audience", "ID token rejected: invalid_claim"),
        ("expired", "ID token rejected: expired_token"),
    ],
)
def test_an_id_token_that_fails_its_checks_is_refused(sso, fault, reason):
    app = sso.make_app()
    sso.start(fault=fault)
    client = sso.client()
    answer = client.get(sso.callback_for(client, "cy"))
    assert answer.status_code == 400
    assert signed_out(client)
    assert [row["reason"] for row in audit(app, "sso.refused")] == [reason]
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == "cy@example.org")) is None


def test_an_unmapped_person_waits_until_an_admin_approves(sso):
    app = sso.make_app()
    sso.start()
    client = sso.client()
    waiting = client.get(sso.callback_for(client, "bo"))
    assert waiting.status_code == 403
    assert "Your account waits for approval" in waiting.get_data(as_text=True)
    bo = user(app, "bo@example.org")
    assert (bo.active, bo.role_from, bo.units) == (False, "pending", [])
    again = sso.client()
    assert again.get(sso.callback_for(again, "bo")).status_code == 403
    assert [row["reason"] for row in audit(app, "sso.refused")] == ["awaiting approval"] * 2

    add_user(app, "root@example.org", "admin")
    admin = new_client(app)
    assert sign_in(admin, "root@example.org").status_code == 302
    listed = admin.get("/staff/admin/users").get_data(as_text=True)
    assert "waiting for approval" in listed

    run = CliRunner(app)
    assert "bo@example.org\tchange_manager\t-\twaiting" in run("users", "list").output
    assert run("users", "set-role", "bo@example.org", "--role", "hr").exit_code == 0
    assert run("users", "activate", "bo@example.org").exit_code == 0
    approved = sso.client()
    assert approved.get(sso.callback_for(approved, "bo")).status_code == 303
    assert "bo@example.org (HR)" in approved.get("/staff/").get_data(as_text=True)
    assert user(app, "bo@example.org").role_from == "admin"  # the admin's role stays


def test_local_passwords_off_leave_only_the_break_glass_admin(sso):
    app = sso.make_app(SURVEYAPP_LOCAL_LOGIN=False)
    add_user(app, "root@example.org", "admin")
    add_user(app, "hr@example.org", "hr")
    page = sso.client().get("/staff/login").get_data(as_text=True)
    assert "Sign in with Test IdP" in page and "Emergency sign-in" in page

    assert sign_in(new_client(app), "root@example.org").status_code == 200  # not yet
    run = CliRunner(app)
    refused = run("users", "break-glass", "hr@example.org")
    assert refused.exit_code != 0 and "not an active admin" in refused.output
    assert run("users", "break-glass", "root@example.org").exit_code == 0

    assert sign_in(new_client(app), "hr@example.org", PASSWORD).status_code == 200
    assert sign_in(new_client(app), "root@example.org", PASSWORD).status_code == 302
    assert [row["actor"] for row in audit(app, "user.break_glass_sign_in")] == ["root@example.org"]
    assert audit(app, "user.break_glass")[0]["user"] == "root@example.org"


def test_signing_out_goes_on_to_the_provider(sso):
    sso.make_app()
    sso.start()
    client = sso.client()
    client.get(sso.callback_for(client, "cy"))
    home = client.get("/staff/").get_data(as_text=True)
    token = home.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    left = client.post("/staff/logout", data={"csrf_token": token})
    assert left.status_code == 302 and left.headers["Location"] == "/staff/logout/sso"
    page = client.get("/staff/logout/sso").get_data(as_text=True)
    assert f"http://127.0.0.1:{sso.port}/session/end?" in page
    assert "client_id=surveyapp" in page and "post_logout_redirect_uri=" in page
    assert signed_out(client)


def test_an_unreachable_provider_gets_a_plain_page(sso):
    sso.make_app()  # the provider is never started: nothing listens on its port
    answer = sso.client().get("/staff/login/sso")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 502 and "cannot be reached" in text
    assert "Traceback" not in text and "a-test-client-secret" not in text
    assert "127.0.0.1" not in text


def test_a_provider_that_names_another_issuer_is_a_configuration_error(sso):
    app = sso.make_app()
    sso.start()
    app.config["SURVEYAPP_OIDC_ISSUER"] = f"http://localhost:{sso.port}"
    answer = sso.client().get("/staff/login/sso")
    assert answer.status_code == 502
    assert "not set up correctly" in answer.get_data(as_text=True)
