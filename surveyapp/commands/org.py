"""`surveyapp units` and `roster`: the organisation's units and the people who can be invited."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from surveyapp.commands.common import import_csv


@click.group()
def units() -> None:
    """Business units."""


@units.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def units_import(file: Path) -> None:
    """Create or update units from a CSV file `code,name,parent_code`."""
    from surveyapp.services.org import UNIT_COLUMNS, import_units

    click.echo(f"units: {import_csv(file, UNIT_COLUMNS, import_units)}")


@click.group()
def roster() -> None:
    """The roster of people who can be invited."""


@roster.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def roster_import(file: Path) -> None:
    """Create or update people from a CSV `employee_id,email,unit,function,level,locale`."""
    from surveyapp.services.org import ROSTER_COLUMNS, import_roster

    click.echo(f"people: {import_csv(file, ROSTER_COLUMNS, import_roster)}")
