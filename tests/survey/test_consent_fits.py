"""Consent, and HR's per-person exports, only where they mean something: a confidential
campaign that asks the ai-literacy instrument. Elsewhere no consent question, no export link
that would fail, and a warning when such a campaign is made."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Response
from tests.plugins.staff import new_client
from tests.plugins.survey import answer_pages, begin, make_campaign

EN = {"Accept-Language": "en"}
HR_CONSENT = "HR sees your own AI-literacy results only if you agree below."
HR_BY_UNIT = "HR sees AI-literacy results by unit."


def test_a_confidential_campaign_without_literacy_asks_no_consent_and_stores_none(app, run):
    setup = make_campaign(app, run, mode="confidential", open_now=True)  # adoption-readiness
    client = new_client(app)
    link = setup.path(setup.people[0])
    page = client.get(link, headers=EN).get_data(as_text=True)
    assert "This survey is confidential." in page
    assert 'name="consent"' not in page and HR_CONSENT not in page and HR_BY_UNIT not in page
    assert "Change managers see group results for their business units." in page
    answer_pages(client, begin(client, link, consent="y"))  # a forged tick counts for nothing
    with app.app_context():
        assert db.session.scalars(sa.select(Response.consent)).all() == [False]


def test_an_open_link_never_promises_a_consent_box(app, run):
    setup = make_campaign(
        app, run, mode="confidential", instruments=("ai-literacy",), open_now=True
    )
    page = new_client(app).get(f"/o/{setup.open_codes['OPS-N']}", headers=EN)
    html = page.get_data(as_text=True)
    assert HR_BY_UNIT in html and HR_CONSENT not in html and 'name="consent"' not in html


def test_the_cli_warns_when_a_confidential_campaign_does_not_ask_literacy(app, run):
    make_campaign(app, run, open_now=True)  # loads instruments and units
    common = ("--units", "OPS", "--mode", "confidential")
    plain = run(
        "campaign", "create", "conf", "--name", "C", "--instruments", "ai-concerns", *common
    )
    assert plain.exit_code == 0, plain.output
    assert "warning: campaign conf is confidential but does not ask the ai-literacy" in plain.stderr
    fine = run("campaign", "create", "lit", "--name", "L", "--instruments", "ai-literacy", *common)
    assert fine.exit_code == 0 and "warning" not in fine.stderr
