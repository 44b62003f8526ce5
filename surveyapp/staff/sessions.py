"""Each staff user's own sign-ins: where they are signed in, and ending any of them at once."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm

from surveyapp.extensions import db
from surveyapp.services.staff_sessions import (
    IDLE_TIMEOUT,
    end_session,
    end_user_sessions,
    live_sessions,
)
from surveyapp.services.transaction import atomic
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import writes


class EndSessionForm(FlaskForm):
    """Ending a session is a POST with a CSRF token, so no other site can do it by a link."""


def _checked_form() -> None:
    if not EndSessionForm().validate_on_submit():
        abort(400, description=gettext("The form has expired; reload the page and try again."))


@bp.get("/sessions")
@login_required
def sessions() -> ResponseReturnValue:
    """The user's live sessions, this one marked, each with a button that ends it."""
    return render_template(
        "staff/sessions.html",
        sessions=live_sessions(db.session, current_user.id),
        current_id=current_user.session_id,
        idle_minutes=int(IDLE_TIMEOUT.total_seconds() // 60),
        form=EndSessionForm(formdata=None),
    )


# ids fit an INTEGER column; a larger one is a 404, not a database overflow
@bp.post("/sessions/<int(max=2147483647):session_id>/end")
@writes
@login_required
def end_session_view(session_id: int) -> ResponseReturnValue:
    """End one of the user's sessions; ending this one signs out here too."""
    _checked_form()
    with atomic():
        ended = end_session(db.session, current_user.id, session_id, "ended by the user")
    if not ended:
        abort(404)
    if session_id == current_user.session_id:
        logout_user()
        session.clear()
        return redirect(url_for("staff.login"))
    flash(gettext("That session has ended: its browser must sign in again."), "notice")
    return redirect(url_for("staff.sessions"))


@bp.post("/sessions/end-others")
@writes
@login_required
def end_other_sessions() -> ResponseReturnValue:
    """End every session of the user but this one (a lost laptop, a shared computer)."""
    _checked_form()
    with atomic():
        count = end_user_sessions(
            db.session, current_user.id, "ended by the user", keep_id=current_user.session_id
        )
    flash(
        ngettext("%(num)s other session ended.", "%(num)s other sessions ended.", count), "notice"
    )
    return redirect(url_for("staff.sessions"))
