"""Files from the staff area: a unit's PDF brief and HR's literacy export, scope-checked first."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import abort, current_app, request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user

from surveyapp.downloads import private_download
from surveyapp.errors import SurveyappError
from surveyapp.extensions import db
from surveyapp.services.access import (
    DASHBOARD_ROLES,
    EXPORT_ROLES,
    campaign_in_scope,
    unit_in_scope,
)
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import role_required

MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}


@bp.get("/campaigns/<slug>/units/<code>/brief.pdf")
@role_required(*DASHBOARD_ROLES)
def unit_brief(slug: str, code: str) -> ResponseReturnValue:
    """The unit's brief, rendered now from the stored answers, as an attachment; in the
    language asked for (`?lang=es`), else the page's."""
    from surveyapp.briefs.service import unit_brief_pdf

    campaign = campaign_in_scope(db.session, current_user.id, slug)
    unit = unit_in_scope(db.session, current_user.id, campaign, code)
    instruments_dir = current_app.config["SURVEYAPP_INSTRUMENTS_DIR"]
    try:
        language = request.args.get("lang") or str(get_locale())
        pdf, filename = unit_brief_pdf(db.session, campaign, instruments_dir, unit.code, language)
    except SurveyappError as error:
        abort(400, description=str(error))
    return private_download(pdf, "application/pdf", filename)


@bp.get("/campaigns/<slug>/exports/literacy.<fmt>")
@role_required(*EXPORT_ROLES)
def literacy_export(slug: str, fmt: str) -> ResponseReturnValue:
    """HR's literacy export by unit (or per person, where allowed), recorded in the audit trail."""
    from surveyapp.exports.service import LiteracyExport, export_literacy
    from surveyapp.exports.writers import FORMATS
    from surveyapp.services.transaction import atomic

    if fmt not in FORMATS:
        abort(404)
    campaign = campaign_in_scope(db.session, current_user.id, slug)
    per_person = request.args.get("per_person") == "1"
    export = LiteracyExport(fmt, per_person, bom=fmt == "csv" and request.args.get("bom") == "1")
    with tempfile.TemporaryDirectory(prefix="surveyapp-export-") as folder:
        path = Path(folder) / f"literacy.{fmt}"
        try:
            with atomic():
                export_literacy(
                    db.session,
                    campaign,
                    current_app.config["SURVEYAPP_INSTRUMENTS_DIR"],
                    export,
                    path,
                    current_user.email,
                )
        except SurveyappError as error:
            abort(400, description=str(error))
        handle = path.open("rb")  # stays readable after the folder is removed
    kind = "people" if per_person else "units"
    response = send_file(
        handle,
        mimetype=MIMETYPES[fmt],
        as_attachment=True,
        download_name=f"{campaign.slug}-literacy-{kind}.{fmt}",
    )
    return response
