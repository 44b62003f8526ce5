"""A campaign keeps the unit tree of its first result release: moves never re-cut it.

Closed or open, a campaign with a release reads the tree that release was cut in; moving a
unit to another parent changes no figure, page or file of it, and the next release is still
stepped and audited in that tree (issue 16, points 4 and 7)."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Campaign, CampaignUnit, OrgUnit, ResultRelease
from surveyapp.models.base import utcnow
from tests.factories import api_token, store_wave
from tests.plugins.survey import CSRF, form_token

PAGES = ("/staff/campaigns/wave-1/", "/staff/campaigns/wave-1/units/RETAIL")
API = ("/api/v1/campaigns/wave-1/units", "/api/v1/campaigns/wave-1/units/RETAIL/results")


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


def test_moving_a_unit_leaves_closed_and_open_waves_and_a_rename_only_renames(
    survey_layout, run, tmp_path
):
    store_wave(survey_layout, "wave-1", seed=3)
    closed = run("campaign", "close", "wave-1")
    assert closed.exit_code == 0, closed.output
    store_wave(survey_layout, "wave-2", seed=4)  # still open, with its first release
    frozen_before, open_before = _analysis(run, "wave-1"), _analysis(run, "wave-2")

    moved = run("units", "import", str(_units_file(tmp_path, "PRIVATE,Private (moved),CORP")))
    assert moved.exit_code == 0, moved.output
    assert _analysis(run, "wave-1") == frozen_before
    assert _analysis(run, "wave-2") == open_before
    back = run("units", "import", str(_units_file(tmp_path, "PRIVATE,Private banking,RETAIL")))
    assert back.exit_code == 0, back.output
    assert _analysis(run, "wave-1") == frozen_before
    assert _analysis(run, "wave-2") == open_before
    private = db.session.scalars(
        sa.select(CampaignUnit).where(CampaignUnit.code == "PRIVATE")
    ).all()
    assert {unit.parent_code for unit in private} == {"RETAIL"}  # as at the first release


def test_an_admin_moving_a_unit_between_releases_changes_no_output_of_the_open_campaign(
    app,
    survey_layout,
    run,
    login_as,
):
    store_wave(survey_layout, "wave-1", seed=3)  # open, release 1
    admin = login_as("admin")
    token = api_token(app, "admin-all@example.org")
    api = app.test_client()

    def outputs() -> dict:
        pages = {path: admin.get(path) for path in PAGES}
        answers = {
            path: api.get(path, headers={"Authorization": f"Bearer {token}"}) for path in API
        }
        exported = admin.get("/staff/campaigns/wave-1/exports/literacy.csv")
        assert all(r.status_code == 200 for r in [*pages.values(), *answers.values(), exported])
        csv = exported.get_data()
        exported.close()
        return {
            "analyze": run("analyze", "wave-1", "--json").output,
            "export": csv,
            # every byte of the pages but the sign-out form's token, which is signed with the time
            **{path: CSRF.sub("", page.get_data(as_text=True)) for path, page in pages.items()},
            **{path: answer.get_data() for path, answer in answers.items()},
        }

    before = outputs()
    edit = "/staff/admin/units/PRIVATE"
    token_field = form_token(admin.get(edit).get_data(as_text=True))
    name = db.session.scalar(sa.select(OrgUnit.name).where(OrgUnit.code == "PRIVATE"))
    moved = admin.post(
        edit,
        data={"csrf_token": token_field, "name": name, "parent_code": "CORP"},
        follow_redirects=True,  # the notice "Unit PRIVATE saved." is shown on that page
    )
    assert "Unit PRIVATE saved." in moved.get_data(as_text=True)
    after = outputs()
    db.session.rollback()  # end this test's read, so the next wave can be written
    assert after.keys() == before.keys()
    for name, value in before.items():
        assert after[name] == value, name

    store_wave(survey_layout, "wave-1", seed=5)  # more answers, and the next release
    numbers = db.session.scalars(sa.select(ResultRelease.number)).all()
    assert sorted(numbers) == [1, 2]
    first, second = json.loads(before["analyze"]), _analysis(run, "wave-1")
    stored = db.session.scalar(
        sa.select(CampaignUnit.parent_code).where(CampaignUnit.code == "PRIVATE")
    )
    assert stored == "RETAIL"  # the second release was cut in the first one's tree
    k = first["min_group_size"]
    old = {(g["kind"], g["key"]): g["n"] for g in first["groups"] if g["n"] is not None}
    for group in second["groups"]:
        if group["n"] is not None and (group["kind"], group["key"]) in old:
            assert group["n"] - old[(group["kind"], group["key"])] in (0, *range(k, 10**6))


def test_a_campaign_closed_by_its_date_is_frozen_by_the_daily_purge(survey_layout, run, tmp_path):
    store_wave(survey_layout, "wave-1", seed=3)
    campaign = db.session.scalars(sa.select(Campaign).where(Campaign.slug == "wave-1")).one()
    campaign.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    purged = run("drafts", "purge")
    assert "0 closed campaign(s) had their unit tree frozen" in purged.output  # at its release
    before = _analysis(run, "wave-1")
    run("units", "import", str(_units_file(tmp_path, "PRIVATE,Private,CORP")))
    assert _analysis(run, "wave-1") == before
    assert "0 closed campaign(s)" in run("drafts", "purge").output  # frozen once
