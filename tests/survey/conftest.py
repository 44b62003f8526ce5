"""Survey fixtures: an open campaign with invited people, links issued by the real service."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from surveyapp.extensions import db
from surveyapp.services.campaigns import CampaignSpec, create_campaign, issue_invitations
from surveyapp.services.open_links import create_open_links
from tests import factories
from tests.conftest import REPO_DIR
from tests.staff.conftest import new_client

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class SurveySetup:
    """An open campaign: its slug, personal links by employee id, open link codes by unit."""

    slug: str
    links: dict[str, str]
    open_codes: dict[str, str]

    def path(self, employee_id: str) -> str:
        return self.links[employee_id].removeprefix("http://127.0.0.1:5000")


def make_campaign(
    app: Flask,
    run,
    mode: str = "anonymous",
    instruments: tuple[str, ...] = ("adoption-readiness",),
    slug: str = "pulse",
    people: int = 3,
    **spec_fields,
) -> SurveySetup:
    """Load the shipped instruments, make units OPS > OPS-N, people in OPS-N, a campaign."""
    if run("instruments", "load", str(REPO_DIR / "instruments")).exit_code != 0:
        raise AssertionError("instruments did not load")
    with app.app_context():
        top = factories.unit(db.session, "OPS")
        north = factories.unit(db.session, "OPS-N", parent=top)
        for _ in range(people):
            person = factories.person(db.session, north)
            person.locale = "es"
        spec = CampaignSpec(
            slug, "AI pulse", list(instruments), ["OPS"], False, mode, **spec_fields
        )
        campaign = create_campaign(db.session, spec)
        issued = issue_invitations(db.session, campaign, app.config["SURVEYAPP_BASE_URL"])
        codes = create_open_links(db.session, campaign, [north])
        db.session.commit()
        return SurveySetup(slug, dict(issued.links), {unit: code for unit, code in codes.items()})


@pytest.fixture
def survey(app: Flask, run) -> SurveySetup:
    """An open anonymous campaign of the ADKAR instrument with three invited people."""
    return make_campaign(app, run, open_now=True)


@pytest.fixture
def browser_client(app: Flask) -> FlaskClient:
    return new_client(app)


def form_token(page_html: str) -> str:
    found = CSRF.search(page_html)
    assert found, "no CSRF token on the page"
    return found.group(1)
