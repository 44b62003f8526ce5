"""Admins start brief batches and analyses of a whole campaign and follow them here."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField

from surveyapp.extensions import db
from surveyapp.jobs import request_job
from surveyapp.language import current_language
from surveyapp.models import Job
from surveyapp.services.access import campaign_in_scope
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import role_required

JOB_ROLES = ("admin",)


class StartJobForm(FlaskForm):
    """Start a job of one kind (the kind is the button pressed)."""

    kind = HiddenField()


@bp.route("/campaigns/<slug>/jobs", methods=["GET", "POST"])
@role_required(*JOB_ROLES)
def campaign_jobs(slug: str) -> ResponseReturnValue:
    """The campaign's jobs, newest first, and the buttons that start new ones."""
    campaign = campaign_in_scope(db.session, current_user.id, slug)
    form = StartJobForm()
    if form.validate_on_submit():
        if form.kind.data not in ("briefs", "analysis"):
            abort(400, description="unknown job kind")
        job = request_job(
            db.session,
            form.kind.data,
            campaign,
            current_user.email,
            current_app.config,
            current_language(),
        )
        return redirect(url_for("staff.job_status", job_id=job.id))
    rows = db.session.scalars(
        sa.select(Job).where(Job.campaign_id == campaign.id).order_by(Job.id.desc()).limit(50)
    ).all()
    return render_template("staff/jobs.html", campaign=campaign, jobs=rows, form=form)


@bp.get("/jobs/<int(max=2147483647):job_id>")  # ids fit an INTEGER; a larger one is a 404
@role_required(*JOB_ROLES)
def job_status(job_id: int) -> ResponseReturnValue:
    """One job's progress; the page refreshes itself (no script) until the job ends."""
    job = db.get_or_404(Job, job_id)
    return render_template("staff/job.html", job=job)


@bp.get("/jobs/<int(max=2147483647):job_id>/briefs.zip")
@role_required(*JOB_ROLES)
def job_briefs(job_id: int) -> ResponseReturnValue:
    """A finished brief batch as one zip file."""
    job = db.get_or_404(Job, job_id)
    if job.kind != "briefs" or job.status != "done" or not job.result:
        abort(404)
    directory = Path(job.result["directory"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in job.result["files"]:
            archive.write(directory / name, arcname=name)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"briefs-job-{job.id}.zip",
    )
