"""`surveyapp briefs ...` commands."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import reported


@click.group()
def briefs() -> None:
    """PDF change-management briefs."""


@briefs.command("build")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False))
@click.option("--unit", help="only this unit's brief")
@click.option("--workers", type=click.IntRange(min=1), help="worker processes (default: cores)")
@click.option("--lang", "language", default="en", show_default=True, help="en or es")
@with_appcontext
def briefs_build(
    campaign_slug: str, out_dir: Path, unit: str | None, workers: int | None, language: str
) -> None:
    """Write one PDF brief per unit, `<campaign>-<unit>.pdf`, rendered over the cores, in
    English or Spanish (--lang)."""
    from surveyapp.briefs.service import plan_briefs, write_briefs
    from surveyapp.extensions import db
    from surveyapp.services.campaign_state import campaign_by_slug

    with reported():
        jobs = plan_briefs(
            db.session,
            campaign_by_slug(db.session, campaign_slug),
            current_app.config["SURVEYAPP_INSTRUMENTS_DIR"],
            unit,
            language,
        )
        with click.progressbar(length=len(jobs), label="rendering briefs") as bar:
            written = write_briefs(jobs, out_dir, lambda _path: bar.update(1), workers)
    click.echo(f"{len(written)} briefs written to {out_dir}")
