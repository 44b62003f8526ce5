"""A respondent answers a whole survey through the pages, as a browser would."""

from __future__ import annotations

import re

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Answer, Draft, Invitation, Response
from tests.plugins.survey import answer_pages, begin, close_and_release, form_token, radio_answers


def test_a_personal_link_goes_from_the_privacy_page_to_one_stored_response(
    app, run, survey, browser_client
):
    path = survey.path(survey.people[0])
    first = browser_client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This survey is anonymous." in first
    assert "groups of at least 5 people" in first
    end = answer_pages(browser_client, begin(browser_client, path))
    assert end == path
    done = browser_client.get(end, headers={"Accept-Language": "en"})
    assert done.status_code == 200
    assert "Your answers have been received" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    close_and_release(run)
    with app.app_context():
        response = db.session.scalars(sa.select(Response)).one()
        assert response.invitation_id is None and response.person_id is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 15
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
        statuses = db.session.scalars(sa.select(Invitation.status)).all()
        assert sorted(statuses) == ["sent", "sent", "submitted"]


def test_a_required_question_left_blank_is_named_next_to_its_field_and_focused(
    survey, browser_client
):
    path = survey.path(survey.people[0])
    first_page = begin(browser_client, path, lang="en")
    html = browser_client.get(first_page).get_data(as_text=True)
    answers = radio_answers(html)
    skipped = sorted(answers)[1]
    del answers[skipped]
    refused = browser_client.post(
        first_page,
        data=answers | {"csrf_token": form_token(html), "action": "next"},
        headers={"Accept-Language": "en"},
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert page.count('class="error"') == 1
    assert f'id="{skipped}-error">Please answer this question.' in page
    assert f'href="#{skipped}-error"' in page  # the summary at the top links to it
    assert page.count("autofocus") == 1
    assert (
        f'id="{skipped}-0" name="{skipped}" type="radio" value="1" autofocus'
        in page.replace(' autofocus=""', " autofocus")
        or f'autofocus id="{skipped}-0"' in page
    )
    # the answers that were given are kept
    again = browser_client.get(first_page).get_data(as_text=True)
    assert again.count("checked") == len(answers)


def test_save_and_finish_later_resumes_on_another_device_with_every_answer(
    app, survey, browser_client
):
    from tests.plugins.staff import new_client

    path = survey.path(survey.people[0])
    page_one = begin(browser_client, path)
    page_two = page_one.removesuffix("/1") + "/2"
    html = browser_client.get(page_one).get_data(as_text=True)
    first_answers = radio_answers(html, choose=lambda values: values[0])
    browser_client.post(
        page_one, data=first_answers | {"csrf_token": form_token(html), "action": "next"}
    )
    html = browser_client.get(page_two).get_data(as_text=True)
    second_answers = radio_answers(html, choose=lambda values: values[1])
    saved = browser_client.post(
        page_two, data=second_answers | {"csrf_token": form_token(html), "action": "save"}
    )
    assert saved.headers["Location"].endswith("/saved")
    phone = new_client(app)
    resumed = phone.get(path)
    assert resumed.status_code == 302 and resumed.headers["Location"] == page_two
    assert phone.get(page_two).get_data(as_text=True).count("checked") == len(second_answers)
    html = phone.get(page_two).get_data(as_text=True)
    went_back = phone.post(page_two, data={"csrf_token": form_token(html), "action": "back"})
    assert went_back.headers["Location"] == page_one
    assert phone.get(page_one).get_data(as_text=True).count("checked") == len(first_answers)
    assert phone.get(path + "/3").headers["Location"] == page_two  # no skipping ahead


def test_no_page_of_the_flow_loads_anything_from_elsewhere_or_needs_script(survey, browser_client):
    path = survey.path(survey.people[0])
    pages = [browser_client.get(path).get_data(as_text=True)]
    location = begin(browser_client, path)
    pages.append(browser_client.get(location).get_data(as_text=True))
    pages.append(browser_client.get(f"/o/{survey.open_codes['OPS-N']}").get_data(as_text=True))
    for html in pages:
        assert "<script" not in html
        assert not re.search(r'(src|href|action)="(https?:)?//', html), html
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    stylesheet = browser_client.get("/static/style.css")
    assert stylesheet.status_code == 200 and stylesheet.mimetype == "text/css"
    stylesheet.close()
