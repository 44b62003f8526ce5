"""API fixtures: the demo units, four campaigns, three staff users with tokens, and a client.

Everything is built through the real services, then the app context is closed, so every
API request runs in its own context as it would on a server. `api_world` has no answers
(cheap: scope and auth tests); `api_data` adds a small answered wave to `wave-1` and
`conf-1` and a finished analysis job for each, which the API reads as the dashboard does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from surveyapp.catalog import ALL_INSTRUMENTS
from surveyapp.demo import synthetic as demo
from surveyapp.extensions import db
from surveyapp.jobs import request_job
from surveyapp.models import Campaign, Function, OrgUnit
from surveyapp.services.api_tokens import create_api_token
from surveyapp.services.campaigns import CampaignSpec, create_campaign
from surveyapp.services.layout import campaign_layout
from surveyapp.services.responses import record_responses
from surveyapp.services.result_releases import publish
from surveyapp.services.users import create_user
from tests.factories import demo_units
from tests.harness import REPO_DIR
from tests.plugins.exports import small_organisation, store_small_wave
from tests.plugins.staff import PASSWORD

EMAILS = {
    "admin": "admin@example.org",
    "hr": "hr@example.org",
    "change_manager": "cm-ops@example.org",
}
MANAGER_UNITS = ["OPS"]  # OPS and below: TECHOPS, BACKOFFICE, LEGALRISK


@dataclass
class World:
    """What the fixtures made: each role's token (the secret) and token id."""

    tokens: dict[str, str] = field(default_factory=dict)
    token_ids: dict[str, int] = field(default_factory=dict)


class ApiClient:
    """A test client that sends one role's bearer token (or a given header) with each GET."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client = client
        self.token = token

    def get(self, path: str, headers: Mapping[str, str] | None = None, **kwargs: Any):
        sent = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self.client.get(path, headers={**sent, **(headers or {})}, **kwargs)


def _campaigns(app: Flask, run, answered: bool) -> None:
    """wave-1 (anonymous) and conf-1 (confidential) of every unit, retail-only, concerns-only."""
    assert run("instruments", "load", str(REPO_DIR / "instruments")).exit_code == 0
    with app.app_context():
        demo_units(db.session)
        wave = create_campaign(
            db.session, CampaignSpec("wave-1", "Wave 1", ALL_INSTRUMENTS, [], True, "anonymous")
        )
        layout = campaign_layout(wave)
        if answered:
            answers = demo.synthesize(layout, small_organisation(), seed=3)
            unit_ids = dict(db.session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
            functions = dict(db.session.execute(sa.select(Function.code, Function.id)).all())
            submissions = demo.to_submissions(answers, layout, unit_ids, functions)
            record_responses(db.session, wave, layout, submissions)
            publish(db.session, wave)
            store_small_wave(layout, "conf-1", "confidential")
        else:
            spec = CampaignSpec("conf-1", "Conf 1", ALL_INSTRUMENTS, [], True, "confidential")
            create_campaign(db.session, spec)
        retail = CampaignSpec(
            "retail-only", "Retail", ALL_INSTRUMENTS, ["RETAIL"], False, "anonymous"
        )
        create_campaign(db.session, retail)
        concerns = CampaignSpec("concerns", "Concerns", ["ai-concerns"], [], True, "confidential")
        create_campaign(db.session, concerns)
        db.session.commit()
        if answered:
            for slug in ("wave-1", "conf-1"):
                campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == slug))
                request_job(db.session, "analysis", campaign, "tests", app.config)


def _users(app: Flask) -> World:
    world = World()
    with app.app_context():
        for role, email in EMAILS.items():
            units = MANAGER_UNITS if role == "change_manager" else []
            user = create_user(db.session, email, role, units, PASSWORD)
            issued = create_api_token(db.session, user, f"{role} script")
            world.tokens[role] = issued.secret
            world.token_ids[role] = issued.token.id
        db.session.commit()
    return world


@pytest.fixture
def api_world(app: Flask, run) -> World:
    """Units, four campaigns without answers, and a token per role."""
    _campaigns(app, run, answered=False)
    return _users(app)


@pytest.fixture
def api_data(app: Flask, run) -> World:
    """As `api_world`, with answers in wave-1 and conf-1 and their analyses done."""
    _campaigns(app, run, answered=True)
    return _users(app)


@pytest.fixture
def as_role(app: Flask):
    """`as_role(world, "hr")`: a client sending hr's token; `as_role(world, None)`: none."""

    def make(world: World, role: str | None) -> ApiClient:
        return ApiClient(app.test_client(), world.tokens[role] if role else None)

    return make


def error_of(response: TestResponse) -> dict[str, Any]:
    """The error object of a JSON error response, after checking its shape."""
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == response.status_code
    assert body["error"]["message"]
    return body["error"]
