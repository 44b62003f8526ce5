"""Open links for staff without email, and kiosk mode for a shared device."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Draft, Function, HeldResponse, OrgUnit, Response
from surveyapp.models.base import utcnow
from tests.plugins.survey import answer_pages, begin, close_and_release, form_token, radio_answers

EN = {"Accept-Language": "en"}


def test_an_open_link_asks_function_and_role_and_reports_what_is_missing(survey, browser_client):
    path = f"/o/{survey.open_codes['OPS-N']}"
    page = browser_client.get(path, headers=EN).get_data(as_text=True)
    assert "Which function do you work in?" in page and "Customer service" in page
    assert "Senior leader" in page
    refused = browser_client.post(
        path, data={"csrf_token": form_token(page), "level": "frontline"}, headers=EN
    )
    assert refused.status_code == 422
    assert "Please choose your function." in refused.get_data(as_text=True)
    forged = browser_client.post(
        path,
        data={"csrf_token": form_token(page), "function": "finance", "level": "ceo"},
        headers=EN,
    )
    assert forged.status_code == 422


def test_an_open_link_response_is_filed_under_its_unit_and_the_picks(
    app, run, survey, browser_client
):
    path = f"/o/{survey.open_codes['OPS-N']}"
    first = begin(browser_client, path + "?lang=es", function="sales", level="manager")
    end = answer_pages(browser_client, first)
    assert end == first.removesuffix("/1")
    thanks = browser_client.get(end, headers=EN).get_data(True).replace("&#39;", "'")
    assert "Save and finish later" not in thanks
    assert "escanear el mismo código" in thanks  # in the language they answered in
    assert "solo puede usarse una vez" not in thanks
    close_and_release(run)
    with app.app_context():
        response = db.session.scalars(sa.select(Response)).one()
        assert db.session.get(OrgUnit, response.unit_id).code == "OPS-N"
        assert db.session.get(Function, response.function_id).code == "sales"
        assert (response.level, response.locale) == ("manager", "es")


def test_a_spent_open_draft_is_stamped_with_the_time_it_was_submitted(app, survey, browser_client):
    """The device's daily limit counts submitted drafts from this time; on PostgreSQL the
    draft is spent inside the spend-and-hold statement, where `onupdate` does not run."""
    path = f"/o/{survey.open_codes['OPS-N']}"
    last = answer_pages(
        browser_client,
        begin(browser_client, path, function="sales", level="manager"),
        stop_before_last=True,
    )
    with app.app_context():
        db.session.execute(sa.update(Draft).values(updated_at=utcnow() - timedelta(minutes=20)))
        db.session.commit()
    before = utcnow()
    answer_pages(browser_client, last)
    with app.app_context():
        draft = db.session.scalars(sa.select(Draft)).one()
        assert draft.submitted and draft.sealed_answers is None
        assert draft.updated_at >= before - timedelta(seconds=1)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HeldResponse)) == 1


def test_a_kiosk_returns_to_the_start_and_keeps_nothing_of_the_last_person(
    app, survey, browser_client
):
    kiosk = f"/o/{survey.open_codes['OPS-N']}?kiosk=1"
    first = begin(browser_client, kiosk + "&lang=es", function="legal", level="frontline")
    page = browser_client.get(first).get_data(as_text=True)
    assert "Guardar" not in page and "Save and finish later" not in page
    last = answer_pages(browser_client, first, stop_before_last=True)
    html = browser_client.get(last).get_data(as_text=True)
    done = browser_client.post(
        last, data=radio_answers(html) | {"csrf_token": form_token(html), "action": "next"}
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith("kiosk=1&done=1")
    assert "session=;" in done.headers.get("Set-Cookie", "")  # the old session is dropped
    next_person = browser_client.get(done.headers["Location"], headers=EN)
    text = next_person.get_data(as_text=True)
    assert next_person.status_code == 200
    assert '<html lang="en">' in text  # not the last person's Spanish
    assert "ready for the next person" in text
    assert "checked" not in text
    assert next_person.headers["Cache-Control"] == "no-store"
    back_to_previous = browser_client.get(first, headers=EN)
    assert back_to_previous.status_code == 302
    assert back_to_previous.headers["Location"].endswith("kiosk=1")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HeldResponse)) == 1


def _first_page_answered(client, kiosk: str, function: str) -> tuple[str, str]:
    """Someone starts on the kiosk and answers page 1; (page 1, page 2) addresses."""
    first = begin(client, kiosk, function=function, level="frontline")
    html = client.get(first).get_data(as_text=True)
    data = radio_answers(html) | {"csrf_token": form_token(html), "action": "next"}
    second = client.post(first, data=data).headers["Location"]
    return first, second


def test_a_new_person_on_a_kiosk_ends_the_last_persons_unfinished_draft(
    app, survey, browser_client
):
    kiosk = f"/o/{survey.open_codes['OPS-N']}?kiosk=1"
    start = browser_client.get(kiosk, headers=EN)
    cookie = start.headers["Set-Cookie"]
    assert "surveyapp_kiosk=" in cookie and "HttpOnly" in cookie
    first, second = _first_page_answered(browser_client, kiosk, "legal")
    page_one = browser_client.get(first, headers=EN).get_data(as_text=True)
    assert "checked" in page_one and "Start over / I'm done</button>" in page_one
    _first_page_answered(browser_client, kiosk, "sales")  # the next person, same device
    for earlier in (first, second):  # the browser's history shows nothing of the first
        assert browser_client.get(earlier, headers=EN).status_code == 404
    with app.app_context():
        drafts = db.session.scalars(
            sa.select(Function.code).join(Draft, Draft.function_id == Function.id)
        ).all()
    assert drafts == ["sales"]


def test_im_done_on_a_kiosk_ends_the_draft_at_once(app, survey, browser_client):
    kiosk = f"/o/{survey.open_codes['OPS-N']}?kiosk=1"
    first, second = _first_page_answered(browser_client, kiosk, "legal")
    html = browser_client.get(second).get_data(as_text=True)
    done = browser_client.post(second, data={"csrf_token": form_token(html), "action": "done"})
    assert done.status_code == 302 and done.headers["Location"].endswith("kiosk=1")
    assert browser_client.get(first).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
