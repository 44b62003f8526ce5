"""Admin pages for the organisation: units, functions and the roster by upload."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Function, OrgUnit, Person
from tests import factories
from tests.plugins.staff import csrf_token, upload
from tests.staff.test_spanish_staff_words import in_spanish

ROSTER = "/staff/admin/roster"
UNITS = "/staff/admin/units"
HEADER = "employee_id,email,unit,function,level,locale\n"


@pytest.fixture
def admin(app, login_as):
    """A signed-in admin, with units OPS > OPS-N and RET already there."""
    with app.app_context():
        ops = factories.unit(db.session, "OPS")
        ops.name = "Operations"
        factories.unit(db.session, "OPS-N", parent=ops).name = "Operations North"
        factories.unit(db.session, "RET").name = "Retail"
        db.session.commit()
    return login_as("admin")


def people(app) -> dict[str, tuple]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Person.employee_id, OrgUnit.code, Person.level, Person.locale).join(
                Person.unit
            )
        ).all()
        return {employee_id: (unit, level, locale) for employee_id, unit, level, locale in rows}


def table_rows(html: str) -> list[tuple[str, str]]:
    """The (where, problem) rows of the page's problem table."""
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", html)
    return [(where.replace("&#39;", "'"), reason.replace("&#39;", "'")) for where, reason in cells]


def test_a_roster_with_bad_rows_reports_every_one_and_imports_nothing(app, admin):
    text = (
        HEADER
        + "E1,ana@example.org,OPS-N,finance,frontline,es\n"  # good
        + "E2,,NOPE,finance,frontline,\n"
        + "E3,not-an-email,OPS,finance,frontline,\n"
        + "E4,,OPS,astrology,frontline,\n"
        + "E5,,OPS,finance,intern,\n"
        + "E1,,OPS,finance,manager,\n"
        + "E6,,RET,finance,manager,english\n"
        + "E7,,RET,hr,senior_leader,en\n"  # good
    )
    page = upload(admin, ROSTER, text)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "6 problems in roster.csv: nothing was imported" in html
    assert table_rows(html) == [
        ("row 3, column 'unit'", "unknown unit code 'NOPE'"),
        ("row 4, column 'email'", "'not-an-email' is not an email address"),
        (
            "row 5, column 'function'",
            "unknown function 'astrology'; known: customer-service, finance, hr, legal, "
            "operations, risk, sales, technology",
        ),
        ("row 6, column 'level'", "'intern' is not one of frontline, manager, senior_leader"),
        ("row 7, column 'employee_id'", "'E1' is already on row 2"),
        ("row 8, column 'locale'", "'english' is not a locale such as en or es-MX"),
    ]
    assert people(app) == {}
    assert "0 people on the roster" in html


def test_a_good_roster_is_imported_and_a_second_upload_updates_it(app, admin):
    first = upload(admin, ROSTER, HEADER + "E1,,OPS-N,finance,frontline,es\nE2,,RET,hr,manager,\n")
    assert first.status_code == 302 and first.location == ROSTER
    page = admin.get(ROSTER).get_data(as_text=True)
    assert "Roster imported from roster.csv: 2 created, 0 updated, 0 unchanged." in page
    assert "2 people on the roster, in 2 units." in page
    again = upload(admin, ROSTER, HEADER + "E1,,OPS,finance,manager,es\nE2,,RET,hr,manager,\n")
    assert again.status_code == 302
    assert "1 created" not in admin.get(ROSTER).get_data(as_text=True)
    assert people(app) == {"E1": ("OPS", "manager", "es"), "E2": ("RET", "manager", "en")}


