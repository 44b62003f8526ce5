"""Survey fixtures: an open campaign with invited people, links issued by the real service."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from surveyapp.extensions import db
from surveyapp.models import OrgUnit
from surveyapp.services.campaigns import CampaignSpec, create_campaign, issue_invitations
from surveyapp.services.open_links import create_open_links
from surveyapp.services.tokens import PersonalLinks
from tests import factories
from tests.harness import REPO_DIR
from tests.plugins.staff import new_client

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
RADIO = re.compile(r'<input[^>]* name="(q\d+)" type="radio" value="([^"]+)"')
PAGE_URL = re.compile(r"/\d+$")
LANG = re.compile(r'<input type="hidden" name="lang" value="([^"]*)"')
PROGRESS = re.compile(r'<progress id="progress" max="(\d+)" value="(\d+)"')


@dataclass
class SurveySetup:
    """An open campaign: its slug, personal links by employee id, open link codes by unit."""

    slug: str
    links: dict[str, str]
    open_codes: dict[str, str]

    @property
    def people(self) -> list[str]:
        """The invited employee ids, in the order the links were issued."""
        return list(self.links)

    def path(self, employee_id: str) -> str:
        return self.links[employee_id].removeprefix("http://127.0.0.1:5000")


def make_campaign(
    app: Flask,
    run,
    mode: str = "anonymous",
    instruments: tuple[str, ...] = ("adoption-readiness",),
    slug: str = "pulse",
    people: int = 3,
    levels: tuple[str, ...] = (),
    **spec_fields,
) -> SurveySetup:
    """Load the shipped instruments, make units OPS > OPS-N, people in OPS-N (frontline, or
    the `levels` given in order), and a campaign."""
    if run("instruments", "load", str(REPO_DIR / "instruments")).exit_code != 0:
        raise AssertionError("instruments did not load")
    with app.app_context():
        north = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "OPS-N"))
        if north is None:
            top = factories.unit(db.session, "OPS")
            north = factories.unit(db.session, "OPS-N", parent=top)
        for index in range(people):
            level = levels[index] if index < len(levels) else "frontline"
            person = factories.person(db.session, north, level=level)
            person.locale = "es"
        spec = CampaignSpec(
            slug, "AI pulse", list(instruments), ["OPS"], False, mode, **spec_fields
        )
        campaign = create_campaign(db.session, spec)
        issued = issue_invitations(db.session, campaign, PersonalLinks.from_config(app.config))
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


def last_real_option(values: list[str]) -> str:
    """The last option that is an answer, not "don't know"."""
    return [value for value in values if value != "dont_know"][-1]


def radio_answers(page_html: str, choose=last_real_option) -> dict[str, str]:
    """An answer for every radio question on the page (the last real option unless told)."""
    options: dict[str, list[str]] = {}
    for name, value in RADIO.findall(page_html):
        options.setdefault(name, []).append(value)
    return {name: choose(values) for name, values in options.items()}


def begin(client: FlaskClient, path: str, **fields: str) -> str:
    """Press 'Start the survey' on a start page; the first question page's address."""
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    data = {"csrf_token": form_token(page.get_data(as_text=True))} | fields
    started = client.post(path, data=data)
    assert started.status_code == 302, started.get_data(as_text=True)
    return started.headers["Location"]


def answer_pages(client: FlaskClient, location: str, stop_before_last: bool = False) -> str:
    """Answer page after page with Next; where the walk ended (the last page, or after it)."""
    while PAGE_URL.search(location):
        html = client.get(location).get_data(as_text=True)
        progress = PROGRESS.search(html)
        if stop_before_last and progress and progress.group(1) == progress.group(2):
            return location
        data = radio_answers(html) | {"csrf_token": form_token(html), "action": "next"}
        data["lang"] = LANG.search(html).group(1)  # the hidden field a browser sends back
        posted = client.post(location, data=data)
        assert posted.status_code == 302, posted.get_data(as_text=True)
        location = posted.headers["Location"]
    return location


def close_and_release(run, slug: str = "pulse") -> str:
    """Close the campaign through the CLI, which releases its held anonymous answers."""
    closed = run("campaign", "close", slug)
    assert closed.exit_code == 0, closed.output
    return closed.output


def saved_answers(app: Flask, path: str) -> dict:
    """The answers a link's draft holds, opened as the app opens them: with the link's token."""
    from surveyapp.services.visits import find_visit

    with app.app_context():
        visit = find_visit(db.session, path.split("/")[2])
        assert visit is not None and visit.draft is not None, f"no draft behind {path}"
        return visit.draft.answers


def walk_pages(
    client: FlaskClient, location: str, choose=last_real_option
) -> tuple[list[str], str]:
    """Answer every page with Next, `choose` picking each radio answer; the HTML of each page
    (as shown in English) and where the walk ended."""
    pages: list[str] = []
    while PAGE_URL.search(location):
        html = client.get(location, headers={"Accept-Language": "en"}).get_data(as_text=True)
        pages.append(html)
        data = radio_answers(html, choose) | {"csrf_token": form_token(html), "action": "next"}
        data["lang"] = LANG.search(html).group(1)
        posted = client.post(location, data=data)
        assert posted.status_code == 302, posted.get_data(as_text=True)
        location = posted.headers["Location"]
    return pages, location
