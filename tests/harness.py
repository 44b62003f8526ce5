"""How tests reach the app: the checkout's paths, the CLI runner, and the reset that gives
every test the database `surveyapp db upgrade` leaves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner

from surveyapp.cli import cli
from surveyapp.extensions import db

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
TEST_INSTRUMENTS = TESTS_DIR / "instruments"


class CliRunner:
    """Runs `surveyapp` commands against the test app, as a user types them."""

    def __init__(self, app: Flask) -> None:
        self.runner: FlaskCliRunner = app.test_cli_runner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def restore_rows(seeded_rows: dict[str, list[dict[str, Any]]]) -> None:
    """Delete every row, then put the seeded rows back."""
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        for table in db.metadata.sorted_tables:
            if table.name in seeded_rows:
                connection.execute(table.insert(), seeded_rows[table.name])
