"""`surveyapp worker` runs queued jobs; `surveyapp jobs start` asks for one from the shell."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import reported


@click.command("worker")
@click.option("--burst", is_flag=True, help="stop when the queue is empty")
@with_appcontext
def worker(burst: bool) -> None:
    """Run brief batches and analyses queued on Redis (SURVEYAPP_REDIS_URL).

    Jobs run in this process, inside the app, one at a time; run several workers for more.
    """
    from rq import SimpleWorker

    from surveyapp.jobs import work_queue

    if not current_app.config["SURVEYAPP_REDIS_URL"]:
        raise click.ClickException(
            "SURVEYAPP_REDIS_URL is not set: without Redis, jobs run in the web process"
        )
    queue = work_queue(current_app.config)
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)


@click.group()
def jobs() -> None:
    """Brief batches and analyses of whole campaigns."""


@jobs.command("start")
@click.argument("kind", type=click.Choice(["briefs", "analysis"]))
@click.argument("campaign_slug", metavar="CAMPAIGN")
@with_appcontext
def jobs_start(kind: str, campaign_slug: str) -> None:
    """Queue a job (or run it now when there is no Redis) and say how it stands."""
    from surveyapp.extensions import db
    from surveyapp.jobs import request_job
    from surveyapp.services.campaign_state import campaign_by_slug

    with reported():
        campaign = campaign_by_slug(db.session, campaign_slug)
        job = request_job(db.session, kind, campaign, "cli", current_app.config)
    click.echo(f"job {job.id} ({kind} of {campaign_slug}): {job.status}")
    if job.status == "failed":
        raise click.ClickException(job.error or "the job failed")
