"""The admin's user pages: the same rules as the CLI, shown next to the fields they concern."""

from __future__ import annotations

import re

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import AuditEvent, User
from tests import factories
from tests.plugins.staff import csrf_token, new_client, sign_in
from tests.staff.test_spanish_staff_words import in_spanish

CM = "change-manager-ops@example.org"  # as login_as names it


def _user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


def test_only_admins_see_the_user_pages(app, login_as):
    for role, units in (("hr", ()), ("change_manager", ("OPS",))):
        with app.app_context():
            if units:
                factories.unit(db.session, "OPS")
                db.session.commit()
        assert login_as(role, units).get("/staff/admin/users").status_code == 404
    assert new_client(app).get("/staff/admin/users").status_code == 302


def test_the_list_is_paged(app, login_as):
    admin = login_as("admin")
    with app.app_context():
        for n in range(60):
            db.session.add(User(email=f"u{n:02}@example.org", role="hr", password_hash="x"))
        db.session.commit()
    first = admin.get("/staff/admin/users").get_data(as_text=True)
    second = admin.get("/staff/admin/users?page=2").get_data(as_text=True)
    assert "61 users, page 1 of 2" in first and "u00@example.org" in first
    assert "u48@example.org" in first and "u49@example.org" not in first  # after admin-all@
    assert "u49@example.org" in second and "u59@example.org" in second
    assert admin.get("/staff/admin/users?page=99").status_code == 200


def test_an_admin_changes_units_deactivates_and_sets_a_password(app, login_as):
    admin = login_as("admin")
    with app.app_context():
        for code in ("OPS", "SALES"):
            factories.unit(db.session, code)
        db.session.commit()
    cm = login_as("change_manager", ["OPS"])
    page = f"/staff/admin/users/{_user_id(app, CM)}"
    token = csrf_token(admin, page)

    wrong = admin.post(f"{page}/role", data={"csrf_token": token, "role": "change_manager"})
    assert wrong.status_code == 422
    assert "a change manager needs at least one unit" in wrong.get_data(as_text=True)
    unknown = {"csrf_token": token, "role": "change_manager", "units": "OPS, NOPE"}
    assert "unknown unit code" in admin.post(f"{page}/role", data=unknown).get_data(as_text=True)
    assert cm.get("/staff/").status_code == 200

    moved = {"csrf_token": token, "role": "change_manager", "units": "SALES"}
    assert admin.post(f"{page}/role", data=moved).status_code == 302
    assert cm.get("/staff/").status_code == 302
    typo = {"csrf_token": token, "password": "x" * 14, "confirm": "y" * 14}
    assert "The two do not match." in admin.post(f"{page}/password", data=typo).get_data(True)
    short = {"csrf_token": token, "password": "x" * 5, "confirm": "x" * 5}
    short = admin.post(f"{page}/password", data=short)
    assert "use at least 12 characters" in short.get_data(as_text=True)
    new = "another long passphrase"
    reset = {"csrf_token": token, "password": new, "confirm": new}
    assert admin.post(f"{page}/password", data=reset).status_code == 302
    assert sign_in(new_client(app), CM, new).status_code == 302
    assert admin.post(f"{page}/access", data={"csrf_token": token}).status_code == 302
    assert sign_in(new_client(app), CM, new).status_code == 200
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.actor, e.action) for e in events] == [
            ("admin-all@example.org", "user.set_role"),
            ("admin-all@example.org", "user.reset_password"),
            ("admin-all@example.org", "user.deactivate"),
        ]
    assert re.search(r"user\.deactivate", admin.get("/staff/audit").get_data(as_text=True))


def test_the_last_admin_cannot_deactivate_or_demote_themselves(app, login_as):
    admin = login_as("admin")
    page = f"/staff/admin/users/{_user_id(app, 'admin-all@example.org')}"
    token = csrf_token(admin, page)
    refused = admin.post(f"{page}/access", data={"csrf_token": token})
    assert refused.status_code == 422 and "last active admin" in refused.get_data(as_text=True)
    demoted = admin.post(f"{page}/role", data={"csrf_token": token, "role": "hr"})
    assert demoted.status_code == 422 and "last active admin" in demoted.get_data(as_text=True)
    assert admin.post(f"{page}/access").status_code == 400
    assert admin.get("/staff/admin/users").status_code == 200


def test_a_spanish_admin_reads_why_the_last_admin_stays_in_spanish(app, login_as):
    admin = login_as("admin")
    with app.app_context():
        in_spanish("admin-all@example.org")
    page = f"/staff/admin/users/{_user_id(app, 'admin-all@example.org')}"
    token = csrf_token(admin, page)
    demoted = admin.post(f"{page}/role", data={"csrf_token": token, "role": "hr"})
    assert "no se puede dar a admin-all@example.org el rol hr: es el último administrador" in (
        demoted.get_data(as_text=True)
    )
    refused = admin.post(f"{page}/access", data={"csrf_token": token})
    assert "no se puede desactivar a admin-all@example.org" in refused.get_data(as_text=True)
