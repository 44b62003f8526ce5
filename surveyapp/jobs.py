"""Heavy work off the web tier: brief batches and campaign analyses run as jobs.

With SURVEYAPP_REDIS_URL set, a job is queued on RQ and run by `surveyapp worker`; without
it, the same function runs in-process at once. Either way the `Job` row is what the staff
area reads (status, progress, result, or why it failed), so both paths look the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.briefs.service import plan_briefs, write_briefs
from surveyapp.errors import SurveyappError
from surveyapp.extensions import db
from surveyapp.models import Campaign, Job, Response
from surveyapp.models.jobs import JOB_KINDS
from surveyapp.services.analysis import analyze_campaign, previous_wave, release_number

if TYPE_CHECKING:
    from rq import Queue

JOB_TIMEOUT_SECONDS = 1800  # an RQ worker stops a job that runs longer
RESULT_TTL_SECONDS = 86_400


def request_job(
    session: Session,
    kind: str,
    campaign: Campaign,
    requested_by: str,
    config: Mapping[str, Any],
    language: str = "en",
) -> Job:
    """Record a job and start it: on the queue when there is one, here and now otherwise.
    A brief batch is written in `language` (the language of whoever starts it)."""
    if kind not in JOB_KINDS:
        raise SurveyappError(f"unknown job kind {kind!r}; one of {', '.join(JOB_KINDS)}")
    job = Job(
        kind=kind,
        campaign_id=campaign.id,
        requested_by=requested_by,
        parameters={"language": language} if kind == "briefs" else {},
    )
    session.add(job)
    session.commit()  # the worker must find the row
    if config.get("SURVEYAPP_REDIS_URL"):
        work_queue(config).enqueue_call(
            run_job,
            args=(job.id,),
            timeout=JOB_TIMEOUT_SECONDS,
            result_ttl=RESULT_TTL_SECONDS,
            job_id=f"surveyapp-job-{job.id}",
            description=f"{kind} of {campaign.slug}",
        )
    else:
        execute(
            job.id, Path(config["SURVEYAPP_INSTRUMENTS_DIR"]), Path(config["SURVEYAPP_BRIEFS_DIR"])
        )
    return job


def work_queue(config: Mapping[str, Any]) -> Queue:
    """The RQ queue jobs go on (name from SURVEYAPP_QUEUE)."""
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(config["SURVEYAPP_REDIS_URL"])
    return Queue(config["SURVEYAPP_QUEUE"], connection=connection)


def run_job(job_id: int) -> None:
    """The RQ entry point: run the job in the worker's app; a failure fails the RQ job too."""
    from flask import current_app

    config = current_app.config
    if not execute(
        job_id, Path(config["SURVEYAPP_INSTRUMENTS_DIR"]), Path(config["SURVEYAPP_BRIEFS_DIR"])
    ):
        raise SurveyappError(f"job {job_id} failed; its row says why")


def execute(job_id: int, instruments_dir: Path, briefs_root: Path) -> bool:
    """Run one job, keeping its row current; False (and the reason stored) when it fails."""
    session = db.session
    job = session.get(Job, job_id)
    if job is None:
        raise SurveyappError(f"no job {job_id}")
    job.status, job.progress = "running", 0.0
    session.commit()
    campaign = session.get(Campaign, job.campaign_id)
    try:
        result = RUNNERS[job.kind](session, job, campaign, instruments_dir, briefs_root)
    except Exception as error:  # any failure is reported on the job, then the worker goes on
        session.rollback()
        job = session.get(Job, job_id)
        job.status, job.error = "failed", f"{type(error).__name__}: {error}"[:1000]
        session.commit()
        return False
    job.status, job.progress, job.result = "done", 1.0, result
    session.commit()
    return True


def _briefs(
    session: Session, job: Job, campaign: Campaign, instruments_dir: Path, briefs_root: Path
) -> dict[str, Any]:
    """Every unit's brief, into `<briefs root>/<campaign>/job-<id>/`, in the job's language."""
    language = (job.parameters or {}).get("language", "en")
    plans = plan_briefs(session, campaign, instruments_dir, language=language)
    if not plans or response_count(session, campaign) == 0:
        raise SurveyappError(f"campaign {campaign.slug!r} has no responses yet: no brief to build")
    out_dir = briefs_root / campaign.slug / f"job-{job.id}"
    done: list[Path] = []

    def written(path: Path) -> None:
        done.append(path)
        job.progress = round(len(done) / len(plans), 3)
        session.commit()

    files = write_briefs(plans, out_dir, written)
    return {"directory": str(out_dir), "files": sorted(path.name for path in files)}


def _analysis(
    session: Session, job: Job, campaign: Campaign, instruments_dir: Path, _briefs_root: Path
) -> dict[str, Any]:
    """The campaign's analysis document, kept with the result release it was computed on."""
    release = release_number(session, campaign)
    previous = previous_wave(session, campaign)
    document = analyze_campaign(session, campaign, instruments_dir, previous=previous)
    return {
        "release": release,
        "previous": previous.slug if previous else None,
        "document": document,
    }


def response_count(session: Session, campaign: Campaign) -> int:
    return session.scalar(
        sa.select(sa.func.count()).select_from(Response).where(Response.campaign_id == campaign.id)
    )


RUNNERS: dict[str, Callable[..., dict[str, Any]]] = {"briefs": _briefs, "analysis": _analysis}
