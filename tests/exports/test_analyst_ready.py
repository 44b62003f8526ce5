"""HR's files as an analyst opens them: percent and number formats, widths, a frozen header and
filters in Excel, each unit's parent and depth, per-person rows that name their unit, campaign
and day, SPSS counts as F8.0."""

from __future__ import annotations

import datetime

import pyreadstat
from openpyxl import load_workbook

from tests.plugins.exports import store_small_wave


def test_the_xlsx_by_unit_is_ready_for_an_analyst(anonymous_wave, run, tmp_path):
    out = tmp_path / "units.xlsx"
    result = run("export", "literacy", "anon-1", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["literacy"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{sheet.max_row}"
    column = {name: index + 1 for index, name in enumerate(header)}
    assert all(sheet.column_dimensions[c.column_letter].width >= 10 for c in sheet[1])
    assert sheet.column_dimensions[sheet.cell(1, column["unit_name"]).column_letter].width >= 28
    rows = {row[column["unit_code"] - 1].value: row for row in sheet.iter_rows(min_row=2)}
    top, ops, back = rows["all"], rows["OPS"], rows["BACKOFFICE"]
    assert top[column["share_advanced"] - 1].number_format == "0.0%"
    assert top[column["mean_use"] - 1].number_format == "0.00"
    assert top[column["quiz_percent"] - 1].number_format == "0.0"
    assert top[column["respondents"] - 1].number_format == "0"
    assert top[column["parent_code"] - 1].value is None and top[column["depth"] - 1].value == 0
    assert ops[column["parent_code"] - 1].value is None and ops[column["depth"] - 1].value == 1
    assert back[column["parent_code"] - 1].value == "OPS" and back[column["depth"] - 1].value == 2
    children = [r for r in rows.values() if r[column["parent_code"] - 1].value == "OPS"]
    shown = [r for r in children if r[column["suppressed"] - 1].value == 0]
    if len(shown) == len(children):  # the children add up to their parent, never beyond
        total = sum(r[column["respondents"] - 1].value for r in children)
        assert total == ops[column["respondents"] - 1].value


def test_per_person_rows_name_their_unit_campaign_and_day(survey_layout, run, tmp_path):
    store_small_wave(survey_layout, "conf-1", mode="confidential")
    out = tmp_path / "people.xlsx"
    result = run(
        "export", "literacy", "conf-1", "--format", "xlsx", "--out", str(out), "--per-person"
    )
    assert result.exit_code == 0, result.output
    header, first, *_ = load_workbook(out)["literacy"].iter_rows(values_only=True)
    row = dict(zip(header, first, strict=True))
    assert row["campaign"] == "conf-1" and row["unit_name"] and row["unit_code"]
    assert datetime.date.fromisoformat(row["answered_on"])


def test_spss_counts_are_whole_and_percents_say_so(anonymous_wave, run, tmp_path):
    out = tmp_path / "units.sav"
    result = run("export", "literacy", "anon-1", "--format", "sav", "--out", str(out))
    assert result.exit_code == 0, result.output
    _, meta = pyreadstat.read_sav(str(out))
    formats = meta.original_variable_types
    assert formats["respondents"] == "F8.0" and formats["depth"] == "F8.0"
    assert formats["share_advanced"] == "F8.4" and formats["mean_use"] == "F8.2"
    labels = meta.column_names_to_labels
    assert "25 %" in labels["share_advanced"] and "%" in labels["quiz_percent"]
