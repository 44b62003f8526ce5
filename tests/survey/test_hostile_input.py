"""Hostile input on the respondent pages: arbitrary form values never cause a server error
and never leave an answer in the database that its question would not accept."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyapp.extensions import db
from surveyapp.models import Answer, HeldResponse
from surveyapp.services import visits
from surveyapp.services.campaign_state import campaign_by_slug
from surveyapp.services.layout import campaign_layout
from tests.plugins.survey import begin, form_token, radio_answers, saved_answers

TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["", "0", "6", "-1", "99999999999999999999", "1.5", "1;2", "never;never", "\x00", "=1+1"]
)
ACTIONS = st.sampled_from(["next", "back", "save", "", "submit", "delete"])


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_arbitrary_posts_to_survey_pages_give_no_server_error_and_store_no_garbage(
    app, survey, browser_client, data
):
    path = survey.path(survey.people[0])
    html = browser_client.get(path).get_data(as_text=True)
    if "csrf_token" in html:
        begin(browser_client, path)
    number = data.draw(st.integers(min_value=1, max_value=4), label="page")
    page = browser_client.get(f"{path}/{number}")
    html = page.get_data(as_text=True)
    if page.status_code != 200 or "csrf_token" not in html:
        return
    names = [*sorted(radio_answers(html)), "lang", "unknown", "consent"]
    fields = data.draw(st.dictionaries(st.sampled_from(names), TEXT, max_size=12), label="form")
    fields |= {"csrf_token": form_token(html), "action": data.draw(ACTIONS, label="action")}
    posted = browser_client.post(f"{path}/{number}", data=fields)
    assert posted.status_code in (200, 302, 422), posted.get_data(as_text=True)[:500]
    with app.app_context():
        questions = campaign_layout(campaign_by_slug(db.session, survey.slug)).by_column
        draft = visits.find_visit(db.session, path.split("/")[2]).draft
        for column, value in (draft.answers if draft else {}).items():
            text = ";".join(value) if isinstance(value, list) else str(value)
            assert questions[column].parse(text) == value
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HeldResponse)) <= 1
        for number_answer in db.session.scalars(sa.select(Answer.number)):
            assert number_answer is None or 1 <= number_answer <= 5


def test_an_oversized_post_gets_413_and_changes_nothing(app, survey, browser_client):
    path = survey.path(survey.people[0])
    first = begin(browser_client, path)
    html = browser_client.get(first).get_data(as_text=True)
    big = radio_answers(html) | {
        "csrf_token": form_token(html),
        "action": "next",
        "padding": "x" * (1024 * 1024 + 1),
    }
    assert browser_client.post(first, data=big).status_code == 413
    assert saved_answers(app, path) == {}
