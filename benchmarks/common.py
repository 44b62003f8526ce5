"""Shared set-up for the benchmarks: a throw-away database with the instruments and units."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
from flask import Flask

from surveyapp import create_app, demo
from surveyapp.catalog.loading import load_instruments
from surveyapp.demo_build import ALL_INSTRUMENTS
from surveyapp.extensions import db
from surveyapp.models import Campaign, OrgUnit
from surveyapp.services.campaigns import CampaignSpec, create_campaign


@contextmanager
def benchmark_app(database_url: str | None = None) -> Iterator[Flask]:
    """An app on a migrated database (a temporary SQLite file unless a URL is given)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade()
            yield app


def demo_campaign(app: Flask, slug: str = "bench") -> Campaign:
    """The demo organisation's units and a campaign of all four instruments (needs app context)."""
    instruments_dir = app.config["SURVEYAPP_INSTRUMENTS_DIR"]
    load_instruments(db.session, instruments_dir, instruments_dir / "schema.json")
    units: dict[str, OrgUnit] = {}
    for plan in demo.DEMO_UNITS:
        units[plan.code] = OrgUnit(code=plan.code, name=plan.name, parent=units.get(plan.parent))
        db.session.add(units[plan.code])
    campaign = create_campaign(
        db.session, CampaignSpec(slug, slug, ALL_INSTRUMENTS, [], True, "anonymous")
    )
    db.session.commit()
    return campaign


@contextmanager
def timed(label: str, results: dict[str, float]) -> Iterator[None]:
    """Record the wall time of the block under `label`."""
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start
