"""An attacker with a copy of the database and every staff role tries to link anonymous answers.

Each test tries one channel of issue 15 as an attacker would, on SQLite and on PostgreSQL:
the transaction id the rows were written by (`xmin`), physical order (`ctid`, SQLite's
B-tree order), timestamps, the held rows themselves, and exactly-once under concurrent
releases. Answers are sent through the respondent pages where the request path matters and
through the same service the pages call where many submissions are needed.
"""

from __future__ import annotations

import threading
from collections import defaultdict

import sqlalchemy as sa
from scipy.stats import spearmanr

from surveyapp.extensions import db
from surveyapp.models import Answer, HeldResponse, Invitation, Item, Person, Response
from surveyapp.services import holding, respondents, visits
from surveyapp.services.sealing import PAD_BYTES, Seal
from surveyapp.services.survey_pages import survey_plan
from surveyapp.services.transaction import begin_writing
from tests.plugins.staff import add_user, new_client, sign_in
from tests.plugins.survey import answer_pages, begin, close_and_release, make_campaign

DIGITS = [f"adoption-readiness.awareness_{n}" for n in (1, 2, 4)]
ISSUE_XMIN_JOIN = sa.text(
    "SELECT p.employee_id, r.id FROM responses r JOIN invitations i ON i.xmin = r.xmin"
    " JOIN persons p ON p.id = i.person_id"
)


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _answers(arrival: int) -> dict[str, int]:
    """Answers that spell the arrival number in base 5, so the test can read it back."""
    return {column: 1 + arrival // 5**place % 5 for place, column in enumerate(DIGITS)}


def _arrival(response_id) -> int:
    """The arrival number a response's answers spell."""
    numbers = dict(
        db.session.execute(
            sa.select(Item.key, Answer.number)
            .join(Item, Item.id == Answer.item_id)
            .where(Answer.response_id == response_id)
        ).all()
    )
    digits = [numbers[column.rsplit(".", 1)[1]] for column in DIGITS]
    return sum((digit - 1) * 5**place for place, digit in enumerate(digits))


def _submit_all(app, setup, count: int) -> list[int]:
    """Submit `count` people's answers in link order, as the pages do; releases that ran."""
    seal = Seal.held_responses(app.config)
    released = []
    for arrival, link in enumerate(list(setup.links.values())[:count]):
        with app.app_context():
            visit = visits.find_visit(db.session, link.rsplit("/", 1)[1])
            if visit.state() == "submitted":
                continue
            respondents.start_personal_draft(db.session, visit, "en", False)
            layout = survey_plan(db.session, visit.campaign).layout
            stored = respondents.submit(db.session, visit, layout, _answers(arrival), "en", seal)
            db.session.commit()
            released.append(stored.released)
    return released


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_submission_that_fills_a_batch_releases_it_and_xmin_links_no_one(
    app, run, browser_client
):
    batch = holding.RELEASE_BATCH
    setup = make_campaign(app, run, people=batch, open_now=True, slug="xmin")
    assert len(setup.people) == batch
    assert _submit_all(app, setup, batch - 1) == [0] * (batch - 1)
    with app.app_context():
        assert (_count(HeldResponse), _count(Response)) == (batch - 1, 0)
        held_invitations = db.session.scalars(
            sa.select(Invitation.id).where(Invitation.answer_held)
        ).all()
        assert len(held_invitations) == batch - 1
    answer_pages(browser_client, begin(browser_client, setup.path(setup.people[-1])))
    with app.app_context():
        assert (_count(HeldResponse), _count(Response)) == (0, batch)
        assert not db.session.scalars(sa.select(Invitation.id).where(Invitation.answer_held)).all()
        if not _postgresql():
            return
        candidates: dict[str, set[str]] = defaultdict(set)
        for employee_id, response_id in db.session.execute(ISSUE_XMIN_JOIN):
            candidates[str(response_id)].add(employee_id)
        assert len(candidates) == batch  # every response of the batch meets the same people
        assert all(people == set(setup.people) for people in candidates.values())


def test_the_last_small_batch_at_close_shares_its_transaction_with_every_respondent(app, run):
    batch = holding.RELEASE_BATCH
    setup = make_campaign(app, run, people=batch + 2, open_now=True, slug="tail")
    assert _submit_all(app, setup, batch + 2) == [0] * (batch - 1) + [batch, 0, 0]
    with app.app_context():
        assert (_count(HeldResponse), _count(Response)) == (2, batch)
    output = close_and_release(run, "tail")
    assert "2 held answer(s) released" in output
    with app.app_context():
        assert (_count(HeldResponse), _count(Response)) == (0, batch + 2)
        if not _postgresql():
            return
        candidates: dict[str, set[str]] = defaultdict(set)
        for employee_id, response_id in db.session.execute(ISSUE_XMIN_JOIN):
            candidates[str(response_id)].add(employee_id)
        last_batch = {people for people in map(frozenset, candidates.values())}
        assert last_batch == {frozenset(setup.people)}  # each answer, anyone's
        # the closing result release rewrites every response in the same transaction, so
        # all of them (not only the last batch's two) share it with every respondent
        assert len(candidates) == batch + 2


def test_physical_order_of_a_batch_says_nothing_of_the_order_its_answers_came(app, run):
    setup = make_campaign(
        app,
        run,
        people=60,
        open_now=True,
        slug="order",
        min_group_size=60,
        min_comment_group_size=60,
    )
    assert _submit_all(app, setup, 60)[-1] == 60
    with app.app_context():
        stored = sa.select(Response.id)
        if _postgresql():
            stored = stored.order_by(sa.literal_column("ctid"))
        # SQLite: WITHOUT ROWID, the table is its key's B-tree, read in its own order
        arrivals = [_arrival(response_id) for response_id in db.session.scalars(stored)]
    assert sorted(arrivals) == list(range(60))
    rho, _ = spearmanr(arrivals, range(60))
    assert abs(rho) < 0.5


def test_held_rows_keep_no_readable_answer_and_nothing_stores_a_time_finer_than_a_day(app, run):
    setup = make_campaign(app, run, people=3, open_now=True, slug="sealed")
    with app.app_context():
        issued = dict(db.session.execute(sa.select(Invitation.id, Invitation.issued_at)).all())
    _submit_all(app, setup, 3)
    with app.app_context():
        inspector = sa.inspect(db.engine)
        held_columns = {column["name"] for column in inspector.get_columns("held_responses")}
        assert held_columns == {"id", "campaign_id", "payload"}
        for payload in db.session.scalars(sa.select(HeldResponse.payload)):
            assert b"adoption-readiness" not in payload and b"awareness" not in payload
            assert (len(payload) - 28) % PAD_BYTES == 0  # nonce and tag around padded text
        for table in ("responses", "answers", "held_responses", "invitations"):
            timed = [
                column["name"]
                for column in inspector.get_columns(table)
                if isinstance(column["type"], sa.DateTime)
            ]
            assert timed == (["issued_at"] if table == "invitations" else [])
        after = dict(db.session.execute(sa.select(Invitation.id, Invitation.issued_at)).all())
        assert after == issued  # spending an invitation leaves its one time as it was


def test_concurrent_releases_move_each_held_answer_once(app, run):
    sizes = {"min_group_size": 20, "min_comment_group_size": 20}
    setup = make_campaign(app, run, people=12, open_now=True, slug="race", **sizes)
    _submit_all(app, setup, 12)
    with app.app_context():
        campaign_id = db.session.scalar(sa.text("SELECT id FROM campaigns WHERE slug = 'race'"))
        db.session.execute(
            sa.text("UPDATE campaigns SET status = 'closed' WHERE id = :id"), {"id": campaign_id}
        )
        db.session.commit()
    seal = Seal.held_responses(app.config)
    barrier = threading.Barrier(4)
    moved: list[int] = []

    def release() -> None:
        with app.app_context():
            barrier.wait()
            begin_writing()
            outcomes = holding.release_now(db.session, seal, "race")
            db.session.commit()
            moved.append(sum(outcome.released for outcome in outcomes))

    threads = [threading.Thread(target=release) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(moved) == 12
    with app.app_context():
        assert (_count(HeldResponse), _count(Response)) == (0, 12)


def test_the_release_command_and_the_dashboard_say_what_waits(app, run):
    assert "no answers are held" in run("responses", "release").output
    setup = make_campaign(app, run, people=3, open_now=True, slug="wait")
    _submit_all(app, setup, 3)
    released = run("responses", "release", "wait")
    assert released.exit_code == 0
    assert "wait: 0 answer(s) released, 3 still waiting (batches of at least 5)" in released.output
    add_user(app, "admin@example.org", "admin")
    admin = new_client(app)
    assert sign_in(admin, "admin@example.org").status_code == 302
    page = admin.get("/staff/campaigns/wait/").get_data(as_text=True)
    assert "Fewer than 5 answers waiting to be released" in page
    with app.app_context():
        people = db.session.scalars(sa.select(Person.employee_id)).all()
        assert len(people) == 3


def test_a_release_that_cannot_open_the_held_answers_leaves_the_submission_stored(app, run):
    setup = make_campaign(app, run, people=5, open_now=True, slug="rekeyed")
    assert _submit_all(app, setup, 4) == [0, 0, 0, 0]
    app.config["SECRET_KEY"] = "a different secret key, set while answers were held"
    assert _submit_all(app, setup, 5)[-1] == 0  # the fifth is stored; its batch waits
    with app.app_context():
        assert (_count(HeldResponse), _count(Response)) == (5, 0)
    refused = run("responses", "release", "rekeyed")
    assert refused.exit_code != 0
    assert "does not open with this secret key" in refused.output


def test_the_daily_purge_releases_a_batch_of_k_that_no_submission_filled(app, run):
    setup = make_campaign(app, run, people=7, open_now=True, slug="slow")
    assert _submit_all(app, setup, 7) == [0] * 7  # fewer than RELEASE_BATCH: none released
    purged = run("drafts", "purge")
    assert purged.exit_code == 0
    assert "slow: 7 answer(s) released, 0 still waiting" in purged.output
    with app.app_context():
        assert (_count(HeldResponse), _count(Response)) == (0, 7)
