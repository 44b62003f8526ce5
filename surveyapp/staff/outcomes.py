"""The admin page that imports outcome metrics, the same import as `surveyapp outcomes import`."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from surveyapp.errors import InputError, Problem
from surveyapp.extensions import db
from surveyapp.services.outcomes import (
    OUTCOME_COLUMNS,
    import_outcomes,
    metric_names,
    value_count,
)
from surveyapp.services.transaction import atomic
from surveyapp.staff.admin.forms import CsvUploadForm
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import ADMIN_ROLES, read_upload, role_required, uploads, writes


@bp.route("/admin/outcomes", methods=["GET", "POST"])
@uploads
@writes
@role_required(*ADMIN_ROLES)
def admin_outcomes() -> ResponseReturnValue:
    """The metrics already imported and the upload that adds or replaces values."""
    upload = CsvUploadForm()
    problems: list[Problem] | None = None
    if request.method == "POST" and upload.validate():
        try:
            with atomic():
                source, rows = read_upload(upload.file.data, OUTCOME_COLUMNS)
                summary = import_outcomes(db.session, rows, source)
        except InputError as error:
            problems = error.problems
        else:
            flash(
                gettext("Outcome values imported from %(source)s: %(summary)s.")
                % {"source": source, "summary": summary},
                "notice",
            )
            return redirect(url_for("staff.admin_outcomes"))
    return render_template(
        "staff/actions/outcomes.html",
        upload=upload,
        problems=problems,
        values=value_count(db.session),
        metrics=metric_names(db.session),
        columns=OUTCOME_COLUMNS,
    ), 422 if request.method == "POST" else 200
