"""Literacy by unit: each format read back as a user would, and compared with the analysis."""

from __future__ import annotations

import codecs
import math
from typing import Any

import pandas as pd
import pyreadstat
import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp.exports.literacy import UNIT_COLUMNS
from surveyapp.extensions import db
from surveyapp.models import AuditEvent
from surveyapp.services.analysis import analyze_campaign

LEVELS = ("foundational", "developing", "proficient", "advanced")
DIMENSIONS = ("understanding", "use", "evaluation", "ethics")
NUMBERS = [
    "respondents",
    *(f"share_{level}" for level in LEVELS),
    *(f"mean_{dim}" for dim in DIMENSIONS),
    "quiz_percent",
    "literacy_index",
]


def export(run, tmp_path, fmt: str, *options: str):
    out = tmp_path / f"literacy.{fmt}"
    result = run("export", "literacy", "anon-1", "--format", fmt, "--out", str(out), *options)
    return result, out


def blank(value: Any) -> Any:
    """None for a missing cell, whichever way the reading library shows it."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def expected(group: dict[str, Any]) -> dict[str, Any]:
    """What the export must say of a group of the analysis document."""
    if group["suppressed"]:
        return dict.fromkeys(NUMBERS) | {"suppressed": 1, "suppression_reason": group["reason"]}
    literacy, scales = group["literacy"], group["scales"]
    return {
        "respondents": group["n"],
        **{f"share_{level}": literacy["levels"][level] for level in LEVELS},
        **{f"mean_{dim}": scales[f"ai-literacy.{dim}"]["mean"] for dim in DIMENSIONS},
        "quiz_percent": literacy["quiz_percent"],
        "literacy_index": literacy["index"],
        "suppressed": 0,
        "suppression_reason": None,
    }


def assert_matches_analysis(records: list[dict[str, Any]], document: dict[str, Any]) -> None:
    groups = [g for g in document["groups"] if g["kind"] in ("organisation", "unit")]
    assert [(r["group"], r["unit_code"]) for r in records] == [
        (g["kind"], g["key"]) for g in groups
    ]
    assert records[0]["unit_name"] == "Whole organisation"
    for record, group in zip(records, groups, strict=True):
        for column, value in expected(group).items():
            got = blank(record[column])
            if value is None or isinstance(value, str):
                assert got == value, (group["key"], column)
            else:
                assert math.isclose(got, value, abs_tol=1e-9), (group["key"], column)
    hidden = {r["unit_code"]: r["suppression_reason"] for r in records if r["suppressed"] == 1}
    assert hidden["SMALLBIZ"] == hidden["PRIVATE"] == "hidden to protect small groups"


def analysis(app, campaign) -> dict[str, Any]:
    return analyze_campaign(db.session, campaign, app.config["SURVEYAPP_INSTRUMENTS_DIR"])


def test_csv_reads_back_with_pandas_as_the_analysis(app, anonymous_wave, run, tmp_path):
    result, out = export(run, tmp_path, "csv", "--bom")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert list(frame.columns) == [column.name for column in UNIT_COLUMNS]
    assert_matches_analysis(frame.to_dict("records"), analysis(app, anonymous_wave))
    event = db.session.scalars(sa.select(AuditEvent)).one()
    assert event.action == "export.literacy" and event.actor.startswith("cli:")
    assert event.campaign_id == anonymous_wave.id and event.row_count == len(frame) == 14
    assert event.detail == {"format": "csv", "per_person": False, "unit": None}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["literacy.csv"]


def test_xlsx_reads_back_with_openpyxl_and_has_a_codebook(app, anonymous_wave, run, tmp_path):
    result, out = export(run, tmp_path, "xlsx")
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["literacy", "codebook", "notes"]
    header, *rows = workbook["literacy"].iter_rows(values_only=True)
    assert_matches_analysis(
        [dict(zip(header, row, strict=True)) for row in rows], analysis(app, anonymous_wave)
    )
    _, *codebook = workbook["codebook"].iter_rows(values_only=True)
    described = {row[0] for row in codebook if row[2]}
    assert described == {column.name for column in UNIT_COLUMNS}
    values = {(row[0], row[3]) for row in codebook if row[3] is not None}
    assert {("suppressed", 0), ("suppressed", 1), ("group", "unit")} <= values


def test_sav_reads_back_with_pyreadstat_with_labels(app, anonymous_wave, run, tmp_path):
    result, out = export(run, tmp_path, "sav")
    assert result.exit_code == 0, result.output
    frame, meta = pyreadstat.read_sav(str(out))
    assert_matches_analysis(frame.to_dict("records"), analysis(app, anonymous_wave))
    labels = meta.column_names_to_labels
    assert labels["literacy_index"].startswith("Mean AI-literacy index")
    assert meta.variable_value_labels["suppressed"] == {0.0: "shown", 1.0: "hidden"}
    assert meta.variable_measure["share_advanced"] == "scale"


def test_one_unit_keeps_the_organisation_and_the_subtree(anonymous_wave, run, tmp_path):
    result, out = export(run, tmp_path, "csv", "--unit", "OPS")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame["unit_code"]) == ["all", "OPS", "BACKOFFICE", "LEGALRISK", "TECHOPS"]
    event = db.session.scalars(sa.select(AuditEvent)).one()
    assert event.detail["unit"] == "OPS" and event.row_count == 5


def test_bad_options_are_refused_and_leave_nothing(anonymous_wave, run, tmp_path):
    result, out = export(run, tmp_path, "xlsx", "--bom")
    assert result.exit_code == 1 and "--bom: a byte-order mark applies to CSV files only" in (
        result.stderr
    )
    result = run("export", "literacy", "nope", "--format", "csv", "--out", str(out))
    assert result.exit_code == 1 and "no campaign 'nope'" in result.stderr
    assert list(tmp_path.iterdir()) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_a_failed_write_leaves_no_file_and_no_audit_row(anonymous_wave, run, tmp_path, monkeypatch):
    from surveyapp.exports import writers

    def disk_full(table, path, bom=False):
        path.write_text("group,unit_code\norganisation,all\n")
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(writers, "write_csv", disk_full)
    out = tmp_path / "literacy.csv"
    out.write_text("an earlier export\n")
    result = run("export", "literacy", "anon-1", "--format", "csv", "--out", str(out))
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == [out] and out.read_text() == "an earlier export\n"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0
