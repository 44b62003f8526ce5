"""Respondents' error pages: in their language, with what to do, and 503 when the database is
down (their saved answers are kept and the same link works again)."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from surveyapp.services import visits
from tests.plugins.survey import begin, form_token, radio_answers, saved_answers

ES = {"Accept-Language": "es"}


def test_a_database_outage_is_a_503_that_keeps_the_draft(app, survey, browser_client, monkeypatch):
    path = survey.path(survey.people[0])
    first = begin(browser_client, path)
    html = browser_client.get(first).get_data(as_text=True)
    data = radio_answers(html) | {"csrf_token": form_token(html), "action": "next"}

    def database_gone(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(visits, "find_visit", database_gone)
    down = browser_client.post(first, data=data, headers=ES)
    assert down.status_code == 503
    assert "Retry-After" in down.headers
    page = down.get_data(as_text=True)
    assert '<html lang="es">' in page and "Vuelva a intentarlo en un momento" in page
    monkeypatch.undo()
    retried = browser_client.post(first, data=data)
    assert retried.status_code == 302 and retried.headers["Location"].endswith("/2")
    assert len(saved_answers(app, first)) == len(radio_answers(html))


def test_a_stale_form_gets_a_page_in_the_respondents_language(survey, browser_client):
    path = survey.path(survey.people[0])
    expired = browser_client.post(path, data={"csrf_token": "stale"}, headers=ES)
    assert expired.status_code == 400
    assert "Esta página ha caducado" in expired.get_data(as_text=True)
