"""Scanning an open link again on the same phone resumes that phone's unfinished draft; a
kiosk, another browser and an expired draft start afresh; nothing stored remakes the token."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Draft
from surveyapp.services.visits import DRAFT_LIFETIME
from tests.clock import advance
from tests.plugins.staff import new_client
from tests.plugins.survey import answer_pages, begin, saved_answers

LOCAL = "http://localhost"


def test_scanning_again_on_the_same_phone_resumes_its_draft(app, survey, browser_client):
    path = f"/o/{survey.open_codes['OPS-N']}"
    first = begin(browser_client, path, function="sales", level="frontline")
    token = first.split("/")[2]
    walked = answer_pages(browser_client, first, stop_before_last=True)
    answered = saved_answers(app, first)
    assert answered

    again = browser_client.get(path)  # the poster scanned again, later
    assert again.status_code == 302
    assert again.location.removeprefix(LOCAL) == f"/s/{token}"
    resumed = browser_client.get(again.location)
    assert resumed.location.removeprefix(LOCAL) == walked  # the furthest page reached
    assert saved_answers(app, first) == answered

    colleague = new_client(app).get(path)  # another browser gets its own start page
    assert colleague.status_code == 200 and "Start the survey" in colleague.get_data(True)


def test_a_kiosk_never_resumes_and_a_kiosk_start_ends_the_phones_draft(app, survey, browser_client):
    path = f"/o/{survey.open_codes['OPS-N']}"
    phone_draft = begin(browser_client, path, function="sales", level="frontline")
    kiosk_start = browser_client.get(path + "?kiosk=1")
    assert kiosk_start.status_code == 200  # kiosk mode: the start page, never a draft
    kiosk_draft = begin(browser_client, path + "?kiosk=1", function="legal", level="manager")
    assert browser_client.get(phone_draft).status_code == 404  # ended by the kiosk start
    assert browser_client.get(path).status_code == 200  # nor is the kiosk's draft resumed
    with app.app_context():
        kiosk = db.session.scalar(sa.select(Draft).where(Draft.kiosk.is_(True)))
        assert kiosk is not None and kiosk.resume_salt is None
    assert browser_client.get(kiosk_draft).status_code == 200


def test_an_expired_draft_is_not_resumed(app, survey, browser_client):
    path = f"/o/{survey.open_codes['OPS-N']}"
    begin(browser_client, path, function="sales", level="frontline")
    advance(app, DRAFT_LIFETIME * 1.1)
    fresh = browser_client.get(path)
    assert fresh.status_code == 200 and "Start the survey" in fresh.get_data(True)


def test_the_database_holds_nothing_that_remakes_the_drafts_token(app, survey, browser_client):
    path = f"/o/{survey.open_codes['OPS-N']}"
    first = begin(browser_client, path, function="sales", level="frontline")
    answer_pages(browser_client, first, stop_before_last=True)
    token = first.split("/")[2]
    device = browser_client.get_cookie("surveyapp_kiosk").value
    with app.app_context():
        row = db.session.execute(sa.select(Draft.__table__)).mappings().one()
    stored = " ".join(str(value) for value in row.values())
    assert token not in stored and device not in stored
    assert row["resume_salt"] and row["sealed_answers"]
    column = next(iter(saved_answers(app, first)))  # opened with the token, as the app does
    assert column.encode() not in row["sealed_answers"]


def test_each_kind_of_link_promises_only_what_it_does(app, survey, browser_client):
    en = {"Accept-Language": "en"}
    path = f"/o/{survey.open_codes['OPS-N']}"
    phone = browser_client.get(path, headers=en).get_data(as_text=True)
    assert "you can pause and finish later" in phone
    assert "scan the same code or open the same link again on this device" in phone
    kiosk = new_client(app).get(path + "?kiosk=1", headers=en).get_data(as_text=True)
    assert "pause" not in kiosk and "on this device" not in kiosk
    assert "This device is shared, so nothing is kept for later" in kiosk
    personal = new_client(app).get(survey.path(survey.people[0]), headers=en)
    assert "come back later with the same link" in personal.get_data(as_text=True)
    spanish = new_client(app).get(path + "?kiosk=1", headers={"Accept-Language": "es"})
    assert "Este dispositivo es compartido" in spanish.get_data(as_text=True)
