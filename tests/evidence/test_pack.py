"""The evidence pack read back: a dated, versioned PDF and XLSX with its inputs' checksums."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
import sqlalchemy as sa
from babel.dates import format_date
from pypdf import PdfReader

from surveyapp.analytics.suppression import HIDDEN_REASON
from surveyapp.extensions import db
from surveyapp.models import AuditEvent, Campaign, EvidenceBuild
from tests import factories
from tests.plugins.evidence import recorded_when_completed
from tests.plugins.exports import store_small_wave


def pdf_text(path) -> str:
    """Every page's text of a PDF file."""
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_pack_is_dated_versioned_and_carries_its_inputs_checksums(evidence_wave, run, tmp_path):
    result = run("evidence", "build", "--out", str(tmp_path / "pack"), "--as-of", "2026-03-01")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "pack" / "ai-literacy-evidence-organisation-2026-03-01-v1.pdf"
    xlsx = tmp_path / "pack" / "ai-literacy-evidence-organisation-2026-03-01-v1.xlsx"
    text = pdf_text(pdf)
    assert "Evidence as of 1 March 2026" in text and "version 1" in text
    pages = len(PdfReader(pdf).pages)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
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
        "actions",
        "effect",
        "changes",
    ]
    scope = {row[0]: row[1] for row in workbook["scope"].iter_rows(min_row=2, values_only=True)}
    assert scope["Evidence as of"] == "1 March 2026" and scope["Version"] == 1
    changes = list(workbook["changes"].iter_rows(min_row=2, values_only=True))
    assert {row[0]: row[2] for row in changes} == {
        name: entry["sha256"] for name, entry in build.inputs.items()
    }
    coverage = [r for r in workbook["coverage"].iter_rows(min_row=2, values_only=True)]
    # 8 of 10 briefed: 2 not briefed is a group under k, so neither count nor rate is shown
    assert (
        "CONTACT",
        "Contact centre",
        "limited-risk",
        "briefing",
        10,
        HIDDEN_REASON,
        HIDDEN_REASON,
    ) in [r[:7] for r in coverage]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "evidence.build"))
    assert event.detail["version"] == 1 and event.actor.startswith("cli:")


def test_a_second_build_is_the_next_version_and_logs_what_changed(evidence_wave, run, tmp_path):
    assert run("evidence", "build", "--out", str(tmp_path), "--as-of", "2026-03-01").exit_code == 0
    more = tmp_path / "more.csv"
    more.write_text(
        "employee_id,measure,kind,completed_on\nP-CONTACT-9,Chatbot briefing,briefing,2026-02-01\n"
    )
    assert run("measures", "import", str(more)).exit_code == 0
    recorded_when_completed()
    assert run("evidence", "build", "--out", str(tmp_path), "--as-of", "2026-03-01").exit_code == 0
    workbook = openpyxl.load_workbook(
        tmp_path / "ai-literacy-evidence-organisation-2026-03-01-v2.xlsx"
    )
    status = {row[0]: row[1] for row in workbook["changes"].iter_rows(min_row=2, values_only=True)}
    assert status["completions"] == "changed since version 1"  # no count: 8 → 9 is one person
    assert not any("→" in row for row in status.values())
    assert status["ai_systems"] == "unchanged since version 1"


def test_a_bad_as_of_or_unit_is_refused_and_nothing_is_built(evidence_wave, run, tmp_path):
    result = run("evidence", "build", "--out", str(tmp_path), "--as-of", "March")
    assert result.exit_code == 1 and "--as-of: 'March' is not a date" in result.output
    result = run("evidence", "build", "--out", str(tmp_path), "--unit", "NOPE")
    assert result.exit_code == 1 and "unknown unit code 'NOPE'" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceBuild)) == 0
    assert list(tmp_path.glob("*.pdf")) == []


def sheet(path, name: str) -> list[tuple]:
    """The rows of one sheet of an XLSX file, header first."""
    return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))


