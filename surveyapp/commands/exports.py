"""`surveyapp export ...` commands."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import reported
from surveyapp.exports.writers import FORMATS


@click.group("export")
def export() -> None:
    """Exports for HR."""


@export.command("literacy")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS), help="file format")
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--per-person",
    is_flag=True,
    help="one row per consenting person (confidential campaigns only) instead of per unit",
)
@click.option("--unit", help="only this unit and its sub-units")
@click.option("--bom", is_flag=True, help="start the CSV with a UTF-8 byte-order mark (Excel)")
@with_appcontext
def export_literacy_command(
    campaign_slug: str, fmt: str, out_file: Path, per_person: bool, unit: str | None, bom: bool
) -> None:
    """Export AI-literacy results by unit (or per person) as CSV, XLSX or SPSS .sav.

    The export is recorded in the audit trail with its row count; the file appears only once
    it is complete.
    """
    from surveyapp.exports.service import LiteracyExport, export_literacy
    from surveyapp.extensions import db
    from surveyapp.files import written_into_place
    from surveyapp.services.audit import cli_actor
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.transaction import atomic

    request = LiteracyExport(fmt, per_person, unit, bom)
    with reported(), written_into_place(out_file) as partial, atomic():
        rows = export_literacy(
            db.session,
            campaign_by_slug(db.session, campaign_slug),
            current_app.config["SURVEYAPP_INSTRUMENTS_DIR"],
            request,
            partial,
            cli_actor(),
        )
    kind = "people" if per_person else "groups (the organisation and its units)"
    click.echo(f"{rows} {kind} exported to {out_file}")
