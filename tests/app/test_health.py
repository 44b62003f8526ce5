"""GET /healthz tells a load balancer whether the app can reach its database."""

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from surveyapp import create_app, database
from surveyapp.extensions import db

postgresql_only = pytest.mark.skipif(
    not os.environ.get("SURVEYAPP_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="pooled server connections: runs in the PostgreSQL pass",
)


def test_healthz_answers_200_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_not(tmp_path: Path):
    missing = tmp_path / "no-such-dir" / "app.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_healthz_answers_503_when_postgresql_refuses_connections():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503


def _cut_the_pooled_connection(app) -> None:
    """Serve one request, then have PostgreSQL end the backend its pooled connection uses."""
    with app.app_context():
        backend = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        db.session.remove()  # the connection goes back to the pool, still open
    admin = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with admin.begin() as connection:
        connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    admin.dispose()


@postgresql_only
def test_a_connection_cut_while_idle_is_replaced_before_the_next_request(app, monkeypatch):
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)  # every pooled connection is idle
    _cut_the_pooled_connection(app)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200


@postgresql_only
def test_a_connection_cut_while_busy_costs_one_request_then_the_pool_reconnects(app, monkeypatch):
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 3600.0)  # no connection counts as idle
    _cut_the_pooled_connection(app)
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200
