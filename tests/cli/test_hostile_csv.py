"""Hostile CSV files for `units import`, `roster import` and `responses import`: arbitrary bytes
and rows either import whole, every stored row valid, or exit 1 with each problem naming the
file (and its row and column) while the database stays exactly as it was.

The strategies here also feed the admin upload forms (tests/staff/test_hostile_forms.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import given

from surveyapp.extensions import db
from surveyapp.models import LEVELS, Answer, OrgUnit, Person, Response
from surveyapp.models.org import LOCALE_PATTERN
from surveyapp.services.campaign_state import campaign_by_slug
from surveyapp.services.layout import campaign_layout
from surveyapp.services.org import (
    ROSTER_COLUMNS,
    UNIT_COLUMNS,
    unit_subtree_ids,
)
from tests.factories import HEADER as RESPONSE_HEADER
from tests.factories import confidential_campaign
from tests.strategies import (
    FUZZ,
    ORG_UNITS,
    check_organisation,
    csv_bytes,
    response_rows,
    roster_rows,
    unit_rows,
)


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """The rows an import may touch, to compare before and after a refusal."""
    with app.app_context():
        queries = {
            "units": sa.select(OrgUnit.code, OrgUnit.name, OrgUnit.parent_id),
            "people": sa.select(
                Person.employee_id,
                Person.email,
                Person.unit_id,
                Person.function_id,
                Person.level,
                Person.locale,
            ),
            "responses": sa.select(Response.id),
            "answers": sa.select(Answer.response_id, Answer.item_id),
        }
        return {name: sorted(db.session.execute(query).all()) for name, query in queries.items()}


def check_refusal(output: str, path: Path) -> None:
    """One line saying nothing changed, then each problem, every one naming the file."""
    heading, *problems = output.removeprefix("Error: ").rstrip("\n").split("\n")
    assert heading.endswith("nothing was changed:"), output
    assert problems, output
    for problem in problems:
        assert problem.startswith(f"{path}:") and problem[len(f"{path}:") :].strip(), output


def import_file(app: Flask, run, path: Path, content: bytes, *command: str) -> bool:
    """Import `content`: True when taken; a refusal must name the file and leave no trace."""
    path.write_bytes(content)
    before = snapshot(app)
    result = run(*command, str(path))
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        check_refusal(result.stderr, path)
        assert snapshot(app) == before
    return result.exit_code == 0


@pytest.fixture
def organisation(app: Flask, run, tmp_path: Path) -> None:
    """The CLI organisation of test_cli_setup and a confidential mini-pulse campaign `pulse`."""
    confidential_campaign(run, tmp_path)


@FUZZ
@given(content=csv_bytes(UNIT_COLUMNS, unit_rows(ORG_UNITS)))
def test_units_import_takes_a_whole_valid_file_or_nothing(
    app, run, organisation, tmp_path, content
):
    import_file(app, run, tmp_path / "units-in.csv", content, "units", "import")
    with app.app_context():
        check_organisation(db.session)


@FUZZ
@given(content=csv_bytes(ROSTER_COLUMNS, roster_rows(ORG_UNITS)))
def test_roster_import_takes_a_whole_valid_file_or_nothing(
    app, run, organisation, tmp_path, content
):
    import_file(app, run, tmp_path / "roster-in.csv", content, "roster", "import")
    with app.app_context():
        check_organisation(db.session)


RESPONSE_COLUMNS = RESPONSE_HEADER.strip().split(",")


@FUZZ
@given(content=csv_bytes(RESPONSE_COLUMNS, response_rows(), unique=False))
def test_responses_import_stores_only_answers_its_questions_accept(
    app, run, organisation, tmp_path, content
):
    import_file(app, run, tmp_path / "answers.csv", content, "responses", "import", "pulse")
    with app.app_context():
        campaign = campaign_by_slug(db.session, "pulse")
        questions = {q.item.id: q for q in campaign_layout(campaign).questions}
        in_scope = unit_subtree_ids(db.session, [unit.id for unit in campaign.units])
        for response in db.session.scalars(sa.select(Response)):
            assert response.unit_id in in_scope and response.level in LEVELS
            assert re.fullmatch(LOCALE_PATTERN, response.locale), response.locale
            assert not response.consent or response.person_id is not None
            for answer in response.answers:
                raw = str(answer.number) if answer.number is not None else answer.text
                assert "\x00" not in raw
                questions[answer.item_id].parse(raw)
        people = db.session.scalars(
            sa.select(Response.person_id).where(Response.person_id.is_not(None))
        ).all()
        assert len(people) == len(set(people)), "someone answered twice"


def test_a_nul_byte_in_a_cell_is_refused_with_its_row_and_column(app, run, organisation, tmp_path):
    """Regression: a NUL was stored on SQLite and a traceback on PostgreSQL."""
    path = tmp_path / "units-nul.csv"
    assert not import_file(
        app, run, path, b"code,name,parent_code\nNEW-1,a\x00b,\n", "units", "import"
    )
    result = run("units", "import", str(path))
    assert f"{path}: row 2, column 'name': a NUL character" in result.stderr


def test_a_unit_moved_above_its_old_parent_imports(app, run, organisation, tmp_path):
    """Regression: swapping a parent and child was a CircularDependencyError traceback."""
    path = tmp_path / "units-swap.csv"
    content = b"code,name,parent_code\nRETAIL,Retail,BRANCH-S\nBRANCH-S,South,\n"
    assert import_file(app, run, path, content, "units", "import")
    with app.app_context():
        parents = dict(
            db.session.execute(
                sa.select(OrgUnit.code, sa.func.coalesce(OrgUnit.parent_id, 0))
            ).all()
        )
        codes = {unit.id: unit.code for unit in db.session.scalars(sa.select(OrgUnit))}
    assert codes[parents["RETAIL"]] == "BRANCH-S" and parents["BRANCH-S"] == 0


def test_a_digit_that_is_not_ascii_gets_the_questions_own_message(app, run, organisation, tmp_path):
    """Regression: '²' passed `str.isdigit` and the message was int()'s own."""
    path = tmp_path / "answers-digit.csv"
    row = "RETAIL,sales,frontline,,,,²,,,,\n"
    assert not import_file(
        app, run, path, (RESPONSE_HEADER + row).encode(), "responses", "import", "pulse"
    )
    result = run("responses", "import", "pulse", str(path))
    assert "'²' is not a whole number from 1 to 5" in result.stderr
