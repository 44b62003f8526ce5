"""Result releases end to end: figures of an open campaign change only from one release to
the next, so a change manager who reads a unit before and after one more person's answer
sees the same figures (issue 16, "releases, not a live feed"). On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Response, ResultRelease
from surveyapp.services import result_releases
from surveyapp.services.result_releases import RELEASE_INTERVAL
from tests.factories import api_token
from tests.plugins.staff import new_client
from tests.plugins.survey import answer_pages, begin, make_campaign

NOTICES = re.compile(r'<p class="notice" id="(?:release|waiting)">.*?</p>', re.S)
MAIN = re.compile(r"<main.*</main>", re.S)
RESULTS = "/api/v1/campaigns/pulse/units/OPS-N/results"
DASHBOARD = "/staff/campaigns/pulse/units/OPS-N"


def _submit(app, setup, people: list[str]) -> None:
    """Each person answers every page through their personal link, as in a browser."""
    for employee_id in people:
        client = new_client(app)
        answer_pages(client, begin(client, setup.path(employee_id), consent="y"))


def _read(api, token: str, dashboard) -> tuple[dict, str]:
    """What the change manager reads of the unit: the API's group, and the dashboard's main
    content but for the notices of which release it is and what waits."""
    answer = api.get(RESULTS, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    page = dashboard.get(DASHBOARD)
    assert page.status_code == 200
    main = MAIN.search(page.get_data(as_text=True))
    assert main, "the dashboard has no main element"
    return answer.get_json()["group"], NOTICES.sub("", main.group(0))


def _releases(app) -> tuple[list[tuple[int, date]], dict[int | None, int]]:
    with app.app_context():
        releases = db.session.execute(
            sa.select(ResultRelease.number, ResultRelease.released_on).order_by(
                ResultRelease.number
            )
        ).all()
        members = db.session.execute(
            sa.select(Response.result_release, sa.func.count()).group_by(Response.result_release)
        ).all()
        return [tuple(r) for r in releases], dict(members)


def test_one_more_answer_changes_no_figure_until_a_release_adds_k(app, run, login_as):
    setup = make_campaign(app, run, mode="confidential", people=12, open_now=True)
    _submit(app, setup, setup.people[:6])
    first = run("results", "release", "pulse")
    assert first.exit_code == 0
    assert "pulse: result release 1 published with 6 more response(s)" in first.output
    dashboard = login_as("change_manager", units=["OPS"])
    token = api_token(app, "change-manager-ops@example.org")
    api = app.test_client()
    group, page = _read(api, token, dashboard)
    assert group["n"] == 6 and not group["suppressed"]
    assert "These figures are result release 1 of" in dashboard.get(DASHBOARD).get_data(
        as_text=True
    )

    _submit(app, setup, setup.people[6:7])  # one more person answers
    assert _read(api, token, dashboard) == (group, page)
    waits = run("results", "release", "pulse")
    assert "pulse: no new result release; 1 response(s) wait" in waits.output
    assert _read(api, token, dashboard) == (group, page)
    shown = dashboard.get(DASHBOARD).get_data(as_text=True)
    assert "Fewer than 5 answers are not in them yet: a new release (once a week at most)" in shown

    _submit(app, setup, setup.people[7:11])  # four more: a step of five in every group
    second = run("results", "release", "pulse")
    assert "pulse: result release 2 published with 5 more response(s)" in second.output
    later, _ = _read(api, token, dashboard)
    assert later["n"] == 11
    releases, members = _releases(app)
    assert [number for number, _ in releases] == [1, 2]
    assert all(type(day) is date for _, day in releases)  # a day, nothing finer
    assert members == {1: 6, 2: 5}

    _submit(app, setup, setup.people[11:12])
    closed = run("campaign", "close", "pulse")
    assert "pulse: no new result release; 1 response(s) wait" in closed.output
    assert _read(api, token, dashboard)[0] == later
    page = dashboard.get(DASHBOARD).get_data(as_text=True)
    assert "Fewer than 5 answers are not in them: adding them would have changed some" in page


def test_a_campaign_closed_without_any_release_publishes_everything(app, run):
    setup = make_campaign(app, run, mode="confidential", people=3, open_now=True)
    _submit(app, setup, setup.people)
    assert "no new result release; 3 response(s) wait" in run("results", "release").output
    purged = run("drafts", "purge")  # the daily job tries a release of every campaign
    assert "pulse: no new result release; 3 response(s) wait" in purged.output
    closed = run("campaign", "close", "pulse")
    assert "pulse: result release 1 published with 3 more response(s)" in closed.output
    assert "no responses wait for a result release" in run("results", "release").output
    assert _releases(app)[1] == {1: 3}


def _a_week_passes(app) -> None:
    """Every release day moves a week back (a release keeps its day, not a moment)."""
    with app.app_context():
        for release in db.session.scalars(sa.select(ResultRelease)):
            release.released_on -= RELEASE_INTERVAL
        db.session.commit()


def test_the_daily_job_releases_once_a_week_and_an_open_campaign_a_few_times(app, run, monkeypatch):
    """Every release is audited with all before it, at a cost that grows steeply with their
    number: the daily job makes one a week, an open campaign has at most MAX_OPEN_RELEASES
    (two here), and its closing release is one more."""
    monkeypatch.setattr(result_releases, "MAX_OPEN_RELEASES", 2)
    setup = make_campaign(app, run, mode="confidential", people=15, open_now=True)
    _submit(app, setup, setup.people[:5])
    assert "pulse: result release 1 published with 5 more" in run("drafts", "purge").output
    _submit(app, setup, setup.people[5:10])
    purged = run("drafts", "purge")
    assert "pulse: no new result release (the daily job makes one a week; the last was on" in (
        purged.output
    )
    asked = run("results", "release", "pulse")  # an admin asking is not held to the week
    assert "pulse: result release 2 published with 5 more" in asked.output
    _submit(app, setup, setup.people[10:15])
    _a_week_passes(app)
    capped = run("drafts", "purge")
    assert "pulse: no new result release (an open campaign has at most 2; the next comes at " in (
        capped.output
    )
    assert _releases(app)[1] == {1: 5, 2: 5, None: 5}
    closed = run("campaign", "close", "pulse")
    assert "pulse: result release 3 published with 5 more response(s)" in closed.output
