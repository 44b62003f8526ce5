"""Open-link sybil guards: staff browsers are refused, and a device answers once a day."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Draft, HeldResponse
from surveyapp.services import open_guard
from tests.clock import advance
from tests.plugins.staff import add_user, new_client, sign_in
from tests.plugins.survey import answer_pages, begin, form_token, radio_answers

EN = {"Accept-Language": "en"}
ES = {"Accept-Language": "es-ES"}


def _held(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(HeldResponse))


def _answer_all(client, path: str) -> str:
    """Start on an open link and answer every page; where the walk ended."""
    return answer_pages(client, begin(client, path, function="sales", level="frontline"))


def _submit_last_page(client, last: str):
    """Press Next on the last page of questions (the submission); the response."""
    html = client.get(last).get_data(as_text=True)
    data = radio_answers(html) | {"csrf_token": form_token(html), "action": "next"}
    return client.post(last, data=data)


def _signed_in(app, client, role: str = "change_manager", units: tuple[str, ...] = ("OPS",)):
    """`client` signed in to the staff pages as a new user of `role`."""
    add_user(app, f"{role}@example.org", role, units)
    assert sign_in(client, f"{role}@example.org").status_code == 302
    return client


def test_a_browser_signed_in_as_staff_cannot_start_on_an_open_link(app, survey, browser_client):
    staff = _signed_in(app, browser_client)
    path = f"/o/{survey.open_codes['OPS-N']}"
    refused = staff.get(path, headers=ES)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "Sesión de personal iniciada" in text and "Cierre la sesión del personal" in text
    assert "Which function" not in text
    fields = {"function": "sales", "level": "frontline", "csrf_token": _staff_token(staff)}
    posted = staff.post(path, data=fields, headers=EN)
    assert posted.status_code == 403
    assert "Sign out of the staff pages" in posted.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
    sign_out = staff.post("/staff/logout", data={"csrf_token": _staff_token(staff)})
    assert sign_out.status_code == 302
    _answer_all(staff, path)  # signed out, the same browser answers like anyone
    assert _held(app) == 1


def _staff_token(client) -> str:
    return form_token(client.get("/staff/sessions").get_data(as_text=True))


def test_signing_in_as_staff_mid_survey_refuses_the_submission_and_keeps_the_answers(
    app, survey, browser_client
):
    path = f"/o/{survey.open_codes['OPS-N']}"
    last = answer_pages(
        browser_client,
        begin(browser_client, path, function="sales", level="frontline"),
        stop_before_last=True,
    )
    _signed_in(app, browser_client, "hr", ())
    refused = _submit_last_page(browser_client, last)
    assert refused.status_code == 302 and "/refused?why=staff_browser" in refused.location
    page = browser_client.get(refused.location, headers=EN)
    assert page.status_code == 403 and "Signed in as staff" in page.get_data(as_text=True)
    assert _held(app) == 0
    browser_client.post("/staff/logout", data={"csrf_token": _staff_token(browser_client)})
    html = browser_client.get(last).get_data(as_text=True)
    assert "checked" in html  # the answers were kept
    assert _submit_last_page(browser_client, last).status_code == 302
    assert _held(app) == 1


def test_a_device_answers_an_open_link_once_a_day(app, survey, browser_client):
    path = f"/o/{survey.open_codes['OPS-N']}"
    first_tab = browser_client.get(path).get_data(as_text=True)  # left on the start page
    second_tab = begin(browser_client, path, function="legal", level="frontline")
    fields = {"function": "sales", "level": "frontline", "csrf_token": form_token(first_tab)}
    answer_pages(browser_client, browser_client.post(path, data=fields).location)
    assert _held(app) == 1
    again = browser_client.get(path, headers=ES)
    assert again.status_code == 429
    assert "Ya se respondió desde este dispositivo" in again.get_data(as_text=True)
    last = answer_pages(browser_client, second_tab, stop_before_last=True)
    refused = _submit_last_page(browser_client, last)
    assert "/refused?why=device_limit" in refused.location
    page = browser_client.get(refused.location, headers=EN)
    assert page.status_code == 429
    assert "already answered the survey through this link today" in page.get_data(as_text=True)
    assert _held(app) == 1
    _answer_all(new_client(app), path)  # a colleague on their own phone
    assert _held(app) == 2
    advance(app, open_guard.LIMIT_WINDOW)
    resumed = browser_client.get(path, headers=EN)  # a day later: the refused draft again
    assert resumed.status_code == 302
    assert resumed.location.removeprefix("http://localhost") == second_tab.removesuffix("/1")
    assert "/refused" not in _submit_last_page(browser_client, last).location
    assert _held(app) == 3


def test_a_forged_device_cookie_is_replaced_and_counts_like_any(app, survey, browser_client):
    path = f"/o/{survey.open_codes['OPS-N']}"
    browser_client.set_cookie("surveyapp_kiosk", "x")
    first = browser_client.get(path)
    assert "surveyapp_kiosk=" in first.headers["Set-Cookie"]
    assert browser_client.get_cookie("surveyapp_kiosk").value != "x"
    _answer_all(browser_client, path)
    assert browser_client.get(path).status_code == 429


def test_a_kiosk_takes_many_people_up_to_its_own_bound(app, survey, browser_client, monkeypatch):
    monkeypatch.setattr(open_guard, "KIOSK_DAILY_LIMIT", 2)
    kiosk = f"/o/{survey.open_codes['OPS-N']}?kiosk=1"
    for _ in range(2):
        end = _answer_all(browser_client, kiosk)
        assert end.endswith("kiosk=1&done=1")
    assert _held(app) == 2
    full = browser_client.get(kiosk, headers=EN)
    assert full.status_code == 429
    plain = browser_client.get(f"/o/{survey.open_codes['OPS-N']}", headers=EN)
    assert plain.status_code == 429  # out of kiosk mode the device has had its one


def test_the_daily_purge_keeps_a_kiosks_count_for_the_day(app, run, survey, browser_client):
    kiosk = f"/o/{survey.open_codes['OPS-N']}?kiosk=1"
    _answer_all(browser_client, kiosk)
    advance(app, timedelta(hours=1))  # past a kiosk draft's 30 minutes
    assert run("drafts", "purge").exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 1
    advance(app, open_guard.LIMIT_WINDOW)
    assert run("drafts", "purge").exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
