"""The admin pages' forms (Flask-WTF, so each carries a CSRF token); the services judge the rest."""

from __future__ import annotations

import re
import unicodedata
from typing import ClassVar

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from surveyapp.models.campaigns import (
    DEFAULT_MIN_COMMENT_GROUP,
    DEFAULT_MIN_GROUP,
    MIN_GROUP_FLOOR,
    PRIVACY_MODES,
)
from surveyapp.models.org import CODE_PATTERN
from surveyapp.services.campaign_words import parse_names_and_descriptions
from surveyapp.services.campaigns import SLUG_PATTERN

CODE_RULE = lazy_gettext("letters, digits, . _ - (up to 40, starting with a letter or digit)")
MODE_CHOICES = [
    SelectChoice(PRIVACY_MODES[0], lazy_gettext("Anonymous: no answer can be linked to a person")),
    SelectChoice(
        PRIVACY_MODES[1], lazy_gettext("Confidential: per-person results for those who consent")
    ),
]


def stripped(value: str | None) -> str | None:
    """Text as typed, without the spaces around it (as the CSV imports read cells)."""
    return value.strip() if isinstance(value, str) else value


def single_line(form: FlaskForm, field: Field) -> None:
    """A name is one line of printable text: a control character is a paste gone wrong (and a
    NUL is one PostgreSQL cannot store)."""
    if any(unicodedata.category(char) == "Cc" for char in field.data or ""):
        raise ValidationError(lazy_gettext("Use printable characters only, on one line."))


def _name() -> StringField:
    return StringField(
        lazy_gettext("Name"),
        filters=[stripped],
        validators=[
            DataRequired(lazy_gettext("Give a name.")),
            Length(max=200, message=lazy_gettext("200 at most.")),
            single_line,
        ],
    )


def _code(label: str) -> StringField:
    return StringField(
        label,
        filters=[stripped],
        validators=[
            DataRequired(lazy_gettext("Give a code.")),
            Regexp(CODE_PATTERN, message=lazy_gettext("Use %(rule)s.", rule=CODE_RULE)),
        ],
    )


def _parent_code() -> StringField:
    """The parent typed by its code (a list of 100,000 units would be no use); the import
    service then checks that it exists and makes no loop."""
    return StringField(
        lazy_gettext("Parent unit's code"),
        filters=[stripped],
        validators=[
            Optional(),
            Regexp(CODE_PATTERN, message=lazy_gettext("Use %(rule)s.", rule=CODE_RULE)),
        ],
    )


class UnitForm(FlaskForm):
    """A new unit, or (with `code` fixed by the page) a unit renamed or moved."""

    code = _code(lazy_gettext("Code"))
    name = _name()
    parent_code = _parent_code()


class UnitEditForm(FlaskForm):
    """Rename a unit or move it under another parent; its code is how files name it, so fixed."""

    name = _name()
    parent_code = _parent_code()


class CsvUploadForm(FlaskForm):
    """A CSV file to import: all rows or none."""

    file = FileField(
        lazy_gettext("CSV file (UTF-8)"),
        validators=[
            FileRequired(lazy_gettext("Choose a CSV file.")),
            FileAllowed(["csv"], lazy_gettext("Choose a file ending in .csv.")),
        ],
    )


class FunctionForm(FlaskForm):
    """A business function that roster files can name by its code."""

    code = _code(lazy_gettext("Code"))
    name = _name()


def unit_codes(text: str | None) -> list[str]:
    """The codes typed in a units field, separated by commas or spaces (as the CLI's
    `--units`, which takes commas)."""
    return [code for code in re.split(r"[\s,]+", text or "") if code]


def codes_or_all(units: StringField, all_units: BooleanField, everything: str) -> None:
    """Either unit codes or the tick for all of them, as the CLI's `--units`/`--all-units`."""
    if bool(unit_codes(units.data)) == bool(all_units.data):
        raise ValidationError(
            gettext("Give unit codes or tick %(box)s (one of the two).", box=everything)
        )


def _units_field() -> StringField:
    """The target units typed by their codes: a checkbox per unit would make a page of
    100,000 units; the campaign service names each unknown code."""
    return StringField(
        lazy_gettext("Target units' codes"),
        filters=[stripped],
        validators=[Length(max=40_000, message=lazy_gettext("40,000 characters at most."))],
    )


class RequiredIfSent:
    """Required when the page sent the field; skipped when it did not (it showed a fixed value)."""

    field_flags: ClassVar[dict[str, bool]] = {"optional": True}

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not field.raw_data:
            field.errors[:] = []
            raise StopValidation()
        if not str(field.raw_data[0]).strip():
            raise StopValidation("Give a number.")