def test_a_roster_over_one_megabyte_uploads_while_other_forms_keep_the_limit(app, admin):
    mailbox = "operations.north.shift-team." * 6  # long addresses: a big file, few rows
    rows = "".join(
        f"EMP-{n:06d},{mailbox}{n:06d}@example.org,OPS-N,operations,frontline,es\n"
        for n in range(5_000)
    )
    assert len(HEADER + rows) > 1024 * 1024
    response = upload(admin, ROSTER, HEADER + rows, name="everyone.csv")
    assert response.status_code == 302
    assert "5000 created" in admin.get(ROSTER).get_data(as_text=True)
    big_form = {"csrf_token": csrf_token(admin, "/staff/admin/functions"), "name": "x" * 1_100_000}
    assert admin.post("/staff/admin/functions", data=big_form).status_code == 413


def test_an_upload_without_its_token_or_not_in_utf8_changes_nothing(app, admin):
    good = HEADER + "E1,,OPS,finance,frontline,\n"
    refused = upload(admin, ROSTER, good, token=False)
    assert refused.status_code == 422
    assert "This form has expired or did not come from this site" in refused.get_data(as_text=True)
    latin1 = upload(
        admin, ROSTER, (HEADER + "E1,,OPS,finance,frontline,\nÉ2,,OPS,x,y,\n").encode("latin-1")
    )
    assert latin1.status_code == 422
    html = latin1.get_data(as_text=True)
    assert "not UTF-8 text (byte" in html and "save it as CSV UTF-8" in html
    wrong_kind = upload(admin, ROSTER, good, name="roster.xlsx")
    assert "Choose a file ending in .csv." in wrong_kind.get_data(as_text=True)
    header = upload(admin, ROSTER, "employee_id,unit\nE1,OPS\n")
    assert ("header", "missing column 'email'") in table_rows(header.get_data(as_text=True))
    assert people(app) == {}


def test_units_are_added_renamed_and_moved_with_errors_beside_their_fields(app, admin):
    token = csrf_token(admin, UNITS)
    added = admin.post(
        UNITS, data={"csrf_token": token, "code": "OPS-S", "name": "South", "parent_code": "OPS"}
    )
    assert added.status_code == 302
    assert "Unit OPS-S added." in admin.get(UNITS).get_data(as_text=True)
    bad = admin.post(
        UNITS, data={"csrf_token": token, "code": "no spaces", "name": "", "parent_code": ""}
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert re.search(r'<p class="error" id="code-error">Use letters, digits', html)
    assert 'aria-invalid="true"' in html and '<p class="error" id="name-error">Give a name.' in html
    taken = admin.post(
        UNITS, data={"csrf_token": token, "code": "OPS", "name": "Again", "parent_code": ""}
    )
    assert "a unit &#39;OPS&#39; already exists" in taken.get_data(as_text=True)

    edit = "/staff/admin/units/OPS"
    form = admin.get(edit).get_data(as_text=True)
    assert 'value="OPS-N"' not in form  # a unit cannot move under its own sub-unit
    loop = admin.post(edit, data={"csrf_token": token, "name": "Ops", "parent_code": "OPS-N"})
    assert loop.status_code == 422
    assert "this parent makes a loop in the unit tree" in loop.get_data(as_text=True)
    stray = admin.post(edit, data={"csrf_token": token, "name": "Ops", "parent_code": "a b\x00"})
    assert stray.status_code == 422 and "Use letters, digits" in stray.get_data(as_text=True)
    moved = admin.post(edit, data={"csrf_token": token, "name": "Ops", "parent_code": "RET"})
    assert moved.status_code == 302
    with app.app_context():
        units = {u.code: u for u in db.session.scalars(sa.select(OrgUnit))}
        assert units["OPS"].name == "Ops" and units["OPS"].parent.code == "RET"
        assert units["OPS-S"].parent.code == "OPS" and units["OPS-S"].name == "South"
    assert admin.get("/staff/admin/units/NOPE").status_code == 404


def test_units_import_by_upload_shows_every_bad_row(app, admin):
    bad = upload(
        admin,
        f"{UNITS}/import",
        "code,name,parent_code\nA,Alpha,MISSING\nB,,\nA,Again,\nOPS-N,North,OPS-N\n",
        name="units.csv",
    )
    assert bad.status_code == 422
    assert table_rows(bad.get_data(as_text=True)) == [
        ("row 3, column 'name'", "a name of 1 to 200 characters is required"),
        ("row 4, column 'code'", "unit 'A' is already defined on row 2"),
        ("row 5, column 'parent_code'", "a unit cannot be its own parent"),
        ("row 2, column 'parent_code'", "unknown unit 'MISSING'"),
    ]
    good = upload(
        admin, f"{UNITS}/import", "code,name,parent_code\nA,Alpha,OPS\nB,Beta,A\n", "units.csv"
    )
    assert good.status_code == 302
    tree = admin.get(UNITS).get_data(as_text=True)
    assert "Units imported from units.csv: 2 created, 0 updated, 0 unchanged." in tree
    with app.app_context():
        b = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "B"))
        assert b.parent.code == "A" and b.parent.parent.code == "OPS"


