"""Staff pages for AI-literacy evidence: the AI systems inventory and the measures (admins,
by CSV upload, the same imports as the CLI), and the evidence pack download (admins and HR).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.errors import InputError, Problem, SurveyappError
from surveyapp.evidence.inputs import literacy_campaigns
from surveyapp.evidence.words import KINDS, TIERS, measure_targets
from surveyapp.extensions import db
from surveyapp.i18n import FUNCTION_NAMES, LEVEL_NAMES
from surveyapp.language import current_language
from surveyapp.models import EvidenceBuild, OrgUnit
from surveyapp.services.access import EXPORT_ROLES
from surveyapp.services.ai_systems import AI_SYSTEM_COLUMNS, import_ai_systems, inventory
from surveyapp.services.csv_input import CsvRow
from surveyapp.services.measures import (
    CATALOGUE_COLUMNS,
    COMPLETION_COLUMNS,
    catalogue,
    import_catalogue,
    import_completions,
)
from surveyapp.services.transaction import atomic
from surveyapp.staff.admin.forms import CsvUploadForm
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import ADMIN_ROLES, read_upload, role_required, uploads, writes

Importer = Callable[[Any, list[CsvRow], str], Any]
RECENT_BUILDS = 20
# The codes the inventory and catalogue hold, as the pages name them.
WORDS = {
    "tiers": TIERS,
    "kinds": KINDS,
    "level_names": LEVEL_NAMES,
    "function_names": FUNCTION_NAMES,
    "measure_targets": measure_targets,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import(
    upload: CsvUploadForm, columns: tuple[str, ...], importer: Importer, what: str
) -> list[Problem] | None:
    """Import an uploaded file whole, flashing the summary; the problems if it was refused."""
    try:
        with atomic():
            source, rows = read_upload(upload.file.data, columns)
            summary = importer(db.session, rows, source)
    except InputError as error:
        return error.problems
    flash(
        _(
            "%(what)s imported from %(source)s: %(summary)s.",
            what=what,
            source=source,
            summary=summary,
        ),
        "notice",
    )
    return None


@bp.route("/admin/ai-systems", methods=["GET", "POST"])
@uploads
@writes
@role_required(*ADMIN_ROLES)
def admin_ai_systems() -> ResponseReturnValue:
    """The AI systems in use and the upload that replaces the inventory (`aisystems import`)."""
    upload = CsvUploadForm()
    problems = None
    if request.method == "POST" and upload.validate():
        problems = _import(upload, AI_SYSTEM_COLUMNS, import_ai_systems, _("AI systems"))
        if problems is None:
            return redirect(url_for("staff.admin_ai_systems"))
    page = render_template(
        "staff/evidence/ai_systems.html",
        upload=upload,
        problems=problems,
        systems=inventory(db.session),
        columns=AI_SYSTEM_COLUMNS,
        **WORDS,
    )
    return page, 422 if request.method == "POST" else 200


@bp.route("/admin/measures", methods=["GET", "POST"])
@uploads
@writes
@role_required(*ADMIN_ROLES)
def admin_measures() -> ResponseReturnValue:
    """The measures catalogue, and the uploads of completions (`measures import`) and of the
    catalogue itself (`measures catalogue`); `?file=catalogue` picks the second."""
    completions_form, catalogue_form = CsvUploadForm(), CsvUploadForm(prefix="catalogue")
    of_catalogue = request.args.get("file") == "catalogue"
    upload = catalogue_form if of_catalogue else completions_form
    problems = None
    if request.method == "POST" and upload.validate():
        if of_catalogue:
            problems = _import(upload, CATALOGUE_COLUMNS, import_catalogue, _("Catalogue"))
        else:
            problems = _import(upload, COMPLETION_COLUMNS, import_completions, _("Completions"))
        if problems is None:
            return redirect(url_for("staff.admin_measures"))
    page = render_template(
        "staff/evidence/measures.html",
        completions_form=completions_form,
        catalogue_form=catalogue_form,
        problems=problems,
        entries=catalogue(db.session),
        completion_columns=COMPLETION_COLUMNS,
        catalogue_columns=CATALOGUE_COLUMNS,
        **WORDS,
    )
    return page, 422 if request.method == "POST" else 200


@bp.get("/evidence")
@role_required(*EXPORT_ROLES)
def evidence_page() -> ResponseReturnValue:
    """The evidence pack's form (scope and day) and the builds made so far."""
    builds = db.session.scalars(
        sa.select(EvidenceBuild).order_by(EvidenceBuild.built_at.desc()).limit(RECENT_BUILDS)
    ).all()
    units = db.session.execute(sa.select(OrgUnit.code, OrgUnit.name).order_by(OrgUnit.code)).all()
    return render_template(
        "staff/evidence/pack.html",
        builds=builds,
        units=units,
        waves=list(reversed(literacy_campaigns(db.session, date.today()))),
        today=date.today().isoformat(),
    )


@bp.post("/evidence/pack.zip")
@writes
@role_required(*EXPORT_ROLES)
def evidence_pack() -> ResponseReturnValue:
    """Build the pack now (audited, with the user as its author) in the language asked for
    (`?lang=es`), else the user's, and once that is committed send its PDF and XLSX in one ZIP
    file made in memory (nothing is written to disk)."""
    from surveyapp.evidence.pack import build_pack

    unit = request.form.get("unit") or None
    try:
        as_of = date.fromisoformat(request.form.get("as_of") or date.today().isoformat())
    except ValueError:
        abort(400, description=_("The evidence day must be a date such as 2026-03-01."))
    try:
        with atomic():
            pack = build_pack(
                db.session,
                current_app.config["SURVEYAPP_INSTRUMENTS_DIR"],
                current_user.email,
                unit,
                as_of,
                request.form.get("campaign") or None,
                request.values.get("lang") or current_language(),
            )
    except SurveyappError as error:
        abort(400, description=str(error))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(pack.pdf_name, pack.pdf)
        archive.writestr(pack.xlsx_name, pack.xlsx)
    response = current_app.response_class(stream.getvalue(), mimetype="application/zip")
    name = pack.pdf_name.removesuffix(".pdf") + ".zip"
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@bp.get("/campaigns/<slug>/evidence/tracks.xlsx")
@role_required("hr")
def evidence_tracks(slug: str) -> ResponseReturnValue:
    """HR's per-person learning tracks beside completed measures (confidential campaigns,
    people who consented), recorded in the audit trail."""
    from surveyapp.evidence.tracks import export_tracks
    from surveyapp.services.access import campaign_in_scope

    campaign = campaign_in_scope(db.session, current_user.id, slug)
    try:
        with atomic():
            data = export_tracks(
                db.session,
                campaign,
                current_app.config["SURVEYAPP_INSTRUMENTS_DIR"],
                current_user.email,
            )
    except SurveyappError as error:
        abort(400, description=str(error))
    response = current_app.response_class(data, mimetype=XLSX)
    name = f"{campaign.slug}-learning-tracks-and-measures.xlsx"
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response
