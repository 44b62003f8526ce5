"""`surveyapp responses`: answers imported from a file, and held anonymous answers released."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import in_transaction


@click.group()
def responses() -> None:
    """Submitted responses."""


@responses.command("import")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def responses_import(campaign_slug: str, file: Path) -> None:
    """Import responses from CSV: unit, function, level, [locale], then `<instrument>.<item>`.

    The import then makes the result release the rule allows, like any other arrival."""
    from surveyapp.extensions import db
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.csv_input import read_csv_file
    from surveyapp.services.responses import import_responses, response_columns
    from surveyapp.services.result_releases import Published, publish

    def work() -> tuple[int, Published]:
        campaign = campaign_by_slug(db.session, campaign_slug)
        required, optional = response_columns(campaign)
        imported = import_responses(
            db.session, campaign, read_csv_file(file, required, optional), str(file)
        )
        return imported, publish(db.session, campaign)

    imported, published = in_transaction(work)
    click.echo(f"{imported} responses imported into {campaign_slug}")
    click.echo(published.description)


@responses.command("release")
@click.argument("campaign_slug", metavar="CAMPAIGN", required=False)
@with_appcontext
def responses_release(campaign_slug: str | None) -> None:
    """Release held anonymous answers now: batches of at least k, everything once closed."""
    release_held_and_report(campaign_slug)


def release_held_and_report(campaign_slug: str | None, always_scrub: bool = False) -> None:
    """Release what each campaign (or the one named) can release, and say what happened;
    then scrub (holding.scrub) if anything was released, or always if asked."""
    from surveyapp.extensions import db
    from surveyapp.services.holding import release_now, scrub
    from surveyapp.services.sealing import Seal

    seal = Seal.held_responses(current_app.config)
    outcomes = in_transaction(lambda: release_now(db.session, seal, campaign_slug))
    if always_scrub or any(outcome.released for outcome in outcomes):
        scrub(db.session)
    if not outcomes:
        click.echo("no answers are held" + (f" for {campaign_slug}" if campaign_slug else ""))
    for outcome in outcomes:
        click.echo(
            f"{outcome.slug}: {outcome.released} answer(s) released, "
            f"{outcome.waiting} still waiting (batches of at least {outcome.batch})"
        )
