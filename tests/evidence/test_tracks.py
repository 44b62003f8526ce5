"""Per-person learning tracks beside completed measures: confidential campaigns, consenting
people, HR only, audited; refused for anonymous campaigns."""

from __future__ import annotations

import openpyxl
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import AuditEvent
from tests.factories import write
from tests.plugins.evidence import INVENTORY
from tests.plugins.exports import store_small_wave


def test_tracks_of_consenting_people_sit_beside_their_measures(survey_layout, run, tmp_path):
    campaign = store_small_wave(survey_layout, "conf-1", mode="confidential")
    run("aisystems", "import", str(write(tmp_path, "ai.csv", INVENTORY)))
    people = db.session.execute(sa.text("select employee_id from persons order by id")).scalars()
    first = next(iter(people))
    done = f"employee_id,measure,kind,completed_on\n{first},AI policy,briefing,2026-01-02\n"
    assert run("measures", "import", str(write(tmp_path, "m.csv", done))).exit_code == 0
    out = tmp_path / "tracks.xlsx"
    result = run("evidence", "tracks", campaign.slug, "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["tracks"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    ids = [row[0] for row in rows if row[0] and str(row[0]).startswith("E")]
    assert ids and all(int(i[1:]) % 2 == 0 for i in ids)  # the consenting people only
    mine = next(row for row in rows if row[0] == first)
    assert mine[6] == "AI policy" and mine[3]  # completed measure and a suggested track
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "evidence.tracks"))
    assert event.row_count == len(ids) and event.detail["per_person"] is True


def test_an_anonymous_campaign_has_no_tracks_and_nothing_is_written(evidence_wave, run, tmp_path):
    out = tmp_path / "tracks.xlsx"
    result = run("evidence", "tracks", evidence_wave.slug, "--out", str(out))
    assert (
        result.exit_code == 1 and "is anonymous: per-person results do not exist" in result.output
    )
    assert not out.exists()
    assert (
        db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "evidence.tracks"))
        is None
    )
