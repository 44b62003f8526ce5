"""The staff area's language switch: each user's choice is kept on their account.

Respondent pages keep their own rule (link, draft, browser); the choice here applies only to
the staff pages and to the briefs a user downloads without naming a language.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from surveyapp.extensions import db
from surveyapp.i18n import LANGUAGE_NAMES
from surveyapp.services.transaction import atomic
from surveyapp.services.users import set_language
from surveyapp.staff.auth import safe_next
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import writes


class LanguageForm(FlaskForm):
    """A POST with a CSRF token, so no other site can change a user's language by a link."""

    language = SelectField(
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validators=[DataRequired()],
    )
    next = HiddenField()


def language_form() -> LanguageForm:
    """The header's switch, showing the language this page is in."""
    form = LanguageForm(formdata=None, next=request.full_path.rstrip("?"))
    form.language.data = current_user.language if current_user.is_authenticated else None
    return form


@bp.post("/language")
@writes
@login_required
def choose_language() -> ResponseReturnValue:
    """Keep the chosen language and go back to the page the switch was on."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400, description="Choose English or Español.")
    with atomic():
        set_language(
            db.session, current_user.id, form.language.data, current_app.config["SURVEYAPP_LOCALES"]
        )
    with force_locale(form.language.data):
        flash(gettext("The staff area is now in English."), "notice")
    return redirect(safe_next(form.next.data))