def test_a_spanish_admin_reads_where_each_problem_is_in_spanish(app, admin):
    with app.app_context():
        in_spanish("admin-all@example.org")
    roster = upload(admin, ROSTER, HEADER + "E1,,OPS,finance,frontline,\nE2,,NOPE,finance,x,\n")
    assert table_rows(roster.get_data(as_text=True)) == [
        ("fila 3, columna 'unit'", "código de unidad desconocido 'NOPE'"),
        (
            "fila 3, columna 'level'",
            "'x' no es ninguno de estos: frontline, manager, senior_leader",
        ),
    ]
    header = upload(admin, ROSTER, "employee_id,unit\nE1,OPS\n").get_data(as_text=True)
    assert ("encabezado", "falta la columna 'email'") in table_rows(header)
    ragged = upload(admin, f"{UNITS}/import", "code,name,parent_code\nA,Alpha\n", "units.csv")
    assert table_rows(ragged.get_data(as_text=True))[0][0] == "fila 2"
    assert upload(admin, ROSTER, HEADER + "E1,,OPS,finance,frontline,\n").status_code == 302
    imported = admin.get(ROSTER).get_data(as_text=True)
    assert "Plantilla importada de roster.csv: altas: 1, actualizaciones: 0, sin cambios: 0." in (
        imported
    )

    token = csrf_token(admin, UNITS)
    edit = "/staff/admin/units/OPS"
    loop = admin.post(edit, data={"csrf_token": token, "name": "Ops", "parent_code": "OPS-N"})
    assert re.search(
        r'<p class="error" id="parent_code-error">esta unidad superior crea un ciclo',
        loop.get_data(as_text=True),
    )
    taken = admin.post(
        UNITS, data={"csrf_token": token, "code": "OPS", "name": "Again", "parent_code": ""}
    )
    assert "ya existe una unidad &#39;OPS&#39;" in taken.get_data(as_text=True)
    again = admin.post(
        "/staff/admin/functions", data={"csrf_token": token, "code": "Finance", "name": "F"}
    )
    assert "ya existe la función &#39;finance&#39;" in again.get_data(as_text=True)


def test_functions_are_listed_and_added_once(app, admin):
    page = admin.get("/staff/admin/functions").get_data(as_text=True)
    assert "<code>customer-service</code>" in page
    token = csrf_token(admin, "/staff/admin/functions")
    added = admin.post(
        "/staff/admin/functions",
        data={"csrf_token": token, "code": "procurement", "name": "Procurement"},
    )
    assert added.status_code == 302
    again = admin.post(
        "/staff/admin/functions", data={"csrf_token": token, "code": "Finance", "name": "F"}
    )
    assert again.status_code == 422
    assert "the function &#39;finance&#39; already exists" in again.get_data(as_text=True)
    with app.app_context():
        codes = set(db.session.scalars(sa.select(Function.code)))
    assert "procurement" in codes and "Finance" not in codes
