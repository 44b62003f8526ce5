"""`surveyapp invitations`: personal links issued and handed out again, each audited."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import reported
from surveyapp.services.audit import INVITATION_LINKS, INVITATIONS_ISSUED

if TYPE_CHECKING:
    from surveyapp.models import Campaign


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
    from surveyapp.files import create_private, links_csv

    create_private(partial)
    partial.write_text(links_csv(rows), encoding="utf-8", newline="")
