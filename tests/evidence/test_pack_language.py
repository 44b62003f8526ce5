"""The evidence pack in Spanish: `--lang es` from the CLI, and the staff download in the
language of the user who asks for it (or `?lang=`)."""

from __future__ import annotations

import io
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
)


def test_the_cli_builds_a_spanish_pack(evidence_wave, run, tmp_path):
    result = run(
        "evidence", "build", "--out", str(tmp_path), "--as-of", "2026-03-01", "--lang", "es"
    )
    assert result.exit_code == 0, result.output
    stem = tmp_path / "ai-literacy-evidence-organisation-2026-03-01-v1"
    text = "\n".join(p.extract_text() for p in PdfReader(f"{stem}.pdf").pages)
    assert "Evidencias a 1 de marzo de 2026 · versión 1" in text
    assert "Alcance y método" in text and "Catálogo de medidas" in text
    for english in ENGLISH_LEFT_OVER:
        assert english not in text, english
    workbook = openpyxl.load_workbook(f"{stem}.xlsx")
    assert workbook.sheetnames[:3] == ["alcance", "sistemas", "alfabetización"]
    header = next(workbook["cobertura"].iter_rows(max_row=1, values_only=True))
    assert header[:4] == ("unidad", "nombre de la unidad", "nivel de riesgo", "medida exigida")
    scope = {r[0]: r[1] for r in workbook["alcance"].iter_rows(min_row=2, values_only=True)}
    assert scope["Evidencias a fecha de"] == "1 de marzo de 2026" and scope["Versión"] == 1


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
