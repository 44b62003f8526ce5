"""The respondent's forms, built per page from the campaign's questions (Flask-WTF, CSRF on).

Answers are checked by `Question.parse`, the same rule the response import applies, so an
answer means the same thing whether typed on a phone or imported from a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from surveyapp.i18n import FUNCTION_NAMES, LEVEL_NAMES
from surveyapp.models import LEVELS, Function
from surveyapp.services.layout import DEFAULT_TEXT_LIMIT, DONT_KNOW, AnswerValue, Question
from surveyapp.services.survey_pages import SurveyPage, localized

EMAIL_SHAPE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"  # enough to catch a typo; the server judges the rest


class CheckboxesField(SelectMultipleField):
    """Several options ticked at once, one checkbox each."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AnswerCheck:
    """Required questions need an answer; every answer must parse for its question."""

    def __init__(self, question: Question) -> None:
        self.question = question

    def __call__(self, form: FlaskForm, field: Field) -> None:
        raw = raw_answer(field.data)
        if raw is None:
            if self.question.item.required:
                raise StopValidation(gettext("Please answer this question."))
            field.errors[:] = []
            raise StopValidation()
        try:
            self.question.parse(raw)
        except ValueError:
            if self.question.item.type == "text":
                raise ValidationError(
                    gettext(
                        "Please shorten your comment to %(limit)s characters (it has %(length)s).",
                        limit=text_limit(self.question),
                        length=len(raw),
                    )
                ) from None
            raise ValidationError(gettext("Please choose one of the options.")) from None


SUMMARY_TEXT_LENGTH = 70  # characters of a question's text the error summary repeats


@dataclass(frozen=True)
class ErrorEntry:
    """One line of the error summary: which question (its number on the page and the start
    of its text), what is wrong, and the anchor of the message beside it."""

    number: int
    text: str
    message: str
    anchor: str


def shortened(text: str, limit: int = SUMMARY_TEXT_LENGTH) -> str:
    """`text`, cut at a word before `limit` characters with an ellipsis when longer."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut.rstrip(' ,.;:')}…"


def error_entries(form: FlaskForm) -> list[ErrorEntry]:
    """The summary of a refused form: each question with a problem, in page order, numbered
    as the page shows them, so a respondent knows which one without reading every message."""
    questions = [field for field in form if field.type not in ("HiddenField", "CSRFTokenField")]
    return [
        ErrorEntry(number, shortened(str(field.label.text)), field.errors[0], f"{field.id}-error")
        for number, field in enumerate(questions, start=1)
        if field.errors
    ]


def raw_answer(data: Any) -> str | None:
    """A field's data as the text `Question.parse` reads, or None when nothing was given."""
    if isinstance(data, list):
        return ";".join(data) or None
    if data is None or not str(data).strip():
        return None
    return str(data)


def field_name(question: Question) -> str:
    """Form field names stay short and opaque; the item id is unique within a campaign."""
    return f"q{question.item.id}"


def text_limit(question: Question) -> int:
    return question.item.max_length or DEFAULT_TEXT_LIMIT


def _choices(question: Question, locale: str) -> list[SelectChoice]:
    """The options of a choice question (Likert points, or the item's options) in `locale`."""
    item = question.item
    if item.type == "likert":
        labels = localized(item.response_scale.labels, locale)
        choices = [SelectChoice(str(point), text) for point, text in enumerate(labels, start=1)]
    else:
        choices = [
            SelectChoice(option["id"], localized(option["text"], locale))
            for option in item.options or []
        ]
    if item.dont_know:
        label = (
            gettext("I don't know")
            if item.type == "knowledge"
            else gettext("Don't know / not applicable")
        )
        choices.append(SelectChoice(DONT_KNOW, label))
    return choices


def _field(question: Question, locale: str) -> Field:
    """The WTForms field that asks `question`; choice checks are left to `AnswerCheck`."""
    item = question.item
    label = localized(item.text, locale)
    validators = [AnswerCheck(question)]
    if item.type == "text":
        return TextAreaField(label, validators=validators)
    choices = _choices(question, locale)
    if item.type == "multi":
        return CheckboxesField(label, choices=choices, validate_choice=False, validators=validators)
    return RadioField(label, choices=choices, validate_choice=False, validators=validators)


OptionMarkup = tuple[str, str, str]  # the value, the input up to its flags, and the rest


def _option_markup(question: Question, locale: str) -> list[OptionMarkup]:
    """Each option's input and label as escaped HTML, less the checked and autofocus flags."""
    name = field_name(question)
    kind = "checkbox" if question.item.type == "multi" else "radio"
    return [
        (
            choice.value,
            f'<label class="option{" dont-know" if choice.value == DONT_KNOW else ""}">'
            f'<input id="{name}-{index}" name="{name}" '
            f'type="{kind}" value="{escape(choice.value)}"',
            f"> <span>{escape(choice.label)}</span></label>",
        )
        for index, choice in enumerate(_choices(question, locale))
    ]


