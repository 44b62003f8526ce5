"""Fixtures: an app that signs staff in through a real OpenID provider on the loopback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from surveyapp import create_app
from surveyapp.extensions import db
from tests.factories import unit
from tests.plugins.staff import new_client
from tests.servers import free_port
from tests.sso.provider import oidc_provider, provider_settings, sign_in_at_provider

BASE_URL = "http://localhost"  # the test client's host
ROLE_MAP = "surveyapp-admins=admin; people-team=hr; ops-managers=change_manager:OPS,OPS-EU"
ACCOUNTS: dict[str, dict[str, Any]] = {
    "ana": {"email": "ana@example.org", "name": "Ana", "groups": ["ops-managers", "staff"]},
    "bo": {"email": "bo@example.org", "name": "Bo", "groups": ["staff"]},
    "cy": {"email": "cy@example.org", "name": "Cy", "groups": ["surveyapp-admins"]},
}


class Sso:
    """One test's provider (started on demand, restartable) and the app that trusts it."""

    def __init__(self, database_url: str, stack: ExitStack) -> None:
        self.port = free_port()
        self.database_url = database_url
        self.stack = stack
        self.app: Flask | None = None

    def make_app(self, **settings: Any) -> Flask:
        """The app, signing in through this provider; `settings` override the defaults."""
        config = provider_settings(self.port, SURVEYAPP_OIDC_ROLE_MAP=ROLE_MAP, **settings)
        self.app = create_app(
            {"SQLALCHEMY_DATABASE_URI": self.database_url, "SURVEYAPP_BASE_URL": BASE_URL, **config}
        )
        with self.app.app_context():
            unit(db.session, "OPS")
            unit(db.session, "OPS-EU")
            db.session.commit()
        return self.app

    def start(self, accounts: dict[str, dict[str, Any]] = ACCOUNTS, fault: str | None = None):
        """Start the provider (again, with new keys, when it ran before)."""
        return self.stack.enter_context(oidc_provider(self.port, BASE_URL, accounts, fault))

    def client(self) -> FlaskClient:
        assert self.app is not None
        return new_client(self.app)

    def callback_for(self, client: FlaskClient, login: str, next_: str | None = None) -> str:
        """Start signing in from the login page's button and sign in at the provider: the
        callback path (with code and state) the provider sends the browser back to."""
        query = f"?next={next_}" if next_ else ""
        started = client.get(f"/staff/login/sso{query}")
        assert started.status_code == 302, started.get_data(as_text=True)
        return sign_in_at_provider(started.headers["Location"], login).removeprefix(BASE_URL)


@pytest.fixture
def sso(app: Flask, database_url: str) -> Iterator[Sso]:
    """The `app` fixture empties the database after the test; this adds the provider."""
    with ExitStack() as stack:
        sso = Sso(database_url, stack)
        yield sso
    if sso.app is not None:
        with sso.app.app_context():
            db.session.remove()
            db.engine.dispose()
