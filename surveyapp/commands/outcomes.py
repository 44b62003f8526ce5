"""`surveyapp outcomes`: per-unit outcome metrics that say whether actions worked."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from surveyapp.commands.common import import_csv


@click.group()
def outcomes() -> None:
    """Outcome metrics per unit and period (never per person)."""


@outcomes.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def outcomes_import(file: Path) -> None:
    """Create or replace values from a CSV `unit,metric,period_start,period_end,value`."""
    from surveyapp.services.outcomes import OUTCOME_COLUMNS, import_outcomes

    click.echo(f"outcome values: {import_csv(file, OUTCOME_COLUMNS, import_outcomes)}")