class PageForm(FlaskForm):
    """A page's form; its subclasses (one per page and language) add the questions' fields.

    The options' HTML is written once per subclass: a page shows up to forty inputs, and
    writing each through the template cost a third of the request. The CSRF token is checked
    once, by CSRFProtect before any view runs, so the form does not check it again.
    """

    class Meta:
        csrf = False

    lang = HiddenField()
    option_markup: ClassVar[dict[str, list[OptionMarkup]]] = {}

    def options(self, field: Field, autofocus: bool) -> Markup:
        """The field's option inputs, the saved or posted answers checked."""
        chosen = field.data if isinstance(field.data, list) else [field.data]
        return Markup(
            "\n".join(
                f"{head}{' checked' if value in chosen else ''}"
                f"{' autofocus' if autofocus and index == 0 else ''}{tail}"
                for index, (value, head, tail) in enumerate(self.option_markup[field.name])
            )
        )


# Per page object (pages live in the process's survey plans), the form class per language.
_form_classes: WeakKeyDictionary[SurveyPage, dict[str, type[PageForm]]] = WeakKeyDictionary()


def _page_form_class(page: SurveyPage, locale: str) -> type[PageForm]:
    """The form class of a page in a language, made once per page and language."""
    by_locale = _form_classes.setdefault(page, {})
    form_class = by_locale.get(locale)
    if form_class is None:
        fields = {field_name(question): _field(question, locale) for question in page.questions}
        markup = {
            field_name(question): _option_markup(question, locale)
            for question in page.questions
            if question.item.type != "text"
        }
        form_class = type("PageForm", (PageForm,), {**fields, "option_markup": markup})
        by_locale[locale] = form_class
    return form_class


def page_form(page: SurveyPage, locale: str, saved: dict[str, AnswerValue]) -> PageForm:
    """A form for one page, filled from the draft's saved answers (or the posted data)."""
    data: dict[str, Any] = {"lang": locale}
    for question in page.questions:
        value = saved.get(question.column)
        if value is not None:
            data[field_name(question)] = value if isinstance(value, list) else str(value)
    return _page_form_class(page, locale)(data=data)


def page_answers(form: FlaskForm, page: SurveyPage) -> dict[str, AnswerValue]:
    """The page's answers that are valid, by column; invalid or empty ones are left out."""
    answers: dict[str, AnswerValue] = {}
    for question in page.questions:
        raw = raw_answer(form[field_name(question)].data)
        if raw is None:
            continue
        try:
            answers[question.column] = question.parse(raw)
        except ValueError:
            continue
    return answers


class StartForm(FlaskForm):
    """The first page of a personal link: the language, and consent where it is asked."""

    lang = HiddenField()
    consent = BooleanField(
        lazy_gettext(
            "I agree that HR may see my own AI-literacy results, to suggest training for me."
        )
    )


class OpenStartForm(FlaskForm):
    """The first page of an open link: the respondent says where they work."""

    lang = HiddenField()
    function = RadioField(
        lazy_gettext("Which function do you work in?"),
        validate_choice=True,
        invalid_choice_message=lazy_gettext("Please choose your function."),
    )
    level = RadioField(
        lazy_gettext("What is your role?"),
        choices=[SelectChoice(level, LEVEL_NAMES[level]) for level in LEVELS],
        validate_choice=True,
        invalid_choice_message=lazy_gettext("Please choose your role."),
    )


def open_start_form(functions: list[Function], locale: str) -> OpenStartForm:
    """The open-link start form, offering the organisation's functions by name."""
    form = OpenStartForm(data={"lang": locale})
    form.function.choices = [
        SelectChoice(function.code, FUNCTION_NAMES.get(function.code, function.name))
        for function in functions
    ]
    return form


def _mail_header_address(_form: FlaskForm, field: StringField) -> None:
    """The address must be one an email's To header can carry: the standard library's
    parser refuses some (and fails on others, e.g. `a@[b.c`, with errors of its own)."""
    try:
        Address(addr_spec=field.data)
    except Exception:  # any failure of the parser means an address no header can carry
        raise ValidationError(gettext("Please type a whole email address.")) from None


class ResumeMailForm(FlaskForm):
    """An address to send an open-link draft's own link to; used once, never stored."""

    email = StringField(
        lazy_gettext("Your email address"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(lazy_gettext("Please type an email address.")),
            Length(max=254, message=lazy_gettext("Please type an email address.")),
            Regexp(EMAIL_SHAPE, message=lazy_gettext("Please type a whole email address.")),
            _mail_header_address,
        ],
    )
