"""Instruments ask some pages only of some levels: respondents see what is theirs, imports
refuse the rest, and analyses read a level that was not asked as not applicable."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from flask.testing import FlaskClient

from surveyapp.extensions import db
from surveyapp.models import Answer, Campaign, Response
from surveyapp.services.layout import campaign_layout
from tests.plugins.survey import begin, close_and_release, make_campaign, walk_pages

LEGEND = re.compile(r"<legend>([^<]+)")
LEADER_ITEM = "I can say in one sentence what business problem this AI initiative should solve."
FRONTLINE, MANAGER = 0, 1


def walk(client: FlaskClient, location: str) -> tuple[list[str], str]:
    """Answer every page; the question texts met, and where the walk ended."""
    pages, end = walk_pages(client, location)
    return [text.strip() for html in pages for text in LEGEND.findall(html)], end


def _campaign(app, run, instruments=("adoption-readiness", "stakeholder-alignment")):
    return make_campaign(
        app, run, instruments=instruments, levels=("frontline", "manager"), open_now=True
    )


def test_frontline_staff_never_meet_the_leader_pages_and_managers_do(app, run, browser_client):
    setup = _campaign(app, run)
    frontline_path, manager_path = (setup.path(setup.people[n]) for n in (FRONTLINE, MANAGER))
    frontline, _ = walk(browser_client, begin(browser_client, frontline_path, lang="en"))
    manager_client = browser_client.application.test_client()
    managed, _ = walk(manager_client, begin(manager_client, manager_path, lang="en"))
    assert len(frontline) == 15  # the ADKAR pages only
    assert LEADER_ITEM not in frontline
    assert LEADER_ITEM in managed
    assert len(managed) == 15 + 21  # and every Likert item of the alignment pages
    close_and_release(run)  # anonymous answers are held until their batch is released
    with app.app_context():
        levels = dict(
            db.session.execute(
                sa.select(Response.level, sa.func.count(Answer.response_id))
                .join(Answer)
                .group_by(Response.level)
            ).all()
        )
    assert levels == {"frontline": 15, "manager": 36}


def test_an_open_link_asks_by_the_role_chosen_on_its_first_page(app, run, browser_client):
    setup = _campaign(app, run)
    path = f"/o/{next(iter(setup.open_codes.values()))}"
    start = browser_client.get(path).get_data(as_text=True)
    function = re.search(r'name="function" type="radio" value="([^"]+)"', start).group(1)
    location = begin(browser_client, path, function=function, level="frontline", lang="en")
    asked, end = walk(browser_client, location)
    assert len(asked) == 15 and LEADER_ITEM not in asked
    assert "received" in browser_client.get(end).get_data(as_text=True)


def test_a_survey_with_nothing_for_the_role_says_so_instead_of_an_empty_page(
    app, run, browser_client
):
    setup = _campaign(app, run, instruments=("stakeholder-alignment",))
    page = browser_client.get(
        setup.path(setup.people[FRONTLINE]), headers={"Accept-Language": "en"}
    )
    assert page.status_code == 200
    assert "No questions for your role" in page.get_data(as_text=True)
    assert "Start the survey" not in page.get_data(as_text=True)


def test_an_import_refuses_an_answer_to_a_question_the_row_level_was_not_asked(app, run, tmp_path):
    _campaign(app, run)
    file = tmp_path / "answers.csv"
    file.write_text(
        "unit,function,level,stakeholder-alignment.problem_definition_1\n"
        "OPS-N,finance,manager,4\n"
        "OPS-N,finance,frontline,4\n",
        encoding="utf-8",
    )
    result = run("responses", "import", "pulse", str(file))
    assert result.exit_code == 1
    assert (
        "row 3, column 'stakeholder-alignment.problem_definition_1': "
        "not asked of frontline respondents"
    ) in result.stderr
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_the_analysis_reads_a_level_that_was_not_asked_as_not_applicable(app, run, tmp_path):
    _campaign(app, run)
    with app.app_context():
        campaign = db.session.scalar(sa.select(Campaign))
        columns = [q.column for q in campaign_layout(campaign).vector_questions]
    rows = [["unit", "function", "level", *columns]]
    for index in range(12):
        level = "frontline" if index < 6 else "manager"
        rows.append(
            ["OPS-N", "finance", level]
            + [
                ""
                if level == "frontline" and column.startswith("stakeholder")
                else str(2 + (index + position) % 3)
                for position, column in enumerate(columns)
            ]
        )
    file = tmp_path / "answers.csv"
    file.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    assert run("responses", "import", "pulse", str(file)).exit_code == 0
    result = run("analyze", "pulse", "--json")
    assert result.exit_code == 0, result.output
    groups = {(g["kind"], g["key"]): g for g in json.loads(result.output)["groups"]}
    frontline = groups[("level", "frontline")]["scales"]
    manager = groups[("level", "manager")]["scales"]
    commitment = "stakeholder-alignment.commitment"
    assert frontline[commitment]["asked"] is False
    assert frontline[commitment]["mean"] is None and frontline[commitment]["answered"] == 0
    assert manager[commitment]["asked"] and manager[commitment]["answered"] == 6
    assert frontline["adoption-readiness.desire"]["asked"]
    assert frontline["adoption-readiness.desire"]["answered"] == 6
