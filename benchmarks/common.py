"""Shared set-up for the benchmarks: a throw-away database with the instruments and units."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import flask_migrate
from flask import Flask

from surveyapp import create_app
from surveyapp.catalog import ALL_INSTRUMENTS
from surveyapp.catalog.loading import load_instruments
from surveyapp.demo import synthetic as demo
from surveyapp.extensions import db
from surveyapp.models import Campaign, OrgUnit
from surveyapp.services.campaigns import CampaignSpec, create_campaign

CHECKOUT_DIR = Path(__file__).resolve().parent.parent
GUNICORN = CHECKOUT_DIR / ".venv" / "bin" / "gunicorn"
BENCHMARK_REDIS = "redis://127.0.0.1:6379/14"
POSTGRES_ADMIN = [
    "psql",
    "-h",
    "127.0.0.1",
    "-U",
    "postgres",
    "-d",
    "test",
    "-v",
    "ON_ERROR_STOP=1",
]


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


@contextmanager
def throwaway_postgresql(prefix: str = "bench") -> Iterator[str]:
    """A new, empty PostgreSQL database on postgres@127.0.0.1, dropped when the block ends."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    subprocess.run([*POSTGRES_ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        subprocess.run(
            [*POSTGRES_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True
        )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn_server(
    app_spec: str,
    env: dict[str, str],
    log: IO[bytes],
    ready_path: str = "/healthz",
    workers: int = 2,
    pythonpath: Path | None = None,
) -> Iterator[int]:
    """Serve `app_spec` with the checkout's gunicorn.conf.py on a free port; yield the port.

    The access log goes to /dev/null so that the figures measure the app, not log writing.
    Several workers share their rate limits through Redis, as production must (the app refuses
    to start without it); SURVEYAPP_REDIS_URL in the environment wins over the local default.
    """
    port = free_port()
    command = [str(GUNICORN), "--config", str(CHECKOUT_DIR / "gunicorn.conf.py")]
    command += ["--access-logfile", "/dev/null"]
    if pythonpath is not None:
        command += ["--pythonpath", str(pythonpath)]
    server_env = {"SURVEYAPP_REDIS_URL": BENCHMARK_REDIS} | os.environ | env
    server_env |= {"SURVEYAPP_BIND": f"127.0.0.1:{port}", "SURVEYAPP_WORKERS": str(workers)}
    process = subprocess.Popen(
        [*command, app_spec], cwd=CHECKOUT_DIR, env=server_env, stdout=log, stderr=log
    )
    try:
        _wait_until_serving(process, port, ready_path)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_serving(process: subprocess.Popen, port: int, path: str) -> None:
    """Poll `path` until it answers below 500; fail early if gunicorn exits."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                connection.close()
                return
            connection.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer GET {path} on port {port} within 60 s")
