"""Drafts and campaigns as time passes, with the app's real clock on every database."""

from __future__ import annotations

from datetime import timedelta

from surveyapp.services.visits import DRAFT_LIFETIME, KIOSK_DRAFT_LIFETIME
from tests.clock import advance
from tests.plugins.survey import begin

EN = {"Accept-Language": "en"}
MINUTE = timedelta(minutes=1)


def test_a_kiosk_draft_lives_30_minutes_and_a_personal_one_30_days(app, survey, browser_client):
    kiosk = begin(
        browser_client,
        f"/o/{survey.open_codes['OPS-N']}?kiosk=1",
        function="finance",
        level="frontline",
    )
    personal = begin(browser_client, survey.path(survey.people[0]), lang="en")

    advance(app, KIOSK_DRAFT_LIFETIME - MINUTE)
    assert browser_client.get(kiosk, headers=EN).status_code == 200
    advance(app, 2 * MINUTE)
    assert browser_client.get(kiosk, headers=EN).status_code == 410
    assert browser_client.get(personal, headers=EN).status_code == 200

    advance(app, DRAFT_LIFETIME)
    expired = browser_client.get(personal, headers=EN)
    assert expired.status_code == 410
    assert "Your saved answers have expired" in expired.get_data(as_text=True)
