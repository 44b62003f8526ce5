"""Quiz items offer "I don't know" and some Likert items "Don't know / not applicable":
answered as such, they are stored as such, scored apart and counted, never guessed."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.analytics.scoring import QUIZ_DONT_KNOW, QUIZ_PERCENT, respondent_scores
from surveyapp.exports.literacy import consenting_people
from surveyapp.extensions import db
from surveyapp.models import Answer, Campaign, Item
from surveyapp.services.datasets import load_campaign_data
from tests.plugins.survey import begin, close_and_release, make_campaign, walk_pages


def unsure(values: list[str]) -> str:
    return "dont_know" if "dont_know" in values else values[-1]


def walk_unsure(client, location: str) -> list[str]:
    """Answer every page, "don't know" wherever it is offered; each page's HTML."""
    return walk_pages(client, location, unsure)[0]


def _stored(app, item_type: str) -> list[tuple[str, int | None, str | None]]:
    with app.app_context():
        return db.session.execute(
            sa.select(Item.key, Answer.number, Answer.text)
            .join(Answer, Answer.item_id == Item.id)
            .where(Item.type == item_type)
            .order_by(Item.position)
        ).all()


def test_a_quiz_answered_i_dont_know_is_stored_as_such_and_scored_not_correct(
    app, run, browser_client
):
    setup = make_campaign(
        app, run, mode="confidential", instruments=("ai-literacy",), open_now=True
    )
    setup_path = setup.path(setup.people[0])
    pages = walk_unsure(browser_client, begin(browser_client, setup_path, lang="en", consent="y"))
    quiz_pages = [html for html in pages if "I don&#39;t know" in html or "I don't know" in html]
    assert len(quiz_pages) == 1  # the quiz page, and no Likert page
    assert all(text == "dont_know" for _, _, text in _stored(app, "knowledge"))
    assert len(_stored(app, "knowledge")) == 5
    with app.app_context():
        data = load_campaign_data(
            db.session, db.session.scalar(sa.select(Campaign)), unreleased=True
        )
        scores = respondent_scores(data)
        people = consenting_people(data.respondents, scores, "pulse", {}, {})
    assert scores[QUIZ_PERCENT].tolist() == [0.0]
    assert scores[QUIZ_DONT_KNOW].tolist() == [5.0]
    assert people[QUIZ_DONT_KNOW].tolist() == [5]


def test_a_likert_item_that_offers_not_applicable_leaves_it_out_of_the_score(
    app, run, browser_client
):
    setup = make_campaign(app, run, open_now=True)
    pages = walk_unsure(
        browser_client, begin(browser_client, setup.path(setup.people[0]), lang="en")
    )
    offered = sum(html.count("Don&#39;t know / not applicable") for html in pages)
    assert offered == 1  # reinforcement_2 says it may be unknowable
    close_and_release(run)  # an anonymous answer is held until its batch is released
    stored = {key: (number, text) for key, number, text in _stored(app, "likert")}
    assert stored["reinforcement_2"] == (None, "dont_know")
    assert stored["reinforcement_1"] == (5, None)
    with app.app_context():
        data = load_campaign_data(
            db.session, db.session.scalar(sa.select(Campaign)), unreleased=True
        )
    scores = respondent_scores(data)
    assert data.declined is not None
    assert data.declined.sum().to_dict()["adoption-readiness.reinforcement_2"] == 1
    # left out: the mean of reinforcement_1 (5) and reversed reinforcement_4 (5 -> 1) is 3
    assert scores["adoption-readiness.reinforcement"].tolist() == [3.0]
    assert scores["adoption-readiness.desire"].tolist() == [11 / 3]  # 5, 5 and reversed 5 = 1


def test_imports_take_dont_know_where_it_is_offered_and_nowhere_else(app, run, tmp_path):
    make_campaign(app, run, open_now=True)
    file = tmp_path / "answers.csv"
    file.write_text(
        "unit,function,level,adoption-readiness.reinforcement_2,adoption-readiness.desire_1\n"
        "OPS-N,finance,frontline,dont_know,4\n"
        "OPS-N,finance,frontline,3,dont_know\n",
        encoding="utf-8",
    )
    result = run("responses", "import", "pulse", str(file))
    assert result.exit_code == 1
    assert "row 3, column 'adoption-readiness.desire_1': 'dont_know' is not a whole number" in (
        result.stderr
    )
    assert "row 2" not in result.stderr
