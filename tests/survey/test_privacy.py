"""Privacy in the respondent flow: unlinkable anonymous responses, consent, CSRF, hostile text."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from scipy.stats import spearmanr

from surveyapp.extensions import db
from surveyapp.models import Answer, Draft, Invitation, Response
from surveyapp.services import respondents, visits
from surveyapp.services.campaign_state import campaign_by_slug
from surveyapp.services.datasets import load_campaign_data
from surveyapp.services.holding import RELEASE_BATCH
from surveyapp.services.sealing import Seal
from surveyapp.services.survey_pages import survey_plan
from tests.plugins.survey import (
    answer_pages,
    begin,
    close_and_release,
    form_token,
    make_campaign,
    radio_answers,
    saved_answers,
)

EN = {"Accept-Language": "en"}


def test_an_anonymous_response_holds_nothing_that_joins_it_to_its_invitation(
    app, run, survey, browser_client
):
    path = survey.path(survey.people[0])
    answer_pages(browser_client, begin(browser_client, path))
    close_and_release(run)
    with app.app_context():
        invitation = db.session.scalars(
            sa.select(Invitation).where(Invitation.status == "submitted")
        ).one()
        row = db.session.execute(sa.select(Response.__table__)).mappings().one()
        assert row["invitation_id"] is None and row["person_id"] is None
        assert not row["consent"]
        assert type(row["submitted_on"]).__name__ == "date"  # the day, never the time
        assert invitation.token_hash not in {str(value) for value in row.values()}
        assert set(row.keys()) == {
            "id",
            "campaign_id",
            "invitation_id",
            "person_id",
            "unit_id",
            "function_id",
            "level",
            "locale",
            "consent",
            "submitted_on",
            "answer_vector",
            "result_release",  # the number of the result release that first showed it
        }
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
        issued_columns = set(Invitation.__table__.columns.keys())
        assert issued_columns.isdisjoint({"used_at", "submitted_at"})  # no time of use kept


def test_the_order_responses_are_read_in_says_nothing_of_the_order_they_came(app, run):
    setup = make_campaign(app, run, people=60, open_now=True)
    tokens = [link.rsplit("/", 1)[1] for link in setup.links.values()]
    digits = [f"adoption-readiness.awareness_{n}" for n in (1, 2, 4)]
    seal = Seal.held_responses(app.config)
    with app.app_context():
        for arrival, token in enumerate(tokens):
            visit = visits.find_visit(db.session, token)
            respondents.start_personal_draft(db.session, visit, "en", False)
            answers = {column: 1 + arrival // 5**place % 5 for place, column in enumerate(digits)}
            layout = survey_plan(db.session, visit.campaign).layout
            stored = respondents.submit(db.session, visit, layout, answers, "en", seal)
            db.session.commit()
            assert stored and stored.released in (0, RELEASE_BATCH)
        campaign = campaign_by_slug(db.session, setup.slug)
        loaded = load_campaign_data(db.session, campaign, unreleased=True).answers
    read_order = sum((loaded[column] - 1) * 5**place for place, column in enumerate(digits))
    assert sorted(read_order.astype(int)) == list(range(60))
    rho, _ = spearmanr(read_order, range(60))
    assert abs(rho) < 0.5


def test_consent_is_asked_only_in_confidential_campaigns_and_stored_with_the_person(app, run):
    from tests.plugins.staff import new_client

    setup = make_campaign(
        app, run, mode="confidential", instruments=("ai-literacy",), open_now=True, slug="conf"
    )
    client = new_client(app)
    first, second = (setup.path(e) for e in setup.people[:2])
    page = client.get(first, headers=EN).get_data(as_text=True)
    assert "This survey is confidential." in page
    assert 'name="consent"' in page
    answer_pages(client, begin(client, first, consent="y"))
    answer_pages(client, begin(client, second))
    with app.app_context():
        rows = db.session.execute(sa.select(Response.person_id, Response.consent)).all()
        assert sorted(consent for _person, consent in rows) == [False, True]
        assert all(person is not None for person, _consent in rows)
    anonymous = make_campaign(app, run, open_now=True, slug="anon")
    page = client.get(anonymous.path(anonymous.people[0]), headers=EN)
    assert 'name="consent"' not in page.get_data(as_text=True)


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(app, survey, browser_client):
    path = survey.path(survey.people[0])
    assert browser_client.post(path, data={}).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
    first_page = begin(browser_client, path)
    html = browser_client.get(first_page).get_data(as_text=True)
    forged = browser_client.post(
        first_page, data=radio_answers(html) | {"action": "next", "csrf_token": "forged"}
    )
    assert forged.status_code == 400
    assert saved_answers(app, path) == {}
    assert form_token(html)


def test_hostile_comments_are_stored_as_text_and_shown_escaped(app, run, browser_client):
    setup = make_campaign(app, run, instruments=("ai-concerns",), open_now=True, slug="words")
    path = setup.path(setup.people[0])
    location = begin(browser_client, path)
    hostile = '<script>alert(1)</script>=HYPERLINK("http://x")'
    while True:
        html = browser_client.get(location).get_data(as_text=True)
        data = radio_answers(html) | {"csrf_token": form_token(html), "action": "next"}
        textareas = re.findall(r'<textarea[^>]* name="(q\d+)"', html)
        data |= {name: hostile for name in textareas}
        if textareas:
            data["action"] = "save"
            browser_client.post(location, data=data)
            shown = browser_client.get(location).get_data(as_text=True)
            assert "<script>alert(1)</script>" not in shown
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
            data["action"] = "next"
        posted = browser_client.post(location, data=data)
        location = posted.headers["Location"]
        if location == path:
            break
    close_and_release(run, "words")
    with app.app_context():
        assert db.session.scalars(sa.select(Answer.text).where(Answer.number.is_(None))).all() == [
            hostile
        ]


@pytest.mark.parametrize(
    "comment",
    [
        'back\\slash "quoted" {"json": [1]} \\u0000 \\x00',
        "null\x00byte and bell\x07",
        "emoji 😀, right-to-left \u202eevil, accents áñü, CJK 調査",
    ],
)
def test_any_comment_a_browser_can_send_is_stored_as_its_text(app, run, browser_client, comment):
    setup = make_campaign(app, run, instruments=("ai-concerns",), open_now=True, slug="words")
    path = setup.path(setup.people[0])
    location = begin(browser_client, path)
    while location != path:
        html = browser_client.get(location).get_data(as_text=True)
        data = radio_answers(html) | {"csrf_token": form_token(html), "action": "next"}
        data |= {name: comment for name in re.findall(r'<textarea[^>]* name="(q\d+)"', html)}
        posted = browser_client.post(location, data=data)
        assert posted.status_code == 302, posted.get_data(as_text=True)[:300]
        location = posted.headers["Location"]
    close_and_release(run, "words")
    with app.app_context():
        stored = db.session.scalars(sa.select(Answer.text).where(Answer.number.is_(None))).all()
    assert stored == [comment.replace("\x00", "")]
