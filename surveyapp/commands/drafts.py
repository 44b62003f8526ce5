"""`surveyapp drafts`: respondents' unsubmitted answers, purged daily."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from surveyapp.commands.common import in_transaction


@click.group()
def drafts() -> None:
    """Respondents' saved, unsubmitted answers."""


@drafts.command("purge")
@with_appcontext
def drafts_purge() -> None:
    """Delete drafts of closed campaigns and drafts past their lifetime (run it daily).

    It also releases what held answers can be released, freezes the unit tree of campaigns
    closed by their date, and makes the result releases the rule allows, so figures follow
    the answers once a week (result_releases.RELEASE_INTERVAL), and a campaign closed by its
    date has its closing release and its tree fixed by the next run."""
    from surveyapp.commands.responses import release_held_and_report
    from surveyapp.commands.results import release_and_report
    from surveyapp.extensions import db
    from surveyapp.services.respondents import purge_drafts
    from surveyapp.services.unit_snapshots import freeze_closed_campaigns

    purged = in_transaction(lambda: purge_drafts(db.session))
    click.echo(f"{purged} draft(s) deleted")
    frozen = in_transaction(lambda: freeze_closed_campaigns(db.session))
    click.echo(f"{frozen} closed campaign(s) had their unit tree frozen")
    release_held_and_report(None, always_scrub=True)
    release_and_report(None, scheduled=True)
