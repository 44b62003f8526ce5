"""A closed campaign keeps the unit tree it closed with: moves and renames never re-cut it."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Campaign, CampaignUnit
from surveyapp.models.base import utcnow
from tests.factories import store_wave


def _analysis(run, slug: str) -> dict:
    result = run("analyze", slug, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _units_file(tmp_path, line: str):
    path = tmp_path / "units.csv"
    path.write_text(f"code,name,parent_code\n{line}\n", encoding="utf-8")
    return path


def _group(document: dict, key: str) -> dict:
    return next(g for g in document["groups"] if g["kind"] == "unit" and g["key"] == key)


def test_moving_and_renaming_a_unit_leaves_a_closed_wave_and_moves_an_open_one(
    survey_layout, run, tmp_path
):
    store_wave(survey_layout, "wave-1", seed=3)
    closed = run("campaign", "close", "wave-1")
    assert closed.exit_code == 0, closed.output
    store_wave(survey_layout, "wave-2", seed=4)  # still open
    frozen_before, open_before = _analysis(run, "wave-1"), _analysis(run, "wave-2")

    moved = run("units", "import", str(_units_file(tmp_path, "PRIVATE,Private (moved),CORP")))
    assert moved.exit_code == 0, moved.output
    assert _analysis(run, "wave-1") == frozen_before
    open_after = _analysis(run, "wave-2")
    assert _group(open_after, "CORP")["n"] == _group(open_before, "CORP")["n"] + 4
    assert _group(open_after, "RETAIL")["n"] == _group(open_before, "RETAIL")["n"] - 4

    back = run("units", "import", str(_units_file(tmp_path, "PRIVATE,Private banking,RETAIL")))
    assert back.exit_code == 0, back.output
    assert _analysis(run, "wave-1") == frozen_before
    assert _group(_analysis(run, "wave-2"), "CORP")["n"] == _group(open_before, "CORP")["n"]
    private = db.session.scalars(
        sa.select(CampaignUnit).where(CampaignUnit.code == "PRIVATE")
    ).one()
    assert private.parent_code == "RETAIL"  # the tree as it stood at close


def test_a_campaign_closed_by_its_date_is_frozen_by_the_daily_purge(survey_layout, run, tmp_path):
    store_wave(survey_layout, "wave-1", seed=3)
    campaign = db.session.scalars(sa.select(Campaign).where(Campaign.slug == "wave-1")).one()
    campaign.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    purged = run("drafts", "purge")
    assert "1 closed campaign(s) had their unit tree frozen" in purged.output
    before = _analysis(run, "wave-1")
    run("units", "import", str(_units_file(tmp_path, "PRIVATE,Private,CORP")))
    assert _analysis(run, "wave-1") == before
    assert "0 closed campaign(s)" in run("drafts", "purge").output  # frozen once
