"""Open links for staff without email, and kiosk mode for a shared device."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Function, OrgUnit, Response
from tests.survey.conftest import answer_pages, begin, form_token, radio_answers

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


def test_an_open_link_response_is_filed_under_its_unit_and_the_picks(app, survey, browser_client):
    path = f"/o/{survey.open_codes['OPS-N']}"
    first = begin(browser_client, path + "?lang=es", function="sales", level="manager")
    end = answer_pages(browser_client, first)
    assert end == first.removesuffix("/1")
    thanks = browser_client.get(end, headers=EN).get_data(True).replace("&#39;", "'")
    assert "Save and finish later" not in thanks
    assert "escanear el mismo código" in thanks  # in the language they answered in
    assert "solo puede usarse una vez" not in thanks
    with app.app_context():
        response = db.session.scalars(sa.select(Response)).one()
        assert db.session.get(OrgUnit, response.unit_id).code == "OPS-N"
        assert db.session.get(Function, response.function_id).code == "sales"
        assert (response.level, response.locale) == ("manager", "es")


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
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
