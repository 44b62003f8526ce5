"""Fixtures: one migrated database per test session, emptied after every test.

The schema is built by the real migrations (on SQLite, or on PostgreSQL when
SURVEYAPP_TEST_DATABASE_URL is set); rows that the migrations seed are put back after each
test, so every test starts from the state `surveyapp db upgrade` leaves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask

from surveyapp import create_app
from surveyapp.catalog import ALL_INSTRUMENTS
from surveyapp.extensions import db
from tests.harness import REPO_DIR, CliRunner, restore_rows

pytest_plugins = [  # fixtures of each area, for every test (tests/plugins/)
    "tests.plugins.staff",
    "tests.plugins.survey",
    "tests.plugins.mail",
    "tests.plugins.exports",
    "tests.plugins.api",
    "tests.plugins.sso",
    "tests.plugins.evidence",
]


def _reset_postgresql(url: str) -> None:
    """Empty the test database's public schema; the URL names a throw-away database."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The database every test uses, migrated to the newest revision once."""
    url = os.environ.get("SURVEYAPP_TEST_DATABASE_URL")
    if url:
        _reset_postgresql(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def seeded_rows(database_url: str) -> dict[str, list[dict[str, Any]]]:
    """The rows the migrations put in, by table, to restore after each test."""
    engine = sa.create_engine(database_url)
    metadata = db.metadata
    with engine.connect() as connection:
        rows = {
            table.name: [dict(row._mapping) for row in connection.execute(table.select())]
            for table in metadata.sorted_tables
        }
    engine.dispose()
    return {name: table_rows for name, table_rows in rows.items() if table_rows}


@pytest.fixture
def app(database_url: str, seeded_rows: dict[str, list[dict[str, Any]]]) -> Iterator[Flask]:
    """An app on the test database, configured for testing, with the real instruments."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    yield app
    with app.app_context():
        db.session.remove()
        restore_rows(seeded_rows)
        db.engine.dispose()


@pytest.fixture
def client(app: Flask):
    """A test client that talks to the app as a browser would."""
    return app.test_client()


@pytest.fixture
def run(app: Flask) -> CliRunner:
    """Invoke the real CLI group in-process: `run("units", "import", path)`."""
    return CliRunner(app)


@pytest.fixture
def survey_layout(app, run):
    """The question layout of a draft campaign of all four shipped instruments.

    Yields inside an app context, with the demo organisation's units created.
    """
    from surveyapp.services.campaigns import CampaignSpec, create_campaign
    from surveyapp.services.layout import campaign_layout
    from tests.factories import demo_units

    assert run("instruments", "load", str(REPO_DIR / "instruments")).exit_code == 0
    with app.app_context():
        demo_units(db.session)
        spec = CampaignSpec("wave-1", "Wave 1", ALL_INSTRUMENTS, [], True, "anonymous")
        campaign = create_campaign(db.session, spec)
        db.session.commit()
        yield campaign_layout(campaign)
