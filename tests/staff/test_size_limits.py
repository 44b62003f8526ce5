"""Files too large are refused before they are parsed, with a message naming the file and
the limit, and nothing is imported; the long lists of the admin pages come a page at a time."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from surveyapp.catalog import reading
from surveyapp.extensions import db
from surveyapp.models import Instrument, OrgUnit
from surveyapp.services import csv_input
from surveyapp.staff import shared
from tests.plugins.staff import upload

UNITS_HEADER = "code,name,parent_code\n"


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_an_instrument_file_over_the_limit_is_refused_unparsed(app, run, tmp_path: Path):
    big = tmp_path / "huge.yaml"
    with big.open("w") as handle:
        handle.write("id: huge\nversion: 1\n")
        handle.write("# padding\n" * (reading.MAX_FILE_BYTES // 10 + 1))
    result = run("instruments", "load", str(big))
    assert result.exit_code == 1
    assert f"{big}: the file is larger than 1024 KB, too large for an instrument" in result.stderr
    assert _count(app, Instrument) == 0


def test_a_csv_over_the_row_or_byte_limit_is_refused_whole(app, run, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_input, "MAX_ROWS", 3)
    monkeypatch.setattr(csv_input, "MAX_BYTES", 1024)
    many = tmp_path / "units.csv"
    many.write_text(UNITS_HEADER + "".join(f"U{n},Unit {n},\n" for n in range(4)))
    result = run("units", "import", str(many))
    assert result.exit_code == 1
    assert f"{many}: row 5: more than 3 rows; split the file" in result.stderr
    big = tmp_path / "wide.csv"
    big.write_text(UNITS_HEADER + f"U1,{'x' * 2000},\n")
    result = run("units", "import", str(big))
    assert result.exit_code == 1
    assert f"{big}: the file is larger than 1 KB; split it" in result.stderr
    assert _count(app, OrgUnit) == 0


def test_an_upload_over_the_limit_is_refused_with_its_reason(app, login_as, monkeypatch):
    monkeypatch.setattr(shared, "MAX_BYTES", 1024)
    admin = login_as("admin")
    response = upload(admin, "/staff/admin/units/import", UNITS_HEADER + "U1,x,\n" * 300, "u.csv")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "1 problem in u.csv: nothing was imported" in page
    assert "the file is larger than 1 KB; split it and import each part" in page
    huge = upload(admin, "/staff/admin/units/import", "x" * (shared.UPLOAD_OVERHEAD + 4096))
    assert huge.status_code == 413
    assert _count(app, OrgUnit) == 0


def test_the_unit_tree_is_shown_a_page_at_a_time_in_tree_order(app, login_as):
    with app.app_context():
        db.session.execute(
            sa.insert(OrgUnit), [{"code": "B-TOP", "name": "Top", "parent_id": None}]
        )
        top = db.session.scalar(sa.select(OrgUnit.id))
        children = [
            {"code": f"C{n:03d}", "name": f"Unit {n}", "parent_id": top} for n in range(199)
        ]
        db.session.execute(sa.insert(OrgUnit), children)
        db.session.execute(
            sa.insert(OrgUnit), [{"code": "A-LAST", "name": "Alone", "parent_id": None}]
        )
        db.session.commit()
    admin = login_as("admin")
    pages = [admin.get(f"/staff/admin/units?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    assert "201 units, each under its parent; page 1 of 3." in pages[0]
    codes = [re.findall(r"/staff/admin/units/([^\"?]+)\">", page) for page in pages]
    assert codes[0][:3] == ["A-LAST", "B-TOP", "C000"] and len(codes[0]) == 100
    assert codes[1][0] == "C098" and codes[2] == ["C198"]
    assert admin.get("/staff/admin/units?page=x").get_data(as_text=True).count("<tr>") == 101
