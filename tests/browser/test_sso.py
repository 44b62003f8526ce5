"""A change manager signs in through the company's identity provider in Chromium, and out.

The provider is node `oidc-provider` on the loopback address (tests/sso/provider.mjs); its
login form takes any password for a known account.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from surveyapp import create_app
from surveyapp.extensions import db
from tests.browser.axe import Axe
from tests.factories import unit
from tests.harness import restore_rows
from tests.plugins.sso import ACCOUNTS, ROLE_MAP
from tests.servers import free_port
from tests.sso.provider import oidc_provider, provider_settings

PROVIDER_PORT = free_port()


@pytest.fixture
def app(database_url: str, seeded_rows: dict[str, list[dict[str, Any]]]) -> Iterator[Flask]:
    """The test app, signing staff in through the provider that the test starts."""
    settings = provider_settings(PROVIDER_PORT, SURVEYAPP_OIDC_ROLE_MAP=ROLE_MAP)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, **settings})
    with app.app_context():
        unit(db.session, "OPS")
        unit(db.session, "OPS-EU")
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        restore_rows(seeded_rows)
        db.engine.dispose()


def test_a_change_manager_signs_in_and_out_through_the_provider(
    app: Flask, live_server: str, browser: Browser, axe: Axe
):
    app.config["SURVEYAPP_BASE_URL"] = live_server
    with oidc_provider(PROVIDER_PORT, live_server, ACCOUNTS):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.route("https://**/*", lambda route: route.abort())  # the provider's web font
        page = context.new_page()
        page.goto(f"{live_server}/staff/login")
        axe.check(page, "the sign-in page with single sign-on")
        page.get_by_role("link", name="Sign in with Test IdP").click()

        expect(page.get_by_role("heading", name="Sign-in")).to_be_visible()
        assert page.url.startswith(f"http://127.0.0.1:{PROVIDER_PORT}/interaction/")
        page.get_by_placeholder("Enter any login").fill("ana")
        page.get_by_placeholder("and password").fill("anything")
        page.get_by_role("button", name="Sign-in").click()

        expect(page.get_by_role("heading", level=1, name="Campaigns")).to_be_visible()
        expect(page.get_by_text("ana@example.org (change manager)")).to_be_visible()
        assert page.url == f"{live_server}/staff/"

        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="Yes, sign me out").click()
        expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
        assert page.url.startswith(f"{live_server}/staff/login")
        page.goto(f"{live_server}/staff/")
        expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
        context.close()
