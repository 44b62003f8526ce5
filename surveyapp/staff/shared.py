"""Helpers the whole staff blueprint uses: the role guard, writes and uploads, problems placed
on their form fields, and the helpers every template gets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import abort, request
from flask_babel import format_datetime, get_locale
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import Field

from surveyapp.briefs.labels import metric_label
from surveyapp.errors import InputError, Problem
from surveyapp.extensions import csrf, db
from surveyapp.models import Campaign
from surveyapp.services.csv_input import (
    MAX_BYTES,
    CsvRow,
    not_utf8,
    read_csv_text,
    too_large,
)
from surveyapp.services.participation import LOW_PARTICIPATION, RATE_BANDS
from surveyapp.services.transaction import begin_writing
from surveyapp.staff.blueprint import bp

ADMIN_ROLES = ("admin",)
UPLOAD_OVERHEAD = 64 * 1024  # the form's other fields and multipart headers


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed-in users of these roles only; other roles get 404, visitors the login page."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)

        return guarded

    return decorate


def writes(view: Callable[..., Any]) -> Callable[..., Any]:
    """A POST to `view` writes: on SQLite it takes the write lock before its first query."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if request.method == "POST":
            begin_writing()
        return view(*args, **kwargs)

    return wrapped


def uploads(view: Callable[..., Any]) -> Callable[..., Any]:
    """`view` takes a file larger than the app's 1 MB body limit.

    The app-wide CSRF check reads the body before any view could raise the limit, so it is
    skipped here; the view's own form checks the same token before it reads the file.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        request.max_content_length = MAX_BYTES + UPLOAD_OVERHEAD
        return view(*args, **kwargs)

    return csrf.exempt(wrapped)


def place_problems(
    form: FlaskForm, problems: list[Problem], fields: dict[str, Field], key: Callable
) -> None:
    """Show each problem a service found next to the field `key(problem)` names, else on top."""
    for problem in problems:
        field = fields.get(key(problem))
        if field is None:
            form.form_errors.append(problem.reason)
        else:
            field.errors = [*field.errors, problem.reason]


def read_upload(upload: FileStorage, columns: tuple[str, ...]) -> tuple[str, list[CsvRow]]:
    """The uploaded file's name and rows; an error names the file and what is wrong with it."""
    source = (upload.filename or "upload.csv")[:120]
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError([Problem(source, "", too_large(MAX_BYTES))])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError([Problem(source, "", not_utf8(error, "CSV UTF-8"))]) from None
    return source, read_csv_text(text, source, columns)


def campaign_or_404(slug: str) -> Campaign:
    """Any campaign, for an admin; 404 when there is none of that name."""
    return db.first_or_404(sa.select(Campaign).where(Campaign.slug == slug))


@bp.context_processor
def admin_helpers() -> dict:
    """Time in UTC as the forms take it, an outcome metric's name, and whether another
    feature's page is installed."""

    def moment(value: datetime | None) -> str:
        if value is None:
            return ""
        if str(get_locale()) == "en":
            return value.strftime("%Y-%m-%d %H:%M UTC")
        return f"{format_datetime(value, 'd MMM y, HH:mm')} UTC"

    return {
        "moment": moment,
        "metric_label": metric_label,
        "low_participation": LOW_PARTICIPATION,
        "rate_bands": RATE_BANDS,
    }
