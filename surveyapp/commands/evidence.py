"""`surveyapp aisystems`, `measures` and `evidence`: the AI-literacy evidence of Article 4."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from surveyapp.commands.common import import_csv


@click.group()
def aisystems() -> None:
    """The inventory of AI systems in use, per unit, function and level."""


@aisystems.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def aisystems_import(file: Path) -> None:
    """Replace the inventory with a CSV `system,description,risk_tier,unit,function,level`."""
    from surveyapp.services.ai_systems import AI_SYSTEM_COLUMNS, import_ai_systems

    click.echo(f"AI systems: {import_csv(file, AI_SYSTEM_COLUMNS, import_ai_systems)}")


@click.group()
def measures() -> None:
    """Literacy measures: the catalogue and who completed what."""


@measures.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def measures_import(file: Path) -> None:
    """Add completions from a CSV `employee_id,measure,kind,completed_on`."""
    from surveyapp.services.measures import COMPLETION_COLUMNS, import_completions

    click.echo(f"measures: {import_csv(file, COMPLETION_COLUMNS, import_completions)}")


@measures.command("catalogue")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def measures_catalogue(file: Path) -> None:
    """Create or update measures from a CSV `title,kind,topics,tiers,systems`."""
    from surveyapp.services.measures import CATALOGUE_COLUMNS, import_catalogue

    click.echo(f"catalogue: {import_csv(file, CATALOGUE_COLUMNS, import_catalogue)}")


@click.group()
def evidence() -> None:
    """The AI-literacy evidence pack (EU AI Act Article 4)."""


@evidence.command("build")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, file_okay=False))
@click.option("--unit", default=None, help="A unit code: that unit and its sub-units only.")
@click.option("--as-of", "as_of", default=None, help="The evidence day, YYYY-MM-DD (today).")
@click.option(
    "--campaign",
    "campaign",
    default=None,
    metavar="SLUG",
    help="The literacy wave the gaps are read from (the latest released one).",
)
@click.option("--lang", "language", default="en", show_default=True, help="en or es")
@with_appcontext
def evidence_build(
    out: Path, unit: str | None, as_of: str | None, campaign: str | None, language: str
) -> None:
    """Build the dated, versioned evidence pack (PDF and XLSX) into DIR, audited, in English
    or Spanish (--lang).

    The files are written only once the build is committed, each whole or not at all."""
    from flask import current_app

    from surveyapp.commands.common import in_transaction
    from surveyapp.errors import SurveyappError
    from surveyapp.evidence.pack import Pack, build_pack
    from surveyapp.extensions import db
    from surveyapp.services.audit import cli_actor

    def work() -> Pack:
        try:
            day = date.fromisoformat(as_of) if as_of is not None else None
        except ValueError:
            raise SurveyappError(f"--as-of: {as_of!r} is not a date YYYY-MM-DD") from None
        instruments = current_app.config["SURVEYAPP_INSTRUMENTS_DIR"]
        return build_pack(db.session, instruments, cli_actor(), unit, day, campaign, language)

    pack = in_transaction(work)
    try:
        paths = pack.write(out)
    except OSError as error:
        raise click.ClickException(
            f"version {pack.build.version} of the pack is recorded and audited with the "
            f"checksums of {pack.pdf_name} and {pack.xlsx_name}, but writing them into "
            f"{out} failed: {error}. Build again once {out} is writable."
        ) from None
    for path in paths:
        click.echo(str(path))


@evidence.command("tracks")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def evidence_tracks(campaign_slug: str, out: Path) -> None:
    """Per-person learning tracks beside completed measures (confidential campaigns, people
    who consented), as XLSX; audited, and written (whole) only once that is committed."""
    from flask import current_app

    from surveyapp.briefs.service import write_atomically
    from surveyapp.commands.common import in_transaction
    from surveyapp.evidence.tracks import export_tracks
    from surveyapp.extensions import db
    from surveyapp.services.audit import cli_actor
    from surveyapp.services.campaign_state import campaign_by_slug

    def work() -> bytes:
        campaign = campaign_by_slug(db.session, campaign_slug)
        instruments = current_app.config["SURVEYAPP_INSTRUMENTS_DIR"]
        return export_tracks(db.session, campaign, instruments, cli_actor())

    data = in_transaction(work)
    try:
        write_atomically(out, data)
    except OSError as error:
        raise click.ClickException(
            f"the export is recorded in the audit trail, but writing {out} failed: {error}"
        ) from None
    click.echo(str(out))
