"""`surveyapp analyze`: a campaign's analysis document as JSON."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import reported


@click.command("analyze")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@click.option("--unit", help="only this unit (and its sub-units), beside the organisation")
@click.option(
    "--compare",
    "compare_slug",
    help="earlier wave to compare with "
    "(default: the latest earlier campaign of the same instruments)",
)
@click.option("--json", "as_json", is_flag=True, required=True, help="print the JSON document")
@with_appcontext
def analyze_command(
    campaign_slug: str, unit: str | None, compare_slug: str | None, as_json: bool
) -> None:
    """Analyse a campaign: scores, reliability, patterns, groups, alignment, themes, actions."""
    import json

    from surveyapp.extensions import db
    from surveyapp.services.analysis import analyze_campaign, previous_wave
    from surveyapp.services.campaign_state import campaign_by_slug

    with reported():
        campaign = campaign_by_slug(db.session, campaign_slug)
        previous = (
            campaign_by_slug(db.session, compare_slug)
            if compare_slug
            else previous_wave(db.session, campaign)
        )
        document = analyze_campaign(
            db.session, campaign, current_app.config["SURVEYAPP_INSTRUMENTS_DIR"], unit, previous
        )
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
