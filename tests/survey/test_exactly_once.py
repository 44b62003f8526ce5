"""A double click, two tabs or concurrent POSTs of the final page store one response.

The guarantee comes from the database (a conditional UPDATE consumed in the response's own
transaction), so the test fires real concurrent requests, each with its own session, as
separate browsers would, on SQLite and on PostgreSQL. Anonymous answers are held first and
released later; each must be held once and released once.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Draft, HeldResponse, Invitation, Response
from surveyapp.services import visits
from tests.plugins.staff import new_client
from tests.plugins.survey import answer_pages, begin, close_and_release, form_token, radio_answers

SUBMITTERS = 20


def _final_page(app, start_path: str, **start_fields: str) -> tuple[str, object]:
    """Walk to the last page of a survey; its address and one client that got there."""
    client = new_client(app)
    last = answer_pages(client, begin(client, start_path, **start_fields), stop_before_last=True)
    return last, client


def _stored(app) -> tuple[int, int]:
    """How many responses are held, and how many are in `responses`."""
    with app.app_context():
        count = sa.select(sa.func.count())
        held = db.session.scalar(count.select_from(HeldResponse))
        return held, db.session.scalar(count.select_from(Response))


def _fire(app, last: str) -> list[int]:
    """POST the completed last page from SUBMITTERS clients at once; their statuses."""
    prepared = []
    for _ in range(SUBMITTERS):
        client = new_client(app)
        html = client.get(last).get_data(as_text=True)
        prepared.append(
            (client, radio_answers(html) | {"csrf_token": form_token(html), "action": "next"})
        )
    barrier = threading.Barrier(SUBMITTERS)
    statuses: list[int] = []

    def submit(client, data) -> None:
        barrier.wait()
        statuses.append(client.post(last, data=data).status_code)

    threads = [threading.Thread(target=submit, args=pair) for pair in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_concurrent_submissions_of_a_personal_link_store_one_response(app, run, survey):
    start = survey.path(survey.people[0])
    last, _client = _final_page(app, start)
    statuses = _fire(app, last)
    assert len(statuses) == SUBMITTERS
    assert set(statuses) <= {200, 302}, statuses  # stored, or told it was already received
    assert statuses.count(302) >= 1
    assert _stored(app) == (1, 0)
    close_and_release(run)
    assert _stored(app) == (0, 1)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
        assert db.session.scalars(sa.select(Invitation.status)).all().count("submitted") == 1
    shown = new_client(app).get(start, headers={"Accept-Language": "en"})
    assert "Your answers have been received" in shown.get_data(as_text=True)


def test_concurrent_submissions_of_an_open_link_draft_store_one_response(app, run, survey):
    code = survey.open_codes["OPS-N"]
    last, _client = _final_page(app, f"/o/{code}", function="sales", level="manager")
    statuses = _fire(app, last)
    assert set(statuses) <= {200, 302}, statuses
    assert _stored(app) == (1, 0)
    close_and_release(run)
    with app.app_context():
        response = db.session.scalars(sa.select(Response)).one()
        assert response.level == "manager"


def test_a_double_click_on_submit_shows_the_received_page(app, survey):
    start = survey.path(survey.people[0])
    last, client = _final_page(app, start)
    html = client.get(last).get_data(as_text=True)
    data = radio_answers(html) | {"csrf_token": form_token(html), "action": "next"}
    first = client.post(last, data=data)
    second = client.post(last, data=data, headers={"Accept-Language": "en"})
    assert first.status_code == 302 and first.headers["Location"] == start
    assert second.status_code == 200
    assert "Your answers have been received" in second.get_data(as_text=True)
    assert _stored(app) == (1, 0)


def test_a_visit_checked_before_the_write_lock_is_read_again_once_anything_it_shows_changed(
    app, run, survey
):
    """SQLite checks a page before taking the write lock and then only re-checks the visit
    (`visits.unchanged`); a page saved by another tab, or the campaign closing, in between
    must make the view read the visit again."""
    path = survey.path(survey.people[0])
    client = new_client(app)
    first_page = begin(client, path)
    token = path.rsplit("/", 1)[-1]
    with app.app_context():
        before = visits.find_visit(db.session, token)
        assert visits.unchanged(db.session, before)
    html = client.get(first_page).get_data(as_text=True)
    saved = client.post(
        first_page, data=radio_answers(html) | {"csrf_token": form_token(html), "action": "save"}
    )
    assert saved.status_code == 302
    with app.app_context():
        assert not visits.unchanged(db.session, before)
        after_save = visits.find_visit(db.session, token)
        assert visits.unchanged(db.session, after_save)
    close_and_release(run, survey.slug)
    with app.app_context():
        assert not visits.unchanged(db.session, after_save)
