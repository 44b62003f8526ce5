"""`surveyapp users list|deactivate|activate|reset-password|set-role|set-units`: each change
audited, sessions ended where access changes, the last admin kept, bad input named."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from surveyapp.extensions import db
from surveyapp.models import AuditEvent, User
from tests import factories
from tests.plugins.staff import PASSWORD, add_user, new_client, sign_in

ADMIN, HR, CM = "admin@example.org", "hr@example.org", "cm@example.org"
NEW_PASSWORD = "a brand new passphrase"


def _staff(app: Flask) -> None:
    with app.app_context():
        for code in ("OPS", "SALES"):
            factories.unit(db.session, code)
        db.session.commit()
    add_user(app, ADMIN, "admin")
    add_user(app, HR, "hr")
    add_user(app, CM, "change_manager", ["OPS"])


def _signed_in(app: Flask, email: str):
    client = new_client(app)
    assert sign_in(client, email).status_code == 302
    return client


def _signed_out(client) -> bool:
    return client.get("/staff/").status_code == 302


def _audit(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
        return [(event.actor, event.action, event.detail["user"]) for event in events]


def _user(app: Flask, email: str) -> dict:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        return {
            "role": user.role,
            "active": user.active,
            "units": sorted(u.code for u in user.units),
        }


def test_list_shows_every_user_with_role_units_and_state(app, run):
    _staff(app)
    run("users", "deactivate", HR)
    lines = run("users", "list").output.splitlines()
    assert lines == [
        f"{ADMIN}\tadmin\t-\tactive",
        f"{CM}\tchange_manager\tOPS\tactive",
        f"{HR}\thr\t-\tdeactivated",
    ]


def test_deactivating_ends_sessions_at_once_and_activating_lets_them_back(app, run):
    _staff(app)
    hr = _signed_in(app, HR)
    result = run("users", "deactivate", HR.upper())
    assert result.exit_code == 0, result.output
    assert _signed_out(hr)
    assert sign_in(new_client(app), HR).status_code == 200  # refused: the form again
    assert run("users", "activate", HR).exit_code == 0
    assert not _signed_out(_signed_in(app, HR))
    actor, *_ = _audit(app)[0]
    assert actor.startswith("cli:")
    assert [entry[1:] for entry in _audit(app)] == [
        ("user.deactivate", HR),
        ("user.activate", HR),
    ]


def test_the_last_active_admin_can_be_neither_deactivated_nor_demoted(app, run):
    _staff(app)
    for args in (("deactivate", ADMIN), ("set-role", ADMIN, "--role", "hr")):
        result = run("users", *args)
        assert result.exit_code == 1
        assert "last active admin" in result.stderr
    assert _user(app, ADMIN) == {"role": "admin", "active": True, "units": []}
    assert run("users", "set-role", HR, "--role", "admin").exit_code == 0
    assert run("users", "deactivate", ADMIN).exit_code == 0  # another admin remains
    assert run("users", "set-role", HR, "--role", "hr").exit_code == 1
    assert _audit(app)[-1][1:] == ("user.deactivate", ADMIN)


def test_a_new_password_ends_the_sessions_signed_in_with_the_old_one(app, run):
    _staff(app)
    cm = _signed_in(app, CM)
    short = run("users", "reset-password", CM, input="short\n")
    assert short.exit_code == 1 and "password: use at least 12 characters" in short.stderr
    assert not _signed_out(cm)
    assert run("users", "reset-password", CM, input=NEW_PASSWORD + "\n").exit_code == 0
    assert _signed_out(cm)
    assert sign_in(new_client(app), CM, PASSWORD).status_code == 200
    assert sign_in(new_client(app), CM, NEW_PASSWORD).status_code == 302
    assert [entry[1] for entry in _audit(app)] == ["user.reset_password"]


def test_role_and_unit_changes_end_sessions_and_bad_input_names_its_parameter(app, run):
    _staff(app)
    cm, hr = _signed_in(app, CM), _signed_in(app, HR)
    refusals = {
        ("set-role", "nobody@example.org", "--role", "hr"): "EMAIL: no user",
        ("set-role", HR, "--role", "owner"): "--role: 'owner' is not one of",
        ("set-role", HR, "--role", "change_manager"): "--units: a change manager needs",
        ("set-role", HR, "--role", "hr", "--units", "OPS"): "--units: units apply only",
        ("set-units", HR, "--units", "OPS"): "--units: units apply only to change managers",
        ("set-units", CM, "--units", "OPS,NOPE"): "--units: unknown unit code 'NOPE'",
    }
    for args, message in refusals.items():
        result = run("users", *args)
        assert result.exit_code == 1 and message in result.stderr, (args, result.stderr)
    assert not _signed_out(cm) and not _signed_out(hr) and _audit(app) == []

    assert run("users", "set-units", CM, "--units", "SALES,OPS").exit_code == 0
    assert _signed_out(cm) and not _signed_out(hr)
    assert _user(app, CM)["units"] == ["OPS", "SALES"]
    assert (
        run("users", "set-role", HR, "--role", "change_manager", "--units", "SALES").exit_code == 0
    )
    assert _signed_out(hr)
    assert _user(app, HR) == {"role": "change_manager", "active": True, "units": ["SALES"]}
    assert run("users", "set-role", CM, "--role", "hr").exit_code == 0
    assert _user(app, CM)["units"] == []
    assert [entry[1:] for entry in _audit(app)] == [
        ("user.set_units", CM),
        ("user.set_role", HR),
        ("user.set_role", CM),
    ]
