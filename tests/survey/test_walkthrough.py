"""A respondent answers a whole survey through the pages, as a browser would."""

from __future__ import annotations

import re

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Answer, Draft, Invitation, Response
from tests.survey.conftest import form_token

RADIO = re.compile(r'<input id="([^"]+)" name="(q\d+)" type="radio" value="([^"]+)"')


def answer_every_page(client, path: str, choose=lambda values: values[-1]) -> list:
    """Walk from the start page to the end, picking an option for every radio question."""
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    start = client.post(path, data={"csrf_token": form_token(page.get_data(as_text=True))})
    assert start.status_code == 302
    location = start.headers["Location"]
    visited = []
    while True:
        page = client.get(location)
        html = page.get_data(as_text=True)
        assert page.status_code == 200, html
        visited.append(location)
        options: dict[str, list[str]] = {}
        for _id, name, value in RADIO.findall(html):
            options.setdefault(name, []).append(value)
        data = {name: choose(values) for name, values in options.items()}
        data |= {"csrf_token": form_token(html), "action": "next"}
        posted = client.post(location, data=data)
        assert posted.status_code == 302, posted.get_data(as_text=True)
        location = posted.headers["Location"]
        if not re.search(r"/\d+$", location):
            return [*visited, location]


def test_a_personal_link_goes_from_the_privacy_page_to_one_stored_response(
    app, survey, browser_client
):
    path = survey.path(next(iter(survey.links)))
    first = browser_client.get(path).get_data(as_text=True)
    assert "This survey is anonymous." in first or "Esta encuesta es anónima." in first
    visited = answer_every_page(browser_client, path)
    assert len(visited) == 4  # three pages, then the start address again
    done = browser_client.get(visited[-1])
    assert done.status_code == 200
    with app.app_context():
        response = db.session.scalars(sa.select(Response)).one()
        assert response.invitation_id is None and response.person_id is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 20
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
        statuses = db.session.scalars(sa.select(Invitation.status)).all()
        assert sorted(statuses) == ["sent", "sent", "submitted"]
