"""Briefs in the unit's language: `briefs build --lang es` and the staff download's `lang`
write the whole brief in Spanish (sections, sentences, charts, method, footer)."""

from __future__ import annotations

import re

from tests.briefs.helpers import pdf_text, read_pdf
from tests.briefs.reading import close_wave
from tests.factories import store_wave
from tests.plugins.staff import add_user_with_language, new_client, sign_in

SPANISH = (
    "Informe de gestión del cambio",
    "Resumen ejecutivo",
    "Qué hacer primero",
    "Participación",
    "Preparación: el perfil ADKAR",
    "Alfabetización en IA",
    "Patrones de resistencia",
    "Brechas de alineación",
    "Temas de los comentarios",
    "Método",
    "Fiabilidad de cada escala",
    "Responsable",
    "Plazo",
    "Página 1 de",
    "confidencial para la dirección de la unidad",
)
ENGLISH = (
    "Change-management brief",
    "Executive summary",
    "What to do first",
    "Participation",
    "Readiness: the ADKAR profile",
    "Alignment gaps",
    "Comment themes",
    "Reliability of each scale",
    "respondents",
    "Page 1 of",
    "of 5",
    "held back at",
)


def test_a_brief_built_in_spanish_reads_in_spanish(survey_layout, run, tmp_path):
    store_wave(survey_layout, "wave-1", seed=3)
    store_wave(survey_layout, "wave-2", seed=4, shift=0.6)
    args = ("briefs", "build", "wave-2", "--out", str(tmp_path), "--unit", "BR-NORTH")
    result = run(*args, "--lang", "es")
    assert result.exit_code == 0, result.output
    reader = read_pdf(tmp_path / "wave-2-BR-NORTH.pdf")
    text = pdf_text(reader)
    shouted = text.upper()  # some labels are set in capitals
    for spanish in SPANISH:
        assert spanish.upper() in shouted, spanish
    for english in ENGLISH:
        assert english.upper() not in shouted, english
    assert re.search(r"\b\d,\d\b", text), "means are written with a decimal comma"
    assert "sobre 5" in text and "trabajo de campo" in text
    assert 4 <= len(reader.pages) <= 6

    assert run(*args).exit_code == 0  # English is still the default
    english = pdf_text(read_pdf(tmp_path / "wave-2-BR-NORTH.pdf"))
    assert "Executive summary" in english and "Resumen ejecutivo" not in english


def test_an_unknown_language_is_refused_and_nothing_is_written(survey_layout, run, tmp_path):
    store_wave(survey_layout, "wave-1", seed=3)
    result = run("briefs", "build", "wave-1", "--out", str(tmp_path), "--lang", "fr")
    assert result.exit_code != 0
    assert "--lang: 'fr' is not one of en, es" in result.output
    assert not list(tmp_path.iterdir())


def test_the_staff_download_follows_the_users_language_or_the_one_asked_for(
    app, survey_layout, run
):
    store_wave(survey_layout, "wave-1", seed=3)
    close_wave(run, "wave-1")
    add_user_with_language(app, "ana@example.org", ["RETAIL"], "es")
    client = new_client(app)
    assert sign_in(client, "ana@example.org").status_code == 302
    path = "/staff/campaigns/wave-1/units/RETAIL/brief.pdf"
    spanish = pdf_text(read_pdf(client.get(path).data))
    assert "Resumen ejecutivo" in spanish and "Executive summary" not in spanish
    english = pdf_text(read_pdf(client.get(path + "?lang=en").data))
    assert "Executive summary" in english and "Resumen ejecutivo" not in english
    assert client.get(path + "?lang=fr").status_code == 400
