"""`surveyapp instruments`: checking and loading instrument files."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import in_transaction, reported


@click.group()
def instruments() -> None:
    """Check and load instrument files."""


def _instruments_path(path: Path | None) -> Path:
    return path or current_app.config["SURVEYAPP_INSTRUMENTS_DIR"]


def _schema_path() -> Path:
    return current_app.config["SURVEYAPP_INSTRUMENTS_DIR"] / "schema.json"


@instruments.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@with_appcontext
def instruments_validate(path: Path | None) -> None:
    """Check instrument files (a file or a folder; default: the configured folder)."""
    from surveyapp.catalog.loading import checked_documents

    with reported():
        documents = checked_documents(_instruments_path(path), _schema_path())
    for doc in documents:
        click.echo(f"ok  {doc.name}: {doc.data['id']} version {doc.data['version']}")


@instruments.command("load")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@with_appcontext
def instruments_load(path: Path | None) -> None:
    """Load instrument files into the database; loading twice changes nothing."""
    from surveyapp.catalog.loading import load_instruments
    from surveyapp.extensions import db

    outcomes = in_transaction(
        lambda: load_instruments(db.session, _instruments_path(path), _schema_path())
    )
    for outcome in outcomes:
        click.echo(f"{outcome.status:9}  {outcome.slug} version {outcome.version}")
