"""Unit names that a spreadsheet would run as formulas arrive as inert text in every format."""

from __future__ import annotations

import csv
import zipfile

import pyreadstat
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp.extensions import db
from surveyapp.models import OrgUnit

HOSTILE_NAMES = {
    "BR-NORTH": '=HYPERLINK("http://x","click")',
    "BR-SOUTH": "+SUM(1,1)",
    "CONTACT": "@cmd",
    "MARKETS": "-2+3",
    "LENDING": "#N/A",
}
EXPECTED = {code: f"'{name}" for code, name in HOSTILE_NAMES.items()}


@pytest.fixture
def hostile_units(anonymous_wave):
    for code, name in HOSTILE_NAMES.items():
        db.session.execute(sa.update(OrgUnit).where(OrgUnit.code == code).values(name=name))
    db.session.commit()


def export(run, tmp_path, fmt: str):
    out = tmp_path / f"literacy.{fmt}"
    result = run("export", "literacy", "anon-1", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_csv_cells_start_with_a_quote(hostile_units, run, tmp_path):
    with export(run, tmp_path, "csv").open(encoding="utf-8", newline="") as handle:
        names = {row["unit_code"]: row["unit_name"] for row in csv.DictReader(handle)}
    assert {code: names[code] for code in EXPECTED} == EXPECTED


def test_xlsx_has_no_formula_and_no_error_cell(hostile_units, run, tmp_path):
    out = export(run, tmp_path, "xlsx")
    sheet = load_workbook(out)["literacy"]
    assert all(cell.data_type not in ("f", "e") for row in sheet.iter_rows() for cell in row)
    names = {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {code: names[code] for code in EXPECTED} == EXPECTED
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, name


def test_sav_strings_start_with_a_quote(hostile_units, run, tmp_path):
    frame, _ = pyreadstat.read_sav(str(export(run, tmp_path, "sav")))
    names = dict(zip(frame["unit_code"], frame["unit_name"], strict=True))
    assert {code: names[code] for code in EXPECTED} == EXPECTED
