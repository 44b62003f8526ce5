"""`surveyapp results`: the releases a campaign's figures are published in."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from surveyapp.commands.common import in_transaction


@click.group()
def results() -> None:
    """Result releases: what the dashboard, briefs, exports and API show."""


@results.command("release")
@click.argument("campaign_slug", metavar="CAMPAIGN", required=False)
@with_appcontext
def results_release(campaign_slug: str | None) -> None:
    """Publish a new result release of the campaign (or of every campaign with responses in
    no release): the responses that change every group by 0 or at least k; the rest wait."""
    release_and_report(campaign_slug)


def release_and_report(campaign_slug: str | None, scheduled: bool = False) -> None:
    """Make what releases can be made now, and say what each published and what waits
    (`scheduled`: the daily job asks)."""
    from surveyapp.extensions import db
    from surveyapp.services.result_releases import publish_waiting

    outcomes = in_transaction(lambda: publish_waiting(db.session, campaign_slug, scheduled))
    if not outcomes:
        click.echo("no responses wait for a result release")
    for outcome in outcomes:
        click.echo(outcome.description)
