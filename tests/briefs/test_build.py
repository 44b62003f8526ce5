"""`surveyapp briefs build`: every unit's brief, its content read back, the small-unit brief."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa

from surveyapp.briefs.meta import BriefMeta, fieldwork
from surveyapp.demo import synthetic as demo
from surveyapp.extensions import db
from surveyapp.models import Function
from tests.briefs.helpers import embedded_files, pdf_text, read_pdf
from tests.factories import store_wave

HEADINGS = (
    "Executive summary",
    "Participation",
    "Readiness: the ADKAR profile",
    "AI literacy",
    "Resistance patterns",
    "Alignment gaps",
    "Leaders and frontline",
    "Comment themes",
    "What to do first",
    "Change since the previous wave",
    "Method",
)


def test_a_unit_brief_holds_every_section_and_the_documents_numbers(survey_layout, run, tmp_path):
    store_wave(survey_layout, "wave-1", seed=3)
    store_wave(survey_layout, "wave-2", seed=4, shift=0.6)
    result = run("briefs", "build", "wave-2", "--out", str(tmp_path), "--unit", "BR-NORTH")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wave-2-BR-NORTH.pdf"]

    reader = read_pdf(tmp_path / "wave-2-BR-NORTH.pdf")
    text = pdf_text(reader)
    assert 4 <= len(reader.pages) <= 6
    assert "Branches north" in text
    for heading in HEADINGS:
        assert heading in text, heading
    document = json.loads(run("analyze", "wave-2", "--json").output)
    unit = next(g for g in document["groups"] if g["key"] == "BR-NORTH")
    organisation = document["groups"][0]
    assert f"{unit['n']} RESPONDENTS" in text.upper()
    assert f"{unit['readiness_index']:.0f} READINESS INDEX (OF 100)" in text.upper()
    assert f"{unit['literacy']['index']:.0f} AI-LITERACY INDEX" in text.upper()
    assert (
        f"{organisation['n']} respondents, readiness {organisation['readiness_index']:.0f}" in text
    )
    for code in ("hr", "finance"):
        group = next(g for g in document["groups"] if g["key"] == f"BR-NORTH/{code}")
        name = db.session.scalar(sa.select(Function.name).where(Function.code == code))
        shown = f"{group['n']}" if not group["suppressed"] else "hidden"
        assert f"{name} {shown}" in text
    assert reader.metadata.title == "Change-management brief: Branches north, wave-2"
    assert reader.metadata.author == "surveyapp"
    assert embedded_files(reader) == []


def test_build_writes_every_units_brief_with_stable_names(survey_layout, run, tmp_path):
    store_wave(survey_layout, "wave-1", seed=3)
    result = run("briefs", "build", "wave-1", "--out", str(tmp_path), "--workers", "2")
    assert result.exit_code == 0, result.output
    expected = {f"wave-1-{unit.code}.pdf" for unit in demo.DEMO_UNITS}
    assert {p.name for p in tmp_path.iterdir()} == expected  # no partial files left behind
    assert f"{len(expected)} briefs written" in result.output

    small = read_pdf(tmp_path / "wave-1-SMALLBIZ.pdf")
    assert len(small.pages) == 1
    text = pdf_text(small)
    assert "Results hidden to protect small groups" in text
    assert "Encourage" not in text  # hidden to protect a neighbour is not low participation
    meta = BriefMeta("wave-1", "Wave 1", "Small business desk")
    chrome = ["Small business desk", "Wave 1", fieldwork(meta), "Page 1 of 1"]
    rest = text
    for allowed in chrome:
        assert allowed in rest
        rest = rest.replace(allowed, " ")
    assert not re.search(r"\d", rest), rest
    assert "%" not in rest and not any(heading in rest for heading in HEADINGS)
    footer = "Change-management brief · confidential to the unit's leadership"
    assert text.count(footer) == 1 and "Pageof" not in text  # the running words, never drawn


def test_build_names_an_unknown_campaign_or_unit_and_writes_nothing(survey_layout, run, tmp_path):
    out = tmp_path / "briefs"
    result = run("briefs", "build", "nope", "--out", str(out))
    assert result.exit_code == 1 and "no campaign 'nope'" in result.stderr
    result = run("briefs", "build", "wave-1", "--out", str(out), "--unit", "NOWHERE")
    assert result.exit_code == 1 and "--unit: unknown unit code 'NOWHERE'" in result.stderr
    assert not out.exists()
