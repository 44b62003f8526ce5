"""Admin pages for staff accounts: the list, and one user's role, units, access and password.

The pages call the same services as `surveyapp users ...`, so the rules hold either way:
every change is audited, a change that alters access ends the user's sessions, and the last
active admin cannot be deactivated or demoted.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from surveyapp.errors import InputError, SurveyappError
from surveyapp.extensions import db
from surveyapp.i18n import ROLE_NAMES
from surveyapp.models import ROLES, User
from surveyapp.services.transaction import atomic
from surveyapp.services.users import (
    activate_user,
    count_users,
    deactivate_user,
    list_users,
    reset_password,
    set_role,
)
from surveyapp.staff.admin.forms import stripped, unit_codes
from surveyapp.staff.blueprint import bp
from surveyapp.staff.paging import paging
from surveyapp.staff.shared import ADMIN_ROLES, place_problems, role_required, writes

PAGE_SIZE = 50
USER_ID = "<int(max=2147483647):user_id>"  # ids fit an INTEGER column; larger ones are 404


class RoleForm(FlaskForm):
    """A role and, for a change manager, the codes of the units they see."""

    role = SelectField(
        lazy_gettext("Role"), choices=[SelectChoice(role, ROLE_NAMES[role]) for role in ROLES]
    )
    units = StringField(
        lazy_gettext("Units (change managers only)"),
        filters=[stripped],
        validators=[Length(max=4000, message=lazy_gettext("4,000 characters at most."))],
    )


class AccessForm(FlaskForm):
    """Deactivate or activate: a POST with a CSRF token, never a link."""


class PasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(
        lazy_gettext("New password"),
        validators=[
            DataRequired(lazy_gettext("Type a password.")),
            Length(max=1024, message=lazy_gettext("Too long.")),
        ],
    )
    confirm = PasswordField(
        lazy_gettext("The same password again"),
        validators=[EqualTo("password", lazy_gettext("The two do not match."))],
    )


@bp.get("/admin/users")
@role_required(*ADMIN_ROLES)
def admin_users() -> ResponseReturnValue:
    """Every staff user, a page at a time, with their role, units and state."""
    shown = paging(count_users(db.session), PAGE_SIZE)
    users = list_users(db.session, shown.offset, PAGE_SIZE)
    return render_template("staff/admin/users.html", users=users, shown=shown)


def _user_page(
    user: User,
    role_form: RoleForm | None = None,
    password_form: PasswordForm | None = None,
    access_error: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """One user's page, with whichever form was sent shown as it came back."""
    codes = ", ".join(unit.code for unit in user.units)
    return render_template(
        "staff/admin/user.html",
        user=user,
        role_form=role_form or RoleForm(formdata=None, data={"role": user.role, "units": codes}),
        password_form=password_form or PasswordForm(formdata=None),
        access_form=AccessForm(formdata=None),
        access_error=access_error,
    ), status


@bp.get(f"/admin/users/{USER_ID}")
@role_required(*ADMIN_ROLES)
def admin_user(user_id: int) -> ResponseReturnValue:
    """One user: change their role or units, deactivate or activate them, set a password."""
    return _user_page(db.get_or_404(User, user_id))


def _refused(form: FlaskForm, error: SurveyappError) -> None:
    """Put a service's refusal next to the field it names, or on top of the form."""
    if isinstance(error, InputError):
        fields = {"role": form["role"], "units": form["units"]} if "role" in form else {}
        fields |= {"password": form["password"]} if "password" in form else {}
        place_problems(form, error.problems, fields, lambda problem: problem.field)
    else:
        form.form_errors.append(str(error))


@bp.post(f"/admin/users/{USER_ID}/role")
@writes
@role_required(*ADMIN_ROLES)
def admin_user_role(user_id: int) -> ResponseReturnValue:
    """Set the user's role and units; their sessions end."""
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate():
        try:
            with atomic():
                set_role(db.session, user, form.role.data, unit_codes(form.units.data), _actor())
        except SurveyappError as error:
            _refused(form, error)
        else:
            flash(
                gettext(
                    "%(email)s is now %(role)s.",
                    email=user.email,
                    role=ROLE_NAMES.get(user.role, user.role),
                ),
                "notice",
            )
            return redirect(url_for("staff.admin_user", user_id=user_id))
    return _user_page(db.get_or_404(User, user_id), role_form=form, status=422)


@bp.post(f"/admin/users/{USER_ID}/access")
@writes
@role_required(*ADMIN_ROLES)
def admin_user_access(user_id: int) -> ResponseReturnValue:
    """Deactivate an active user, or activate a deactivated one."""
    user = db.get_or_404(User, user_id)
    if not AccessForm().validate():
        return _user_page(user, access_error="The form has expired: reload the page.", status=400)
    change = deactivate_user if user.active else activate_user
    try:
        with atomic():
            change(db.session, user, _actor())
    except SurveyappError as error:
        return _user_page(db.get_or_404(User, user_id), access_error=str(error), status=422)
    user = db.get_or_404(User, user_id)
    flash(
        gettext("%(email)s activated.", email=user.email)
        if user.active
        else gettext("%(email)s deactivated.", email=user.email),
        "notice",
    )
    if user.id == current_user.id and not user.active:
        return redirect(url_for("staff.login"))
    return redirect(url_for("staff.admin_user", user_id=user_id))


@bp.post(f"/admin/users/{USER_ID}/password")
@writes
@role_required(*ADMIN_ROLES)
def admin_user_password(user_id: int) -> ResponseReturnValue:
    """Set a new password; every session of the user ends (this one too, if it is theirs)."""
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate():
        try:
            with atomic():
                reset_password(db.session, user, form.password.data, _actor())
        except SurveyappError as error:
            _refused(form, error)
        else:
            flash(gettext("New password set; the user's sessions have ended."), "notice")
            return redirect(url_for("staff.admin_user", user_id=user_id))
    return _user_page(db.get_or_404(User, user_id), password_form=form, status=422)


def _actor() -> str:
    """How the audit trail names the admin making the change."""
    return current_user.email
