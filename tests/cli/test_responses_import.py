"""`surveyapp responses import` stores a whole file of answers, or names every bad cell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Answer, Response
from surveyapp.services import responses
from tests.factories import HEADER, build_organisation, confidential_campaign, count, write


def test_a_valid_file_is_stored_with_its_answers(app, run, tmp_path: Path):
    confidential_campaign(run, tmp_path)
    path = write(
        tmp_path,
        "answers.csv",
        HEADER
        + 'BRANCH-N,sales,frontline,es,E001,true,5,1,4,a,"Más formación, por favor"\n'
        + "BRANCH-S,risk,manager,,,,2,,3,b,\n",
    )
    result = run("responses", "import", "pulse", str(path))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "2 responses imported into pulse\n"
        "pulse: no new result release; 2 response(s) wait: a release changes every group and "
        "figure by none or at least 5 people\n"
    )
    with app.app_context():
        first = db.session.scalar(sa.select(Response).where(Response.consent.is_(True)))
        assert (first.locale, first.level, first.person_id is not None) == ("es", "frontline", True)
        assert np.frombuffer(first.answer_vector, "<f4").tolist() == [5.0, 1.0, 4.0, 1.0]
        texts = {a.text for a in first.answers if a.text}
        assert texts == {"a", "Más formación, por favor"}
        second = db.session.scalar(sa.select(Response).where(Response.consent.is_(False)))
        vector = np.frombuffer(second.answer_vector, "<f4")
        assert vector[0] == 2.0 and np.isnan(vector[1]) and vector[3] == 0.0
        assert (second.locale, second.person_id) == ("en", None)


def test_a_file_with_bad_cells_names_each_and_stores_nothing(app, run, tmp_path: Path):
    confidential_campaign(run, tmp_path)
    path = write(
        tmp_path,
        "answers.csv",
        HEADER
        + "BRANCH-N,sales,frontline,en,E001,true,5,1,4,a,\n"
        + "OPS,sales,frontline,en,,,5,1,4,a,\n"
        + "BRANCH-N,sales,frontline,en,E001,maybe,6,x,4,z,\n"
        + "BRANCH-N,alchemy,boss,en,E999,,3,3,3,a,\n"
        + "BRANCH-N,sales,frontline,en,,true,3,3,3,a,"
        + "x" * 501
        + "\n",
    )
    result = run("responses", "import", "pulse", str(path))
    assert result.exit_code == 1
    for expected in (
        "row 3, column 'unit': unit 'OPS' is not a target of this campaign",
        "row 4, column 'employee_id': 'E001' is already on row 2",
        "row 4, column 'consent': 'maybe' is not true or false",
        "row 4, column 'mini-pulse.value_1': '6' is not a whole number from 1 to 5",
        "row 4, column 'mini-pulse.value_2': 'x' is not a whole number from 1 to 5",
        "row 4, column 'mini-pulse.quiz_1': 'z' is not one of the options a, b",
        "row 5, column 'function': unknown function 'alchemy'",
        "row 5, column 'level': 'boss' is not one of frontline, manager, senior_leader",
        "row 5, column 'employee_id': no one with employee id 'E999'",
        "row 6, column 'consent': consent needs the employee_id of who gave it",
        "row 6, column 'mini-pulse.comment': the text is 501 characters long; the limit is 500",
    ):
        assert f"{path}: {expected}" in result.stderr
    assert count(app, Response) == 0 and count(app, Answer) == 0


def test_an_anonymous_campaign_refuses_identifying_columns(app, run, tmp_path: Path):
    build_organisation(run, tmp_path)
    run(
        "campaign",
        "create",
        "anon",
        "--name",
        "Anon",
        "--instruments",
        "mini-pulse",
        "--all-units",
        "--mode",
        "anonymous",
    )
    path = write(
        tmp_path, "answers.csv", HEADER + "BRANCH-N,sales,frontline,en,E001,true,5,1,4,a,\n"
    )
    result = run("responses", "import", "anon", str(path))
    assert result.exit_code == 1
    assert f"{path}: header: unknown column 'employee_id'" in result.stderr
    assert f"{path}: header: unknown column 'consent'" in result.stderr
    assert count(app, Response) == 0


def test_an_unknown_item_column_is_named(app, run, tmp_path: Path):
    confidential_campaign(run, tmp_path)
    path = write(tmp_path, "answers.csv", "unit,function,level,mini-pulse.value_9\n")
    result = run("responses", "import", "pulse", str(path))
    assert result.exit_code == 1
    assert f"{path}: header: unknown column 'mini-pulse.value_9'" in result.stderr


def test_a_file_longer_than_one_statement_is_stored_whole(app, run, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(responses, "SUBMISSIONS_PER_STATEMENT", 2)
    confidential_campaign(run, tmp_path)
    rows = [f"BRANCH-N,sales,frontline,,,,{n},1,4,a,comment {n}\n" for n in range(1, 6)]
    path = write(tmp_path, "answers.csv", HEADER + "".join(rows))
    result = run("responses", "import", "pulse", str(path))
    assert result.exit_code == 0, result.output
    with app.app_context():
        comments = db.session.scalars(sa.select(Answer.text).where(Answer.text.like("comment%")))
        assert sorted(comments) == [f"comment {n}" for n in range(1, 6)]
    assert count(app, Response) == 5
