"""The evidence pack in Spanish: `--lang es` from the CLI, and the staff download in the
language of the user who asks for it (or `?lang=`)."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import sqlalchemy as sa
from pypdf import PdfReader

from surveyapp.extensions import db
from surveyapp.models import User
from tests.plugins.staff import csrf_token

ENGLISH_LEFT_OVER = (
    "Scope and method",
    "Evidence as of",
    "Findings",
    "Measures catalogue",
    "hidden to protect small groups",
    "unit name",
    "Change log",
    "result release",
    "anonymous",
)


def test_the_cli_builds_a_spanish_pack(evidence_wave, run, tmp_path):
    result = run(
        "evidence", "build", "--out", str(tmp_path), "--as-of", "2026-03-01", "--lang", "es"
    )
    assert result.exit_code == 0, result.output
    stem = tmp_path / "ai-literacy-evidence-organisation-2026-03-01-v1"
    text = "\n".join(p.extract_text() for p in PdfReader(f"{stem}.pdf").pages)
    assert "Evidencias a 1 de marzo de 2026 · versión 1" in text
    assert "Página 1 de" in text
    assert "Alcance y método" in text and "Catálogo de medidas" in text
    for english in ENGLISH_LEFT_OVER:
        assert english not in text, english
    workbook = openpyxl.load_workbook(f"{stem}.xlsx")
    assert workbook.sheetnames[:3] == ["alcance", "sistemas", "alfabetización"]
    header = next(workbook["cobertura"].iter_rows(max_row=1, values_only=True))
    assert header[:4] == ("unidad", "nombre de la unidad", "nivel de riesgo", "medida exigida")
    scope = {r[0]: r[1] for r in workbook["alcance"].iter_rows(min_row=2, values_only=True)}
    assert scope["Evidencias a fecha de"] == "1 de marzo de 2026" and scope["Versión"] == 1
    coverage = list(workbook["cobertura"].iter_rows(min_row=2, values_only=True))
    tiers = {row[2] for row in coverage if row[2]} - {coverage[-1][0]}  # less the note
    assert tiers and tiers <= {"de riesgo mínimo", "de riesgo limitado", "de riesgo alto"}
    assert coverage[-1][0].startswith("Se oculta")  # the note under the table, in Spanish too
    assert "riesgo alto" in text and "high-risk" not in text
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)  # dates in words, not ISO


def test_a_bad_language_is_refused(evidence_wave, run, tmp_path):
    result = run("evidence", "build", "--out", str(tmp_path), "--lang", "fr")
    assert result.exit_code == 1 and "--lang: 'fr'" in result.output


def test_the_staff_download_follows_the_users_language(evidence_wave, login_as):
    hr = login_as("hr", email="hr@example.org")
    db.session.execute(sa.update(User).where(User.email == "hr@example.org").values(language="es"))
    db.session.commit()
    page = "/staff/evidence"
    response = hr.post(
        "/staff/evidence/pack.zip",
        data={"csrf_token": csrf_token(hr, page), "as_of": "2026-03-01"},
    )
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    pdf = next(name for name in archive.namelist() if name.endswith(".pdf"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(pdf))).pages)
    assert "Alcance y método" in text and "Scope and method" not in text
    english = hr.post(
        "/staff/evidence/pack.zip?lang=en",
        data={"csrf_token": csrf_token(hr, page), "as_of": "2026-03-01"},
    )
    archive = zipfile.ZipFile(io.BytesIO(english.get_data()))
    pdf = next(name for name in archive.namelist() if name.endswith(".pdf"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(pdf))).pages)
    assert "Scope and method" in text


def test_every_heading_column_and_note_of_the_spanish_workbook_is_translated(
    evidence_wave, run, tmp_path
):
    books = {}
    for language in ("en", "es"):
        out = tmp_path / language
        args = ["evidence", "build", "--out", str(out), "--as-of", "2026-03-01"]
        assert run(*args, "--lang", language).exit_code == 0
        (path,) = out.glob("*.xlsx")
        books[language] = openpyxl.load_workbook(path)
    for english, spanish in zip(books["en"], books["es"], strict=True):
        rows = [list(sheet.iter_rows(values_only=True)) for sheet in (english, spanish)]
        same = [a for a, b in zip(rows[0][0], rows[1][0], strict=True) if a == b]
        assert same == [], english.title  # the header row
        if rows[0][-2:-1] == [()] or rows[0][-2] == (None,) * len(rows[0][-2]):
            assert rows[0][-1][0] != rows[1][-1][0], rows[0][-1][0]  # the note under it