def test_the_pack_lists_the_actions_planned_literacy_first(evidence_wave, run, tmp_path):
    plans = {
        "Manager huddles": ("LENDING", date(2026, 1, 5), "adoption-readiness.knowledge"),
        "Chatbot clinics": ("CONTACT", date(2026, 1, 20), "literacy_index"),
    }
    details = {
        "Manager huddles": {"finding": "Readiness is low", "owner_role": "Line manager"},
        "Chatbot clinics": {
            "finding": "Literacy under the limited-tier target",
            "owner_role": "Team lead",
            "status": "in_progress",
            "updated": date(2026, 2, 10),
        },
    }
    due = {"Manager huddles": date(2026, 4, 1), "Chatbot clinics": date(2026, 3, 15)}
    for title, (unit, created, construct) in plans.items():
        factories.action(
            db.session,
            unit,
            title,
            created,
            construct=construct,
            due_on=due[title],
            **details[title],
        )
    factories.action(db.session, "CONTACT", "After the day", date(2026, 3, 2))
    db.session.commit()
    result = run("evidence", "build", "--out", str(tmp_path), "--as-of", "2026-03-01")
    assert result.exit_code == 0, result.output
    stem = tmp_path / "ai-literacy-evidence-organisation-2026-03-01-v1"
    rows = sheet(stem.with_suffix(".xlsx"), "actions")
    assert rows[0][:5] == ("unit", "unit name", "action", "finding it answers", "addresses")
    assert rows[1:3] == [
        (
            "CONTACT",
            "Contact centre",
            "Chatbot clinics",
            "Literacy under the limited-tier target",
            "AI literacy",
            "Team lead",
            datetime(2026, 3, 15),  # dates an analyst can sort and filter
            "In progress",
            datetime(2026, 2, 10),
        ),
        (
            "LENDING",
            "Corporate lending",
            "Manager huddles",
            "Readiness is low",
            "adoption readiness: knowledge",
            "Line manager",
            datetime(2026, 4, 1),
            "Planned",
            None,
        ),
    ]
    assert "After the day" not in str(rows)
    text = pdf_text(stem.with_suffix(".pdf"))
    assert "Actions planned" in text and "Chatbot clinics" in text and "Manager huddles" in text
    build = db.session.scalar(sa.select(EvidenceBuild))
    assert build.inputs["actions"]["count"] == 2
    changes = {row[0]: row[2] for row in sheet(stem.with_suffix(".xlsx"), "changes")}
    assert changes["actions"] == build.inputs["actions"]["sha256"]


def test_a_build_whose_commit_fails_leaves_no_file(evidence_wave, run, tmp_path, monkeypatch):
    def refuse() -> None:
        raise sa.exc.OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", refuse)
    with pytest.raises(sa.exc.OperationalError):
        run("evidence", "build", "--out", str(tmp_path / "pack"), "--as-of", "2026-03-01")
    monkeypatch.undo()
    assert not (tmp_path / "pack").exists() or list((tmp_path / "pack").iterdir()) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceBuild)) == 0


def test_a_failed_write_says_the_build_is_recorded_but_its_files_are_missing(
    evidence_wave, run, tmp_path, monkeypatch
):
    def full(path, content: bytes) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("surveyapp.evidence.pack.write_atomically", full)
    result = run("evidence", "build", "--out", str(tmp_path), "--as-of", "2026-03-01")
    assert result.exit_code == 1
    assert "version 1 of the pack is recorded and audited" in result.output
    assert "ai-literacy-evidence-organisation-2026-03-01-v1.pdf" in result.output
    assert "No space left on device" in result.output
    assert list(tmp_path.glob("ai-literacy-*")) == []


def more_literacy_waves(layout) -> None:
    """Beside `lit-1` (anonymous, opened 1 February): `lit-2`, anonymous, made after it but
    opened before it, and `lit-3`, confidential, made last and opened the same day."""
    store_small_wave(layout, "lit-2", seed=9)
    store_small_wave(layout, "lit-3", mode="confidential", seed=11)
    waves = {c.slug: c for c in db.session.scalars(sa.select(Campaign))}
    waves["lit-1"].opens_at = waves["lit-3"].opens_at = datetime(2026, 2, 1, tzinfo=UTC)
    waves["lit-2"].opens_at = datetime(2026, 1, 5, tzinfo=UTC)
    db.session.commit()


