"""Admin pages for the organisation: the unit tree, functions, and the roster by CSV upload.

Uploads go through the same services as `surveyapp units import` and `roster import`, so a
file is taken whole or not at all, and every bad row is shown with its place and reason.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf import FlaskForm

from surveyapp.errors import InputError, Problem
from surveyapp.extensions import db
from surveyapp.models import LEVELS, Function, OrgUnit, Person
from surveyapp.services.csv_input import CsvRow
from surveyapp.services.org import (
    ROSTER_COLUMNS,
    UNIT_COLUMNS,
    import_roster,
    import_units,
    unit_outline,
)
from surveyapp.services.transaction import atomic
from surveyapp.staff.admin.forms import CsvUploadForm, FunctionForm, UnitEditForm, UnitForm
from surveyapp.staff.blueprint import bp
from surveyapp.staff.paging import Paging, paging
from surveyapp.staff.shared import (
    ADMIN_ROLES,
    place_problems,
    read_upload,
    role_required,
    uploads,
    writes,
)

UNITS_PAGE_SIZE = 100


def _outline_page() -> tuple[list[dict[str, Any]], Paging]:
    """One page of the unit tree: each unit, its depth, parent's code and number of people."""
    outline = unit_outline(db.session)
    shown = paging(len(outline), UNITS_PAGE_SIZE)
    page = outline[shown.offset : shown.offset + UNITS_PAGE_SIZE]
    ids = [unit_id for unit_id, _ in page]
    parent = sa.orm.aliased(OrgUnit)
    units = {
        unit.id: (unit, parent_code)
        for unit, parent_code in db.session.execute(
            sa.select(OrgUnit, parent.code)
            .outerjoin(parent, OrgUnit.parent_id == parent.id)
            .where(OrgUnit.id.in_(ids))
        )
    }
    people = dict(
        db.session.execute(
            sa.select(Person.unit_id, sa.func.count())
            .where(Person.unit_id.in_(ids))
            .group_by(Person.unit_id)
        ).all()
    )
    rows = [
        {
            "unit": units[unit_id][0],
            "parent": units[unit_id][1],
            "depth": depth,
            "people": people.get(unit_id, 0),
        }
        for unit_id, depth in page
    ]
    return rows, shown


def _save_unit(form: FlaskForm, code: str) -> bool:
    """Create, rename or move one unit by the import's own rules; False (form marked) if refused."""
    row = CsvRow(1, {"code": code, "name": form.name.data, "parent_code": form.parent_code.data})
    try:
        with atomic():
            import_units(db.session, [row], "form")
    except InputError as error:
        fields = {name: getattr(form, name) for name in UNIT_COLUMNS if hasattr(form, name)}
        place_problems(form, error.problems, fields, lambda problem: problem.column)
        return False
    return True


