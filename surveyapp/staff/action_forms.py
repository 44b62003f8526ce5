"""The forms of the action-plan pages (Flask-WTF, so each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from surveyapp.briefs.labels import ACTION_STATUS_NAMES
from surveyapp.models import ACTION_STATUSES
from surveyapp.staff.admin.forms import single_line, stripped

STATUS_LABELS = {status: _l(name) for status, name in ACTION_STATUS_NAMES.items()}


def status_choices() -> list[tuple[str, str]]:
    """Every status with its label, in the order an action moves through them."""
    return [(status, str(STATUS_LABELS[status])) for status in ACTION_STATUSES]


class ActionForm(FlaskForm):
    """An action written by hand, or one already in the plan being edited."""

    title = StringField(
        _l("Title"),
        filters=[stripped],
        validators=[DataRequired(_l("Give a title.")), Length(max=200), single_line],
    )
    finding = TextAreaField(_l("The finding it answers"), filters=[stripped])
    owner = SelectField(_l("Owner"), validators=[DataRequired(_l("Choose an owner."))])
    due_on = DateField(_l("Due date"), validators=[DataRequired(_l("Give a due date."))])
    status = SelectField(_l("Status"), choices=status_choices)
    notes = TextAreaField(_l("Notes"), filters=[stripped], validators=[Length(max=10_000)])
    construct = HiddenField()
    owner_role = StringField(_l("Owner role"), filters=[stripped], validators=[Length(max=60)])
    timing = StringField(_l("Timing"), filters=[stripped], validators=[Length(max=60)])


class FromRecommendationForm(FlaskForm):
    """One click: the recommended action `intervention` of `campaign`, into the plan."""

    campaign = HiddenField(validators=[DataRequired()])
    intervention = HiddenField(validators=[DataRequired()])


class UpdateForm(FlaskForm):
    """A dated note on an action, optionally moving its status along."""

    text = TextAreaField(_l("What happened"), filters=[stripped], validators=[Length(max=2000)])
    status = SelectField(_l("New status"), validators=[Optional()])
