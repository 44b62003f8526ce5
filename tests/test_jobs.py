"""Brief batches and analyses as jobs: on a real RQ worker with Redis, in-process without."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from redis import Redis
from redis.exceptions import ConnectionError as RedisDown

from surveyapp.catalog import ALL_INSTRUMENTS
from surveyapp.extensions import db
from surveyapp.models import Campaign, Job
from surveyapp.services.analysis import cached_analysis
from surveyapp.services.campaigns import CampaignSpec, create_campaign
from tests.factories import store_wave

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def queue_on_redis(app):
    """Point the app at the local Redis, on a queue of its own."""
    try:
        Redis.from_url(REDIS_URL).ping()
    except RedisDown:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    app.config["SURVEYAPP_REDIS_URL"] = REDIS_URL
    app.config["SURVEYAPP_QUEUE"] = f"test-{uuid.uuid4().hex}"
    yield
    Redis.from_url(REDIS_URL).flushdb()


def _only_job(app) -> Job:
    """The one job the test made (ids are not reset between tests on PostgreSQL)."""
    with app.app_context():
        job = db.session.scalars(sa.select(Job)).one()
        db.session.expunge(job)
        return job


def test_a_real_worker_runs_a_queued_analysis_and_dashboards_reuse_it(
    app, run, survey_layout, queue_on_redis
):
    store_wave(survey_layout, "wave-1", seed=5)
    queued = run("jobs", "start", "analysis", "wave-1")
    job = _only_job(app)
    assert queued.exit_code == 0
    assert f"job {job.id} (analysis of wave-1): queued" in queued.output
    assert job.status == "queued"
    assert run("worker", "--burst").exit_code == 0
    job = _only_job(app)
    assert (job.status, job.progress, job.error) == ("done", 1.0, None)
    assert job.result["document"]["campaign"] == "wave-1"
    with app.app_context():
        campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == "wave-1"))
        assert cached_analysis(db.session, campaign, None) == job.result["document"]
    store_wave(survey_layout, "wave-1", seed=6)  # new answers make the stored analysis stale
    with app.app_context():
        campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == "wave-1"))
        assert cached_analysis(db.session, campaign, None) is None


def test_a_failed_job_on_the_worker_says_why(app, run, survey_layout, queue_on_redis):
    spec = CampaignSpec("empty", "Empty", ALL_INSTRUMENTS, [], True, "anonymous")
    create_campaign(db.session, spec)  # in the fixture's app context, as store_wave does
    db.session.commit()
    queued = run("jobs", "start", "briefs", "empty")
    assert queued.exit_code == 0, queued.output
    assert run("worker", "--burst").exit_code == 0
    job = _only_job(app)
    assert job.status == "failed"
    assert job.error == ("SurveyappError: campaign 'empty' has no responses yet: no brief to build")
