"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from surveyapp.extensions import db
from tests.harness import REPO_DIR


def test_models_and_migrations_agree(app):
    """Autogenerate against the migrated test database finds nothing to change."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


@pytest.fixture
def blank_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on the same server as the test database."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'blank.db'}"
        return
    name = f"surveyapp_blank_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            sa.engine.make_url(database_url)
            .set(database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def surveyapp_command(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed `surveyapp` console script as a user would."""
    env = {**os.environ, "SURVEYAPP_DATABASE_URL": database_url, "SURVEYAPP_ENV": "testing"}
    script = Path(sys.executable).with_name("surveyapp")
    return subprocess.run(
        [str(script), *args], cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_db_upgrade_then_instruments_load_on_a_blank_database(blank_database_url):
    upgrade = surveyapp_command(blank_database_url, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    load = surveyapp_command(blank_database_url, "instruments", "load")
    assert load.returncode == 0, load.stderr
    assert "loaded     ai-literacy version 2" in load.stdout
    again = surveyapp_command(blank_database_url, "instruments", "load")
    assert again.returncode == 0, again.stderr
    assert "loaded " not in again.stdout
    assert again.stdout.count("unchanged") == 4

    engine = sa.create_engine(blank_database_url)
    with engine.connect() as connection:
        functions = connection.execute(sa.text("SELECT code FROM functions")).scalars().all()
        instruments = connection.execute(sa.text("SELECT slug FROM instruments")).scalars().all()
    engine.dispose()
    assert {"finance", "operations", "customer-service"} <= set(functions)
    assert sorted(instruments) == [
        "adoption-readiness",
        "ai-concerns",
        "ai-literacy",
        "stakeholder-alignment",
    ]


def test_migrations_downgrade_to_nothing_and_back(blank_database_url):
    for args in (("upgrade",), ("downgrade", "base"), ("upgrade",)):
        result = surveyapp_command(blank_database_url, "db", *args)
        assert result.returncode == 0, result.stderr


def test_responses_stored_before_result_releases_become_release_one(blank_database_url):
    """Migration 0011: what a campaign's figures showed until then is its release 1."""
    assert surveyapp_command(blank_database_url, "db", "upgrade", "0010").returncode == 0
    units = sa.table("org_units", sa.column("id"), sa.column("code"), sa.column("name"))
    campaigns = sa.table(
        "campaigns",
        *(sa.column(c) for c in ("id", "slug", "name", "privacy_mode", "status")),
        *(sa.column(c) for c in ("min_group_size", "min_comment_group_size")),
        sa.column("created_at", sa.DateTime()),
    )
    responses = sa.table(
        "responses",
        sa.column("id", sa.Uuid()),
        *(sa.column(c) for c in ("campaign_id", "unit_id", "function_id", "level", "locale")),
        sa.column("consent", sa.Boolean()),
        sa.column("submitted_on", sa.Date()),
        sa.column("answer_vector", sa.LargeBinary()),
    )
    engine = sa.create_engine(blank_database_url)
    with engine.begin() as connection:
        connection.execute(sa.insert(units).values(id=1, code="U", name="Unit"))
        connection.execute(
            sa.insert(campaigns).values(
                id=1, slug="old", name="Old", privacy_mode="anonymous", status="closed",
                min_group_size=5, min_comment_group_size=10, created_at=datetime(2026, 1, 1),
            )
        )  # fmt: skip
        function = connection.execute(sa.text("SELECT min(id) FROM functions")).scalar_one()
        connection.execute(
            sa.insert(responses),
            [
                {"id": uuid.uuid4(), "campaign_id": 1, "unit_id": 1, "function_id": function,
                 "level": "frontline", "locale": "en", "consent": False,
                 "submitted_on": date(2026, 1, 2), "answer_vector": b""}
                for _ in range(3)
            ],
        )  # fmt: skip
    upgrade = surveyapp_command(blank_database_url, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    with engine.connect() as connection:
        releases = connection.execute(
            sa.text("SELECT campaign_id, number FROM result_releases")
        ).all()
        members = connection.execute(sa.text("SELECT result_release FROM responses")).scalars()
        assert [tuple(r) for r in releases] == [(1, 1)] and list(members) == [1, 1, 1]
    engine.dispose()


def test_a_campaign_released_before_0017_keeps_todays_tree_from_then_on(blank_database_url):
    """Migration 0017: an open campaign with a release gets the tree it was read in."""
    assert surveyapp_command(blank_database_url, "db", "upgrade", "0015").returncode == 0
    engine = sa.create_engine(blank_database_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO org_units (id, code, name, parent_id) VALUES "
                "(1, 'TOP', 'Top', NULL), (2, 'SUB', 'Sub', 1)"
            )
        )
        for number, slug in ((1, "released"), (2, "unreleased")):
            connection.execute(
                sa.text(
                    "INSERT INTO campaigns (id, slug, name, privacy_mode, status, min_group_size,"
                    " min_comment_group_size, created_at, names, descriptions) VALUES (:id, :slug,"
                    " :slug, 'anonymous', 'open', 5, 10, :created, '{}', '{}')"
                ),
                {"id": number, "slug": slug, "created": datetime(2026, 1, 1)},
            )
        connection.execute(
            sa.text(
                "INSERT INTO result_releases (campaign_id, number, released_on, withheld)"
                " VALUES (1, 1, :day, '[]')"
            ),
            {"day": date(2026, 1, 2)},
        )
    upgrade = surveyapp_command(blank_database_url, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    with engine.connect() as connection:
        frozen = connection.execute(
            sa.text(
                "SELECT campaign_id, code, parent_code FROM campaign_units_frozen ORDER BY code"
            )
        ).all()
    assert [tuple(row) for row in frozen] == [(1, "SUB", "TOP"), (1, "TOP", None)]
    engine.dispose()