def _group(label: str, default: int, required: bool = False) -> IntegerField:
    return IntegerField(
        label,
        default=default,
        validators=[
            InputRequired(lazy_gettext("Give a number.")) if required else RequiredIfSent(),
            NumberRange(min=MIN_GROUP_FLOOR, message=f"It cannot be below {MIN_GROUP_FLOOR}."),
        ],
    )


class CampaignEditForm(FlaskForm):
    """What an admin may change: privacy and group fields are left out once it has opened."""

    name = _name()
    names = TextAreaField(
        lazy_gettext("Name in other languages"),
        validators=[Length(max=5_000, message=lazy_gettext("5,000 characters at most."))],
    )
    descriptions = TextAreaField(
        lazy_gettext("Description shown under the welcome, per language"),
        validators=[Length(max=20_000, message=lazy_gettext("20,000 characters at most."))],
    )

    def words(self, offered: list[str]) -> dict[str, dict[str, str]]:
        """The names and descriptions typed per language, as the campaign services take them;
        an InputError names each bad line (as `--name-in` and `--description` problems)."""
        names = (self.names.data or "").splitlines()
        descriptions = (self.descriptions.data or "").splitlines()
        return parse_names_and_descriptions(names, descriptions, offered)

    units = _units_field()
    mode = RadioField(lazy_gettext("Privacy mode"), choices=MODE_CHOICES, validators=[Optional()])
    min_group_size = _group(lazy_gettext("Minimum group size"), DEFAULT_MIN_GROUP)
    min_comment_group_size = _group(
        lazy_gettext("Minimum group size for comments"), DEFAULT_MIN_COMMENT_GROUP
    )
    opens = DateField(lazy_gettext("Opens on"), validators=[Optional()])
    closes = DateField(lazy_gettext("Closes on"), validators=[Optional()])


class CampaignForm(CampaignEditForm):
    """A new campaign: its slug and instrument versions too, every privacy field required."""

    slug = StringField(
        lazy_gettext("Slug (used in links and file names)"),
        filters=[stripped],
        validators=[
            DataRequired(lazy_gettext("Give a slug.")),
            Regexp(SLUG_PATTERN, message=lazy_gettext("Use a-z, 0-9 and -, 2 to 63 characters.")),
        ],
    )
    instruments = SelectMultipleField(
        lazy_gettext("Instruments"),
        choices=[],
        validators=[DataRequired(lazy_gettext("Choose at least one instrument."))],
    )
    mode = RadioField(
        lazy_gettext("Privacy mode"),
        choices=MODE_CHOICES,
        default=PRIVACY_MODES[0],
        validators=[DataRequired(lazy_gettext("Choose a privacy mode."))],
    )
    min_group_size = _group(lazy_gettext("Minimum group size"), DEFAULT_MIN_GROUP, required=True)
    min_comment_group_size = _group(
        lazy_gettext("Minimum group size for comments"), DEFAULT_MIN_COMMENT_GROUP, required=True
    )
    all_units = BooleanField(
        lazy_gettext("All units: the whole organisation (leave the codes empty)")
    )

    def validate_units(self, field: StringField) -> None:
        codes_or_all(field, self.all_units, gettext("all units"))

    def validate_instruments(self, field: SelectMultipleField) -> None:
        """Two versions of one instrument would ask the same questions twice."""
        slugs = [reference.partition("@")[0] for reference in field.data or []]
        if len(set(slugs)) != len(slugs):
            raise ValidationError(lazy_gettext("Choose one version of each instrument."))


class ActionForm(FlaskForm):
    """A button that changes something (open now, issue invitations): the CSRF token only."""


class CloseForm(FlaskForm):
    """Closing deletes unsubmitted drafts, so the admin confirms it."""

    confirm = BooleanField(
        lazy_gettext("Close it: people who have not submitted lose their saved answers"),
        validators=[DataRequired(lazy_gettext("Tick this box to close the campaign."))],
    )


class LinksForm(FlaskForm):
    """Download every personal link again, or only those of people who have not submitted."""

    unsubmitted = BooleanField(lazy_gettext("Only people who have not submitted (for a reminder)"))


class OpenLinksForm(FlaskForm):
    """Open links for units typed by code, or for every unit the campaign surveys."""

    units = StringField(
        lazy_gettext("Units' codes"),
        filters=[stripped],
        validators=[Length(max=40_000, message=lazy_gettext("40,000 characters at most."))],
    )
    all_units = BooleanField(
        lazy_gettext("Every unit the campaign surveys, sub-units too (leave the codes empty)")
    )

    def validate_units(self, field: StringField) -> None:
        codes_or_all(field, self.all_units, gettext("every unit"))


class RetireForm(FlaskForm):
    """Retiring stops a poster that may still hang on a wall, so the admin confirms it."""

    confirm = BooleanField(
        lazy_gettext(
            "Retire it: the link and its QR code stop taking answers, unfinished answers included"
        ),
        validators=[DataRequired(lazy_gettext("Tick this box to retire the link."))],
    )
