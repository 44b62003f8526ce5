"""The staff pages of jobs: admins start brief batches and follow them; no one else can."""

from __future__ import annotations

import zipfile
from io import BytesIO

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Job
from tests.factories import store_wave
from tests.plugins.staff import csrf_token


def _only_job(app) -> Job:
    """The one job the test made (ids are not reset between tests on PostgreSQL)."""
    with app.app_context():
        job = db.session.scalars(sa.select(Job)).one()
        db.session.expunge(job)
        return job


def test_without_redis_an_admin_builds_every_brief_in_process_and_downloads_them(
    app, survey_layout, login_as
):
    store_wave(survey_layout, "wave-1", seed=5)
    admin = login_as("admin")
    token = csrf_token(admin, "/staff/campaigns/wave-1/jobs")
    started = admin.post(
        "/staff/campaigns/wave-1/jobs", data={"csrf_token": token, "kind": "briefs"}
    )
    assert started.status_code == 302
    status = admin.get(started.headers["Location"])
    html = status.get_data(as_text=True)
    assert "done" in html and "http-equiv" not in html
    job = _only_job(app)
    assert job.progress == 1.0 and len(job.result["files"]) > 5
    archive = admin.get(f"/staff/jobs/{job.id}/briefs.zip")
    names = zipfile.ZipFile(BytesIO(archive.get_data())).namelist()
    assert sorted(names) == job.result["files"]
    assert all(name.startswith("wave-1-") and name.endswith(".pdf") for name in names)


def test_only_admins_reach_jobs(app, survey_layout, login_as):
    store_wave(survey_layout, "wave-1", seed=5)
    for role, units in (("change_manager", ["RETAIL"]), ("hr", [])):
        client = login_as(role, units=units)
        assert client.get("/staff/campaigns/wave-1/jobs").status_code in (403, 404)
        assert client.get("/staff/jobs/999999").status_code in (403, 404)