def _units_page(
    form: UnitForm | None = None,
    upload: CsvUploadForm | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The units page, with whichever of its two forms was sent shown as it came back."""
    form = form or UnitForm(formdata=None)
    rows, shown = _outline_page()
    return render_template(
        "staff/admin/units.html",
        rows=rows,
        shown=shown,
        form=form,
        upload=upload or CsvUploadForm(formdata=None),
        problems=problems,
    ), status


@bp.route("/admin/units", methods=["GET", "POST"])
@writes
@role_required(*ADMIN_ROLES)
def admin_units() -> ResponseReturnValue:
    """The unit tree, with the form that adds a unit."""
    if request.method == "GET":
        return _units_page()
    form = UnitForm()
    if form.validate():
        code = form.code.data
        if db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == code)) is not None:
            form.code.errors = [
                gettext(
                    "a unit %(code)r already exists; rename or move it from the tree", code=code
                )
            ]
        elif _save_unit(form, code):
            flash(gettext("Unit %(code)s added.", code=code), "notice")
            return redirect(url_for("staff.admin_units"))
    return _units_page(form=form, status=422)


@bp.route("/admin/units/<code>", methods=["GET", "POST"])
@writes
@role_required(*ADMIN_ROLES)
def admin_unit(code: str) -> ResponseReturnValue:
    """Rename a unit or move it under another parent."""
    unit = db.first_or_404(sa.select(OrgUnit).where(OrgUnit.code == code))
    parent = unit.parent.code if unit.parent else ""
    form = UnitEditForm(data={"name": unit.name, "parent_code": parent})
    if request.method == "POST":
        if form.validate() and _save_unit(form, unit.code):
            flash(gettext("Unit %(code)s saved.", code=unit.code), "notice")
            return redirect(url_for("staff.admin_units"))
        status = 422
    else:
        status = 200
    return render_template("staff/admin/unit.html", unit=unit, form=form), status


@bp.post("/admin/units/import")
@uploads
@writes
@role_required(*ADMIN_ROLES)
def admin_units_import() -> ResponseReturnValue:
    """Import units from an uploaded `code,name,parent_code` file: all rows or none."""
    upload = CsvUploadForm()
    if not upload.validate():
        return _units_page(upload=upload, status=422)
    try:
        with atomic():
            source, rows = read_upload(upload.file.data, UNIT_COLUMNS)
            summary = import_units(db.session, rows, source)
    except InputError as error:
        return _units_page(upload=upload, problems=error.problems, status=422)
    flash(
        gettext("Units imported from %(file)s: %(summary)s.", file=source, summary=summary),
        "notice",
    )
    return redirect(url_for("staff.admin_units"))


@bp.route("/admin/functions", methods=["GET", "POST"])
@writes
@role_required(*ADMIN_ROLES)
def admin_functions() -> ResponseReturnValue:
    """The business functions roster files may name, and the form that adds one."""
    form = FunctionForm()
    if form.validate_on_submit():
        code = form.code.data
        taken = db.session.scalar(
            sa.select(Function.code).where(sa.func.lower(Function.code) == code.lower())
        )
        if taken is None:
            with atomic():
                db.session.add(Function(code=code, name=form.name.data))
            flash(gettext("Function %(code)s added.", code=code), "notice")
            return redirect(url_for("staff.admin_functions"))
        form.code.errors = [
            *form.code.errors,
            gettext("the function %(code)r already exists", code=taken),
        ]
    people = dict(
        db.session.execute(
            sa.select(Person.function_id, sa.func.count()).group_by(Person.function_id)
        ).all()
    )
    functions = db.session.scalars(sa.select(Function).order_by(Function.code)).all()
    rows = [{"function": f, "people": people.get(f.id, 0)} for f in functions]
    status = 422 if form.is_submitted() else 200
    return render_template("staff/admin/functions.html", rows=rows, form=form), status


@bp.route("/admin/roster", methods=["GET", "POST"])
@uploads
@writes
@role_required(*ADMIN_ROLES)
def admin_roster() -> ResponseReturnValue:
    """The roster's size and the upload that imports it, the same as `roster import`."""
    upload = CsvUploadForm()
    problems: list[Problem] | None = None
    if request.method == "POST" and upload.validate():
        try:
            with atomic():
                source, rows = read_upload(upload.file.data, ROSTER_COLUMNS)
                summary = import_roster(db.session, rows, source)
        except InputError as error:
            problems = error.problems
        else:
            flash(
                gettext(
                    "Roster imported from %(file)s: %(summary)s.", file=source, summary=summary
                ),
                "notice",
            )
            return redirect(url_for("staff.admin_roster"))
    people = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
    units = db.session.scalar(sa.select(sa.func.count(sa.distinct(Person.unit_id))))
    return render_template(
        "staff/admin/roster.html",
        upload=upload,
        problems=problems,
        people=people,
        units=units,
        columns=ROSTER_COLUMNS,
        levels=LEVELS,
        functions=db.session.scalars(sa.select(Function.code).order_by(Function.code)).all(),
    ), 422 if request.method == "POST" else 200