def test_gaps_are_read_from_the_latest_wave_to_open_or_the_one_asked_for(
    evidence_wave, survey_layout, run, tmp_path
):
    more_literacy_waves(survey_layout)
    assert run("evidence", "build", "--out", str(tmp_path), "--as-of", "2026-03-01").exit_code == 0
    result = run(
        "evidence", "build", "--out", str(tmp_path), "--as-of", "2026-03-01", "--campaign", "lit-2"
    )
    assert result.exit_code == 0, result.output
    today = date.today()
    released = f"{today.day} {today:%B %Y}"  # the day in words, as the pack writes days
    for version, slug in ((1, "lit-1"), (2, "lit-2")):
        stem = tmp_path / f"ai-literacy-evidence-organisation-2026-03-01-v{version}"
        scope = dict(row[:2] for row in sheet(stem.with_suffix(".xlsx"), "scope"))
        label = f"{slug} (anonymous), result release 1 of {released}"
        assert scope["Gaps read from"] == label
        assert f"Literacy read from {label}" in pdf_text(stem.with_suffix(".pdf")).replace(
            "\n", " "
        )
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "evidence.build"))
    assert [e.detail["gaps_wave"] for e in events] == ["lit-1", "lit-2"]
    args = ["--as-of", "2026-03-01", "--campaign", "lit-2", "--lang", "es"]
    assert run("evidence", "build", "--out", str(tmp_path / "es"), *args).exit_code == 0
    (spanish,) = (tmp_path / "es").glob("*.xlsx")
    scope = dict(row[:2] for row in sheet(spanish, "alcance"))
    day = format_date(today, "long", locale="es")
    assert f"lit-2 (anónima), publicación de resultados n.º 1 del {day}" in scope.values()


def test_a_campaign_that_is_unknown_or_not_a_released_literacy_wave_is_refused(
    evidence_wave, run, tmp_path
):
    result = run("evidence", "build", "--out", str(tmp_path), "--campaign", "nope")
    assert result.exit_code == 1 and "--campaign: unknown campaign 'nope'" in result.output
    factories.campaign(db.session)
    db.session.commit()
    slug = db.session.scalar(sa.select(Campaign.slug).where(Campaign.slug != "lit-1"))
    result = run("evidence", "build", "--out", str(tmp_path), "--campaign", slug)
    assert result.exit_code == 1 and "does not ask ai-literacy" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceBuild)) == 0


def test_coverage_has_one_k_whichever_wave_the_gaps_are_read_from(
    evidence_wave, survey_layout, run, tmp_path
):
    more_literacy_waves(survey_layout)
    waves = {c.slug: c for c in db.session.scalars(sa.select(Campaign))}
    waves["lit-2"].min_group_size = 3
    db.session.commit()
    books = {}
    for slug in ("lit-1", "lit-2"):
        out = tmp_path / slug
        args = ("evidence", "build", "--out", str(out), "--as-of", "2026-03-01")
        assert run(*args, "--campaign", slug).exit_code == 0
        (xlsx,) = out.glob("*.xlsx")
        books[slug] = xlsx
        scope = dict(row[:2] for row in sheet(xlsx, "scope"))
        assert scope["Minimum group size of coverage (k)"] == 5
    assert sheet(books["lit-1"], "coverage") == sheet(books["lit-2"], "coverage")
    assert sheet(books["lit-1"], "systems") == sheet(books["lit-2"], "systems")
    waves["lit-3"].min_group_size = waves["lit-3"].min_comment_group_size = 7
    db.session.commit()
    assert (
        run("evidence", "build", "--out", str(tmp_path / "7"), "--as-of", "2026-03-01").exit_code
        == 0
    )
    (xlsx,) = (tmp_path / "7").glob("*.xlsx")
    assert dict(row[:2] for row in sheet(xlsx, "scope"))["Minimum group size of coverage (k)"] == 7
