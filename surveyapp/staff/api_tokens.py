"""Each staff user's own API tokens: create one (shown once), see them, revoke them.

The token's secret is put in the page that answers the creating POST and nowhere else: not
in the session cookie (a flash message would be), not in a URL, not in the database.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from surveyapp.errors import SurveyappError
from surveyapp.extensions import db
from surveyapp.models import User
from surveyapp.services.api_tokens import (
    NAME_LENGTH,
    IssuedToken,
    create_api_token,
    list_api_tokens,
    revoke_api_token,
)
from surveyapp.services.transaction import atomic
from surveyapp.staff.admin.forms import single_line
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import writes


class CreateTokenForm(FlaskForm):
    """A name that says what the token is for, so it can be recognised and revoked later."""

    name = StringField(
        lazy_gettext("What the token is for"),
        validators=[DataRequired(), Length(max=NAME_LENGTH), single_line],
    )


class RevokeTokenForm(FlaskForm):
    """Revoking is a POST with a CSRF token, so another site cannot revoke by a link."""


def _page(form: CreateTokenForm, issued: IssuedToken | None = None) -> ResponseReturnValue:
    """The tokens page (never cached, as every staff page: it may hold a new token's secret)."""
    tokens = list_api_tokens(db.session, current_user.id)
    body = render_template(
        "staff/api_tokens.html",
        form=form,
        revoke_form=RevokeTokenForm(formdata=None),
        tokens=tokens,
        issued=issued,
    )
    return body, 200


@bp.route("/api-tokens", methods=["GET", "POST"])
@writes
@login_required
def api_tokens() -> ResponseReturnValue:
    """The user's tokens and the form that makes a new one."""
    form = CreateTokenForm()
    if not form.validate_on_submit():
        return _page(form)
    try:
        with atomic():
            user = db.session.get(User, current_user.id)
            issued = create_api_token(db.session, user, form.name.data)
    except SurveyappError as error:
        form.name.errors = [str(error)]
        return _page(form)
    return _page(CreateTokenForm(formdata=None), issued)


# ids fit an INTEGER column; a larger one is a 404, not a database overflow
@bp.post("/api-tokens/<int(max=2147483647):token_id>/revoke")
@writes
@login_required
def revoke_api_token_view(token_id: int) -> ResponseReturnValue:
    """Revoke one of the user's own tokens; anyone else's answers 404."""
    if not RevokeTokenForm().validate_on_submit():
        abort(400, description=gettext("The form has expired; reload the page and try again."))
    try:
        with atomic():
            token = revoke_api_token(db.session, token_id, owner_id=current_user.id)
            name = token.name
    except SurveyappError:
        abort(404)
    flash(gettext("Token “%(name)s” revoked: it no longer works.", name=name), "notice")
    return redirect(url_for("staff.api_tokens"))
