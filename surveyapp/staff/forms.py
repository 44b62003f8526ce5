"""The staff area's forms (Flask-WTF: every POST carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """Email and password; the view answers every failure with one message."""

    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        lazy_gettext("Password"), validators=[DataRequired(), Length(max=1024)]
    )


class LogoutForm(FlaskForm):
    """Sign out by POST, so another site cannot sign a user out with a link."""
