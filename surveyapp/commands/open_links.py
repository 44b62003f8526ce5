"""`surveyapp openlinks`: a campaign's open links per unit, for staff without email."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import code_list, reported

COLUMNS = ("unit_code", "url", "kiosk_url")


@click.group()
def openlinks() -> None:
    """Open links per unit (`/o/<code>`), printed on QR posters or set on a kiosk."""


@openlinks.command("create")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@click.option("--units", "unit_codes", help="unit codes, comma-separated")
@click.option("--all-units", is_flag=True, help="every unit the campaign surveys, sub-units too")
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="write the CSV to this file instead of standard output",
)
@with_appcontext
def openlinks_create(
    campaign_slug: str, unit_codes: str | None, all_units: bool, out_file: Path | None
) -> None:
    """Give units an open link (keeping existing ones); print `unit_code,url,kiosk_url`.

    Running it again prints the same links. With --out the file is written before the links
    are committed, so a failure leaves neither.
    """
    from surveyapp.files import written_into_place
    from surveyapp.services.transaction import atomic

    codes = code_list(unit_codes)
    if out_file is None:
        with reported(), atomic():
            rows, created = _create(campaign_slug, codes, all_units)
        click.echo(_csv_text(rows), nl=False)
    else:
        with reported(), written_into_place(out_file) as partial, atomic():
            rows, created = _create(campaign_slug, codes, all_units)
            partial.write_text(_csv_text(rows), encoding="utf-8")
    where = "" if out_file is None else f" written to {out_file}"
    click.echo(f"{len(rows)} open links{where} ({created} new)", err=out_file is None)


def _create(slug: str, codes: list[str], all_units: bool) -> tuple[list[tuple[str, ...]], int]:
    """The CSV rows of the units' open links, made where missing, and how many were made."""
    from surveyapp.extensions import db
    from surveyapp.services.audit import cli_actor
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.open_links import make_open_links, open_link_url

    campaign = campaign_by_slug(db.session, slug)
    made = make_open_links(db.session, campaign, codes, all_units, cli_actor())
    base_url = current_app.config["SURVEYAPP_BASE_URL"]
    rows = [
        (link.unit.code, open_link_url(base_url, link), open_link_url(base_url, link, kiosk=True))
        for link in made.links
    ]
    return rows, made.new


@openlinks.command("retire")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@click.option("--units", "unit_codes", required=True, help="unit codes, comma-separated")
@with_appcontext
def openlinks_retire(campaign_slug: str, unit_codes: str) -> None:
    """Stop the units' live open links taking answers (a poster taken down, a code leaked).

    Drafts begun through them cannot be finished. `openlinks create` then gives the units new
    links with new codes.
    """
    from surveyapp.errors import InputError, Problem
    from surveyapp.extensions import db
    from surveyapp.services.audit import cli_actor
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.open_links import campaign_open_links, retire_open_link
    from surveyapp.services.transaction import atomic

    codes = list(dict.fromkeys(code_list(unit_codes)))
    with reported(), atomic():
        campaign = campaign_by_slug(db.session, campaign_slug)
        live = {link.unit.code: link for link in campaign_open_links(db.session, campaign)}
        missing = [code for code in codes if code not in live]
        if missing or not codes:
            raise InputError(
                [Problem("--units", "", f"{code!r} has no live open link") for code in missing]
                or [Problem("--units", "", "give unit codes")]
            )
        for code in codes:
            retire_open_link(db.session, live[code], cli_actor())
    click.echo(f"{len(codes)} open link(s) retired: {', '.join(codes)}")


def _csv_text(rows: list[tuple[str, ...]]) -> str:
    """The links as CSV with a header row."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return text.getvalue()
