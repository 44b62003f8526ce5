"""Every state a link can be in has its own plain page and status, in the respondent's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.models import Campaign, Draft
from surveyapp.models.base import utcnow
from tests.plugins.survey import answer_pages, begin, form_token, make_campaign, saved_answers

EN = {"Accept-Language": "en"}
ES = {"Accept-Language": "es-ES,es;q=0.9"}


def test_unknown_and_malformed_tokens_get_the_same_404(survey, browser_client):
    unknown = browser_client.get("/s/" + "A" * 43, headers=EN)
    malformed = browser_client.get("/s/%3Cscript%3E", headers=EN)
    assert unknown.status_code == malformed.status_code == 404
    page = unknown.get_data(as_text=True)
    assert page.replace("A" * 43, "T") == malformed.get_data(as_text=True).replace(
        "%3Cscript%3E", "T"
    )
    assert "Link not found" in page and "<script>" not in malformed.get_data(as_text=True)
    deeper = browser_client.get("/s/" + "A" * 43 + "/2", headers=EN).get_data(as_text=True)
    assert deeper.replace("/2", "") == page
    assert browser_client.get("/o/nope", headers=EN).status_code == 404
    spanish = browser_client.get("/s/" + "B" * 43, headers=ES).get_data(as_text=True)
    assert '<html lang="es">' in spanish and "Link not found" not in spanish


def test_repeated_misses_from_one_address_are_rate_limited(survey, browser_client):
    statuses = [browser_client.get(f"/s/guess{n}").status_code for n in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
    real = browser_client.get(survey.path(survey.people[0]))
    assert real.status_code == 200  # a valid link from the same address (a shared NAT) works
    assert browser_client.get("/s/guess-again").status_code == 429


def _misses(client, addresses: list[str]) -> list[int]:
    return [
        client.get(f"/s/guess{n}", headers={"X-Forwarded-For": address}).status_code
        for n, address in enumerate(addresses)
    ]


def test_a_forged_forwarded_address_does_not_escape_the_limit(app):
    statuses = _misses(app.test_client(), [f"203.0.113.{n}" for n in range(31)])
    assert statuses[30] == 429  # no proxy configured: the header is not believed


def test_behind_a_configured_proxy_each_client_has_its_own_limit(app, database_url):
    proxied = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SURVEYAPP_PROXY_HOPS": 1})
    client = proxied.test_client()
    try:
        assert _misses(client, ["203.0.113.7"] * 31)[30] == 429
        assert _misses(client, ["198.51.100.9"]) == [404]  # a colleague behind the same proxy
    finally:
        with proxied.app_context():
            db.engine.dispose()


def test_a_campaign_not_yet_open_says_when_it_opens(app, run, browser_client):
    opens = utcnow() + timedelta(days=3)
    setup = make_campaign(app, run, opens_at=opens)
    page = browser_client.get(setup.path(setup.people[0]), headers=EN)
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "This survey is not open yet" in html
    assert str(opens.year) in html
    assert browser_client.get(f"/o/{setup.open_codes['OPS-N']}", headers=EN).status_code == 403


def test_a_draft_campaign_opened_by_hand_takes_answers(app, run, browser_client):
    setup = make_campaign(app, run)
    path = setup.path(setup.people[0])
    assert browser_client.get(path).status_code == 403
    assert run("campaign", "open", setup.slug).exit_code == 0
    assert browser_client.get(path).status_code == 200


def test_closing_a_campaign_shows_closed_and_purges_drafts(app, run, survey, browser_client):
    path = survey.path(survey.people[0])
    begin(browser_client, path)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 1
    closed = run("campaign", "close", survey.slug)
    assert closed.exit_code == 0 and "1 unsubmitted draft(s) deleted" in closed.output
    for url in (path, path + "/1", f"/o/{survey.open_codes['OPS-N']}"):
        page = browser_client.get(url, headers=EN)
        assert page.status_code == 410
        assert "This survey has closed" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0


def test_a_campaign_past_its_closing_date_is_closed(app, run, browser_client):
    setup = make_campaign(
        app, run, opens_at=utcnow() - timedelta(days=10), closes_at=utcnow() - timedelta(days=1)
    )
    assert browser_client.get(setup.path(setup.people[0])).status_code == 410


def test_a_used_link_shows_the_received_page_not_an_error(survey, browser_client):
    path = survey.path(survey.people[0])
    answer_pages(browser_client, begin(browser_client, path))
    for url in (path, path + "/1", path + "/3"):
        page = browser_client.get(url, headers=EN)
        assert page.status_code == 200
        assert "Your answers have been received" in page.get_data(as_text=True)


@pytest.mark.parametrize("kiosk", [False, True])
def test_an_expired_draft_says_so_and_can_start_again(app, survey, browser_client, kiosk):
    if kiosk:
        path = begin(
            browser_client,
            f"/o/{survey.open_codes['OPS-N']}?kiosk=1",
            function="finance",
            level="frontline",
        )
        age = timedelta(minutes=31)
    else:
        path = begin(browser_client, survey.path(survey.people[0]), lang="en")
        age = timedelta(days=31)
    with app.app_context():
        db.session.execute(sa.update(Draft).values(updated_at=utcnow() - age))
        db.session.commit()
    page = browser_client.get(path, headers=EN)
    assert page.status_code == 410
    assert "Your saved answers have expired" in page.get_data(as_text=True)
    if not kiosk:
        start = path.removesuffix("/1")
        again = browser_client.post(start, data={"csrf_token": form_token(page.get_data(True))})
        assert again.headers["Location"] == path  # "Start again" leads to page 1
        assert saved_answers(app, path) == {}


def test_purge_deletes_expired_drafts_and_keeps_live_ones(app, run, survey, browser_client):
    begin(browser_client, survey.path(survey.people[0]))
    begin(browser_client, survey.path(survey.people[1]))
    with app.app_context():
        first = db.session.scalars(sa.select(Draft).order_by(Draft.id)).first()
        first.updated_at = utcnow() - timedelta(days=40)
        db.session.commit()
    assert "1 draft(s) deleted" in run("drafts", "purge").output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 1
        assert db.session.scalar(sa.select(Campaign.status)) == "open"
