"""The evidence pack read back: a dated, versioned PDF and XLSX with its inputs' checksums."""

from __future__ import annotations

import io

import openpyxl
import sqlalchemy as sa
from pypdf import PdfReader

from surveyapp.extensions import db
from surveyapp.models import AuditEvent, EvidenceBuild


def pdf_text(path) -> str:
    """Every page's text of a PDF file."""
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_pack_is_dated_versioned_and_carries_its_inputs_checksums(evidence_wave, run, tmp_path):
    result = run("evidence", "build", "--out", str(tmp_path / "pack"), "--as-of", "2026-03-01")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "pack" / "ai-literacy-evidence-organisation-2026-03-01-v1.pdf"
    xlsx = tmp_path / "pack" / "ai-literacy-evidence-organisation-2026-03-01-v1.xlsx"
    text = pdf_text(pdf)
    assert "Evidence as of 2026-03-01" in text and "version 1" in text
    build = db.session.scalar(sa.select(EvidenceBuild))
    assert build.version == 1 and str(build.as_of) == "2026-03-01"
    for name, entry in build.inputs.items():
        assert entry["sha256"][:16] in text.replace("\n", ""), name
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert workbook.sheetnames == [
        "scope",
        "systems",
        "literacy",
        "measures",
        "coverage",
        "gaps",
        "effect",
        "changes",
    ]
    scope = {row[0]: row[1] for row in workbook["scope"].iter_rows(min_row=2, values_only=True)}
    assert scope["Evidence as of"] == "2026-03-01" and scope["Version"] == 1
    changes = list(workbook["changes"].iter_rows(min_row=2, values_only=True))
    assert {row[0]: row[2] for row in changes} == {
        name: entry["sha256"] for name, entry in build.inputs.items()
    }
    coverage = [r for r in workbook["coverage"].iter_rows(min_row=2, values_only=True)]
    assert ("CONTACT", "Contact centre", "limited", "briefing", 10, 8, 0.8) in [
        r[:7] for r in coverage
    ]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "evidence.build"))
    assert event.detail["version"] == 1 and event.actor.startswith("cli:")


def test_a_second_build_is_the_next_version_and_logs_what_changed(evidence_wave, run, tmp_path):
    assert run("evidence", "build", "--out", str(tmp_path), "--as-of", "2026-03-01").exit_code == 0
    more = tmp_path / "more.csv"
    more.write_text(
        "employee_id,measure,kind,completed_on\nP-CONTACT-9,Chatbot briefing,briefing,2026-02-01\n"
    )
    assert run("measures", "import", str(more)).exit_code == 0
    assert run("evidence", "build", "--out", str(tmp_path), "--as-of", "2026-03-01").exit_code == 0
    workbook = openpyxl.load_workbook(
        tmp_path / "ai-literacy-evidence-organisation-2026-03-01-v2.xlsx"
    )
    status = {row[0]: row[1] for row in workbook["changes"].iter_rows(min_row=2, values_only=True)}
    assert status["completions"] == "changed since version 1 (8 → 9)"
    assert status["ai_systems"] == "unchanged since version 1"


def test_a_bad_as_of_or_unit_is_refused_and_nothing_is_built(evidence_wave, run, tmp_path):
    result = run("evidence", "build", "--out", str(tmp_path), "--as-of", "March")
    assert result.exit_code == 1 and "--as-of: 'March' is not a date" in result.output
    result = run("evidence", "build", "--out", str(tmp_path), "--unit", "NOPE")
    assert result.exit_code == 1 and "unknown unit code 'NOPE'" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceBuild)) == 0
    assert list(tmp_path.glob("*.pdf")) == []
