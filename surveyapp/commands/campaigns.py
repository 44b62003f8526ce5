"""`surveyapp campaign`: create, open and close a campaign (a wave)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import code_list, in_transaction, iso_datetime, reported


@click.group()
def campaign() -> None:
    """Survey campaigns (waves)."""


@campaign.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option(
    "--instruments",
    "instrument_refs",
    required=True,
    help="instrument ids, comma-separated (id@N for a given version)",
)
@click.option("--units", "unit_codes", help="target unit codes, comma-separated")
@click.option("--all-units", is_flag=True, help="target the whole organisation")
@click.option("--mode", required=True, help="anonymous or confidential")
@click.option("--min-group", default=5, show_default=True, help="minimum reporting group size")
@click.option(
    "--min-comment-group",
    default=10,
    show_default=True,
    help="minimum group size for comments and themes",
)
@click.option("--opens", help="opening date or date-time (ISO 8601)")
@click.option("--closes", help="closing date or date-time (ISO 8601)")
@click.option("--open", "open_now", is_flag=True, help="open the campaign now")
@click.option(
    "--name-in",
    "names",
    multiple=True,
    metavar="LOCALE=TEXT",
    help="the name in one language, e.g. es='Pulso de IA' (repeat per language)",
)
@click.option(
    "--description",
    "descriptions",
    multiple=True,
    metavar="LOCALE=TEXT",
    help="a line shown under the survey's welcome, per language (repeat per language)",
)
@with_appcontext
def campaign_create(
    slug: str,
    name: str,
    instrument_refs: str,
    unit_codes: str | None,
    all_units: bool,
    mode: str,
    min_group: int,
    min_comment_group: int,
    opens: str | None,
    closes: str | None,
    open_now: bool,
    names: tuple[str, ...],
    descriptions: tuple[str, ...],
) -> None:
    """Create a campaign from loaded instruments."""
    from surveyapp.extensions import db
    from surveyapp.services.campaign_words import parse_names_and_descriptions
    from surveyapp.services.campaigns import CampaignSpec, create_campaign
    from surveyapp.services.consent import creation_warnings

    with reported():
        words = parse_names_and_descriptions(
            names, descriptions, current_app.config["SURVEYAPP_LOCALES"]
        )

    try:
        opens_at, closes_at = iso_datetime(opens), iso_datetime(closes)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--opens/--closes") from None
    spec = CampaignSpec(
        slug=slug,
        name=name,
        instruments=code_list(instrument_refs),
        unit_codes=code_list(unit_codes),
        all_units=all_units,
        mode=mode,
        min_group_size=min_group,
        min_comment_group_size=min_comment_group,
        opens_at=opens_at,
        closes_at=closes_at,
        open_now=open_now,
        **words,
    )
    created = in_transaction(lambda: create_campaign(db.session, spec))
    click.echo(f"created campaign {created.slug} ({created.status}, {created.privacy_mode})")
    for warning in creation_warnings(created):
        click.echo(f"warning: {warning}", err=True)


@campaign.command("open")
@click.argument("slug")
@with_appcontext
def campaign_open(slug: str) -> None:
    """Open a draft campaign now (its privacy mode and group sizes are then fixed)."""
    from surveyapp.extensions import db
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.campaigns import open_campaign

    in_transaction(lambda: open_campaign(db.session, campaign_by_slug(db.session, slug)))
    click.echo(f"opened campaign {slug}")


@campaign.command("close")
@click.argument("slug")
@with_appcontext
def campaign_close(slug: str) -> None:
    """Close a campaign now; unsubmitted drafts are deleted, held answers released, and the
    closing result release is made."""
    from surveyapp.extensions import db
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.campaigns import close_campaign
    from surveyapp.services.holding import scrub
    from surveyapp.services.sealing import Seal

    seal = Seal.held_responses(current_app.config)
    closed = in_transaction(
        lambda: close_campaign(db.session, campaign_by_slug(db.session, slug), seal)
    )
    scrub(db.session)
    click.echo(
        f"closed campaign {slug}; {closed.drafts_deleted} unsubmitted draft(s) deleted, "
        f"{closed.answers_released} held answer(s) released"
    )
    click.echo(closed.results.description)
