"""`surveyapp campaign`, `invitations`, `responses` and `analyze`."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import code_list, in_transaction, iso_datetime, reported
from surveyapp.services.audit import INVITATION_LINKS, INVITATIONS_ISSUED

if TYPE_CHECKING:
    from surveyapp.models import Campaign


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


@click.group()
def drafts() -> None:
    """Respondents' saved, unsubmitted answers."""


@drafts.command("purge")
@with_appcontext
def drafts_purge() -> None:
    """Delete drafts of closed campaigns and drafts past their lifetime (run it daily).

    It also releases what held answers can be released, freezes the unit tree of campaigns
    closed by their date, and makes the result releases the rule allows, so figures follow
    the answers once a day, and a campaign closed by its date has its closing release and
    its tree fixed by the next run."""
    from surveyapp.commands.results import release_and_report
    from surveyapp.extensions import db
    from surveyapp.services.respondents import purge_drafts
    from surveyapp.services.unit_snapshots import freeze_closed_campaigns

    purged = in_transaction(lambda: purge_drafts(db.session))
    click.echo(f"{purged} draft(s) deleted")
    frozen = in_transaction(lambda: freeze_closed_campaigns(db.session))
    click.echo(f"{frozen} closed campaign(s) had their unit tree frozen")
    _release_and_report(None, always_scrub=True)
    release_and_report(None)


@click.group()
def invitations() -> None:
    """Personal survey links."""


@invitations.command("issue")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def invitations_issue(campaign_slug: str, out_file: Path) -> None:
    """Invite everyone in the campaign's units; write `employee_id,link` for a mail merge.

    The file is written before the invitations are committed, so a failure leaves neither.
    `invitations links` writes every link again.
    """
    from surveyapp.extensions import db
    from surveyapp.files import written_into_place
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.campaigns import issue_invitations
    from surveyapp.services.tokens import PersonalLinks
    from surveyapp.services.transaction import atomic

    links = PersonalLinks.from_config(current_app.config)
    with reported(), written_into_place(out_file) as partial, atomic():
        campaign = campaign_by_slug(db.session, campaign_slug)
        issued = issue_invitations(db.session, campaign, links)
        _write_links(partial, issued.links)
        if issued.links:
            detail = {"already_invited": issued.already_invited}
            _audit_links(campaign, INVITATIONS_ISSUED, detail, len(issued.links))
    click.echo(
        f"{len(issued.links)} invitations issued to {out_file}; {issued.already_invited} "
        "people already had one (`surveyapp invitations links` writes every link again)"
    )


@invitations.command("links")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--unsubmitted", is_flag=True, help="only people who have not submitted")
@with_appcontext
def invitations_links(campaign_slug: str, out_file: Path, unsubmitted: bool) -> None:
    """Write personal links again (`employee_id,link`), never of people who have started."""
    from surveyapp.extensions import db
    from surveyapp.files import written_into_place
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.campaigns import invitation_links
    from surveyapp.services.tokens import PersonalLinks
    from surveyapp.services.transaction import atomic

    links = PersonalLinks.from_config(current_app.config)
    with reported(), written_into_place(out_file) as partial, atomic():
        campaign = campaign_by_slug(db.session, campaign_slug)
        handed = invitation_links(db.session, campaign, links, unsubmitted_only=unsubmitted)
        _write_links(partial, handed.links)
        _audit_links(
            campaign,
            INVITATION_LINKS,
            {"unsubmitted_only": unsubmitted, "withheld_started": handed.withheld},
            len(handed.links),
        )
    click.echo(
        f"{len(handed.links)} links written to {out_file}; {handed.withheld} withheld "
        "(people who have started: only they may open their saved answers)"
    )


def _audit_links(campaign: Campaign, action: str, detail: dict[str, Any], count: int) -> None:
    """Record a file of personal links written by the CLI, as the admin pages do."""
    from surveyapp.extensions import db
    from surveyapp.services.audit import cli_actor, record_export

    record_export(
        db.session,
        actor=cli_actor(),
        action=action,
        campaign=campaign,
        detail=detail,
        row_count=count,
    )


def _write_links(partial: Path, rows: list[tuple[str, str]]) -> None:
    """The mail-merge file, readable by its owner only: each line is a way into a survey."""
    from surveyapp.files import create_private

    create_private(partial)
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee_id", "link"])
        writer.writerows(rows)


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
    _release_and_report(campaign_slug)


def _release_and_report(campaign_slug: str | None, always_scrub: bool = False) -> None:
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
