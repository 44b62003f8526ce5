"""Signing in and out: argon2 passwords, rate limits, a fresh session, local redirects only."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from surveyapp.extensions import db, limiter, login_manager
from surveyapp.models import User
from surveyapp.services.users import authenticate
from surveyapp.staff.blueprint import bp
from surveyapp.staff.forms import LoginForm, LogoutForm

LOGIN_FAILED = "Email or password is not correct."
PER_ADDRESS_LIMIT = "20/minute"
PER_ACCOUNT_LIMIT = "5/minute"


@dataclass(frozen=True)
class StaffUser:
    """What Flask-Login keeps of a user for one request; scope is read from the database."""

    id: int
    email: str
    role: str
    is_active: bool = True
    is_authenticated: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        """The id Flask-Login stores in the session."""
        return str(self.id)


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """The signed-in user, re-read on every request: a deactivated user is signed out."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active:
        return None
    return StaffUser(user.id, user.email, user.role)


login_manager.login_view = "staff.login"
login_manager.login_message = "Please sign in to see that page."


def safe_next(target: str | None) -> str:
    """`target` when it is a path inside this app, else the staff home (security.md C9)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return url_for("staff.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(char) < 32 for char in target):
        return url_for("staff.home")
    return target


def _submitted_account() -> str:
    """The per-account limit's key: the email typed into the form."""
    return "login:" + request.form.get("email", "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS_LIMIT, methods=["POST"])
@limiter.limit(PER_ACCOUNT_LIMIT, key_func=_submitted_account, methods=["POST"])
def login() -> ResponseReturnValue:
    """Show the form; on a good password start a fresh session and go to `next`."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is not None:
            db.session.commit()  # keeps a rehashed password
            target = safe_next(request.args.get("next"))
            session.clear()
            login_user(StaffUser(user.id, user.email, user.role))
            session.permanent = True
            return redirect(target)
        db.session.rollback()
        flash(LOGIN_FAILED, "error")
    elif request.method == "POST":
        flash(LOGIN_FAILED, "error")
    return render_template("staff/login.html", form=form), 200


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out and drop everything the session held."""
    form = LogoutForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        logout_user()
    session.clear()
    return redirect(url_for("staff.login"))
