"""Signing in and out: argon2 passwords, rate limits, a server-side session, local redirects.

The session cookie names a row of `staff_sessions` by a random secret; every staff request
checks that row before its view runs, so a session ended on the server (sign-out, the
sessions page, an admin's change to the account) is refused at once, copied cookie or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from surveyapp.database import WRITER_OPTION
from surveyapp.extensions import db, limiter, login_manager
from surveyapp.models import AuditEvent
from surveyapp.rate_limits import count, spent
from surveyapp.services.staff_sessions import (
    end_secret,
    live_session,
    seen_is_stale,
    start_session,
    touch_session,
)
from surveyapp.services.transaction import begin_writing
from surveyapp.services.users import authenticate
from surveyapp.staff.blueprint import bp
from surveyapp.staff.forms import LoginForm, LogoutForm

LOGIN_FAILED = lazy_gettext("Email or password is not correct.")
PER_ADDRESS_LIMIT = "20/minute"  # any account: slows one address trying many
# Wrong passwords per account *and* address, in windows that grow: a guesser slows to 5 a
# minute, then 20 an hour, then 50 a day, while the owner elsewhere signs in as usual.
FAILED_SIGN_INS = "5/minute;20/hour;50/day"
SIGNED_IN_BY_PROVIDER = "signed_in_by_provider"  # the cookie's mark for sign-out


@dataclass(frozen=True)
class StaffUser:
    """What Flask-Login keeps of a user for one request; scope is read from the database.

    Flask-Login stores `get_id()` in the cookie: here the session's secret, not the user id,
    so the cookie is worth nothing once its session row has ended.
    """

    id: int
    email: str
    role: str
    session_id: int
    secret: str
    language: str | None = None  # the staff area's language the user chose
    is_active: bool = True
    is_authenticated: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        """What Flask-Login stores in the cookie: the session's secret."""
        return self.secret


@login_manager.user_loader
def load_user(secret: str) -> StaffUser | None:
    """The user of a live session, re-read on every request; anything else is signed out.

    The read is committed before the view runs, so a view that writes can still begin as a
    writer; a use not recorded for a minute is recorded first, in its own write transaction.
    """
    row = live_session(db.session, secret)
    if row is None:
        db.session.rollback()
        return None
    user = StaffUser(row.user.id, row.user.email, row.user.role, row.id, secret, row.user.language)
    stale = seen_is_stale(row)
    db.session.commit()
    if stale:
        db.session.connection(execution_options={WRITER_OPTION: True})
        touch_session(db.session, user.session_id)
        db.session.commit()
    return user


@bp.before_request
def check_session() -> None:
    """Resolve the session before any staff view, outside the transaction the view opens."""
    current_user.is_authenticated  # noqa: B018 (loads the user: the check has effects)


login_manager.login_view = "staff.login"
login_manager.login_message = lazy_gettext("Please sign in to see that page.")


def safe_next(target: str | None) -> str:
    """`target` when it is a path inside this app, else the staff home (docs/security.md C9)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return url_for("staff.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(char) < 32 for char in target):
        return url_for("staff.home")
    return target


def _attempt_key(email: str) -> tuple[str, str, str]:
    """The failed-sign-in limit's key: the account typed, and the address it came from."""
    return ("sign-in", email.strip().lower(), get_remote_address())


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS_LIMIT, methods=["POST"])
def login() -> ResponseReturnValue:
    """Show the form; on a good password start a fresh session and go to `next`.

    An account and address that used up their wrong passwords are refused before the
    password is checked, so further guesses there learn nothing. With local passwords off
    (SURVEYAPP_LOCAL_LOGIN=off) only the break-glass admin's password counts.
    """
    form = LoginForm()
    local_login = current_app.config["SURVEYAPP_LOCAL_LOGIN"]
    if form.validate_on_submit():
        key = _attempt_key(form.email.data or "")
        if spent(FAILED_SIGN_INS, *key):
            abort(429)
        user = authenticate(
            db.session, form.email.data or "", form.password.data or "", not local_login
        )
        if user is not None:
            found = (user.id, user.email, user.role)
            db.session.commit()  # keeps a rehashed password
            begin_writing()
            if not local_login:
                audit_break_glass(user.email)
            open_session(found)
            return redirect(safe_next(request.args.get("next")))
        db.session.rollback()
        count(FAILED_SIGN_INS, *key)
        flash(LOGIN_FAILED, "error")
    elif request.method == "POST":
        flash(LOGIN_FAILED, "error")
    return render_template("staff/login.html", form=form, local_login=local_login), 200


def open_session(found: tuple[int, str, str]) -> None:
    """Start a session for (id, email, role) in the open write transaction, commit it, and
    give the browser a fresh cookie naming it (nothing from before sign-in is kept)."""
    started = start_session(db.session, found[0], request.headers.get("User-Agent", ""))
    db.session.commit()
    session.clear()
    login_user(StaffUser(*found, *started))
    session.permanent = True


def audit_break_glass(email: str) -> None:
    """Local passwords are off and the break-glass admin used theirs: everyone should know."""
    db.session.add(AuditEvent(actor=email, action="user.break_glass_sign_in", row_count=1))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out and drop everything the session held; after a sign-in through the identity
    provider, go on to sign out there too (RP-initiated logout, staff/oidc.py)."""
    form = LogoutForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        begin_writing()
        end_secret(db.session, current_user.secret, "signed out")
        db.session.commit()
        logout_user()
    through_provider = session.get(SIGNED_IN_BY_PROVIDER, False)
    session.clear()
    return redirect(url_for("staff.sso_logout" if through_provider else "staff.login"))
