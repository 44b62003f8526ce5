"""The red team's attacks over time, replayed through the CLI: a pack rebuilt for the same day
after an import shows the same figures (a completion counts only from the day after it is
recorded), and a back-dated import never re-cuts a day already past."""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl
import sqlalchemy as sa
from pypdf import PdfReader

from surveyapp.extensions import db
from surveyapp.models import EvidenceBuild, OrgUnit
from surveyapp.services.measures import completions
from tests import factories
from tests.plugins.evidence import recorded_when_completed

POLICY = "AI policy,policy_acknowledgement"


def acknowledgements(run, tmp_path, people: list[str], day: date) -> None:
    """Import policy acknowledgements of `people` completed on `day` (recorded today)."""
    lines = ["employee_id,measure,kind,completed_on", *(f"{p},{POLICY},{day}" for p in people)]
    path = factories.write(tmp_path, "ack.csv", "\n".join(lines) + "\n")
    result = run("measures", "import", str(path))
    assert result.exit_code == 0, result.output


def build(run, out, day: date) -> tuple[dict[str, list[tuple]], list[str]]:
    """Build the organisation's pack of `day` into `out`; its sheets and its PDF's lines, but
    the build's own version, time and change log."""
    result = run("evidence", "build", "--out", str(out), "--as-of", day.isoformat())
    assert result.exit_code == 0, result.output
    (xlsx,) = out.glob("*.xlsx")
    (pdf,) = out.glob("*.pdf")
    book = openpyxl.load_workbook(xlsx)
    sheets = {
        name: [
            row
            for row in book[name].iter_rows(values_only=True)
            if row[0] not in ("Version", "Built")
        ]
        for name in book.sheetnames
        if name != "changes"
    }
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages).split("Change log")[0]
    moment = ("ersion", "Built ")  # the build's own version and time
    return sheets, [line for line in text.splitlines() if not any(m in line for m in moment)]


def test_a_rebuild_of_the_same_day_after_an_import_shows_the_same_figures(
    evidence_wave, run, tmp_path
):
    today = date.today()
    units = sorted(db.session.scalars(sa.select(OrgUnit.code)))
    # half of everyone acknowledged the policy before today: the organisation's count is shown
    yesterday = today - timedelta(days=1)
    acknowledgements(run, tmp_path, [f"P-{u}-{n}" for u in units for n in range(5)], yesterday)
    recorded_when_completed()
    before = build(run, tmp_path / "v1", today)
    assert any(
        row[3] == "policy acknowledgement" and isinstance(row[5], int) and row[5] > 5
        for row in before[0]["coverage"][1:]
        if row[2]
    )
    acknowledgements(run, tmp_path, ["P-CONTACT-5"], today)  # one more, dated today
    after = build(run, tmp_path / "v2", today)
    assert after == before  # the XLSX and the PDF alike: no figure moved by one


def test_a_back_dated_import_counts_from_the_day_after_it(evidence_wave, run, tmp_path):
    today = date.today()
    acknowledgements(run, tmp_path, ["P-CONTACT-5"], date(2026, 2, 1))
    mine = [d for d in completions(db.session, today + timedelta(days=1)) if d.kind != "briefing"]
    assert [d.counts_from for d in mine] == [today + timedelta(days=1)]
    assert not [d for d in completions(db.session, today) if d.kind != "briefing"]
    result = run("evidence", "build", "--out", str(tmp_path), "--as-of", str(today + timedelta(1)))
    assert result.exit_code == 1 and "is after today" in result.output


def coverage(sheets: dict[str, list[tuple]]) -> dict[tuple, object]:
    """A pack's completed counts by (unit, tier, kind)."""
    return {row[:1] + row[2:4]: row[5] for row in sheets["coverage"][1:] if row[2]}


def test_one_more_completion_between_two_packs_moves_no_shown_count_by_less_than_k(
    evidence_wave, run, tmp_path
):
    today = date.today()
    first, second = today - timedelta(days=10), today - timedelta(days=2)
    units = sorted(db.session.scalars(sa.select(OrgUnit.code)))
    ackd = [f"P-{u}-{n}" for u in units for n in range(5)]
    acknowledgements(run, tmp_path, ackd, first - timedelta(days=5))
    recorded_when_completed()
    before = coverage(build(run, tmp_path / "v1", first)[0])
    assert before[("CONTACT", "minimal-risk", "policy acknowledgement")] == 5  # shown on day 1
    acknowledgements(run, tmp_path, ["P-CONTACT-5"], first + timedelta(days=3))
    recorded_when_completed()
    after = coverage(build(run, tmp_path / "v2", second)[0])
    moved = {
        key: (before[key], after[key])
        for key in before
        if isinstance(before[key], int) and isinstance(after[key], int)
    }
    assert moved and all(b == a or abs(a - b) >= 5 for b, a in moved.values()), moved
    builds = db.session.scalars(sa.select(EvidenceBuild).order_by(EvidenceBuild.version))
    assert all(build.published for build in builds)  # what each published, for the next
