"""Hostile CSV files for `units import`, `roster import` and `responses import`: arbitrary bytes
and rows either import whole, every stored row valid, or exit 1 with each problem naming the
file (and its row and column) while the database stays exactly as it was.

The strategies here also feed the admin upload forms (tests/staff/test_hostile_forms.py).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from surveyapp.extensions import db
from surveyapp.models import LEVELS, Answer, Function, OrgUnit, Person, Response
from surveyapp.models.org import CODE_PATTERN, LOCALE_PATTERN
from surveyapp.services.campaign_state import campaign_by_slug
from surveyapp.services.layout import campaign_layout
from surveyapp.services.org import (
    EMAIL_PATTERN,
    EMPLOYEE_ID_PATTERN,
    ROSTER_COLUMNS,
    UNIT_COLUMNS,
    unit_subtree_ids,
)
from tests.test_responses_import import HEADER as RESPONSE_HEADER
from tests.test_responses_import import confidential_campaign

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CELL = st.text(st.characters(codec="utf-8"), max_size=20) | st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        '"',
        '""',
        'a"b',
        "a,b",
        "a\nb",
        "\r",
        "\ufeff",
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        '=HYPERLINK("http://x")',
        "²",
        "٣",
        "true",
        "TRUE",
        "yes",
        "é" * 300,
        "x" * 10_001,
    ]
)
ORG_UNITS = ["RETAIL", "BRANCH-N", "BRANCH-S", "OPS"]
FUNCTIONS = ["finance", "sales", "customer-service", "hr"]


def unit_rows(codes: Sequence[str]) -> st.SearchStrategy[list[str]]:
    """Valid `code,name,parent_code` rows: new codes and existing ones, under a known parent."""
    return st.tuples(
        st.sampled_from([*codes, "NEW-1", "NEW-2", "new.3"]),
        st.sampled_from(["Unit", "Ünïcode unit", "x" * 200]),
        st.sampled_from(["", *codes]),
    ).map(list)


def roster_rows(codes: Sequence[str]) -> st.SearchStrategy[list[str]]:
    """Valid `employee_id,email,unit,function,level,locale` rows, new people and known ones."""
    return st.tuples(
        st.sampled_from(["E001", "E002", "E1", "E2", "é-9", "a@b"]),
        st.sampled_from(["", "", "ana@example.org", "ben@example.org"]),
        st.sampled_from(codes),
        st.sampled_from(FUNCTIONS),
        st.sampled_from(LEVELS),
        st.sampled_from(["", "en", "es", "es-MX"]),
    ).map(list)


def response_rows() -> st.SearchStrategy[list[str]]:
    """Valid rows under `RESPONSE_HEADER` for the mini-pulse campaign of test_responses_import."""
    likert = st.sampled_from(["", "1", "3", "5"])
    return st.tuples(
        st.sampled_from(["RETAIL", "BRANCH-N", "BRANCH-S"]),
        st.sampled_from(FUNCTIONS),
        st.sampled_from(LEVELS),
        st.sampled_from(["", "en", "es"]),
        st.sampled_from(["", "", "", "E001", "E002"]),
        st.sampled_from(["", "false"]),
        likert,
        likert,
        likert,
        st.sampled_from(["", "a", "b"]),
        st.sampled_from(["", "Más formación, por favor", "line one\nline two", "=1+1"]),
    ).map(list)


def header_variants(columns: Sequence[str]) -> list[list[str]]:
    """The right header (most often) and the usual ways a header goes wrong."""
    columns = list(columns)
    return [
        *[columns] * 5,
        columns[::-1],
        columns[:-1],
        [*columns, "extra"],
        [*columns, columns[0]],
        [f" {name} " for name in columns],
        [name.upper() for name in columns],
        [],
    ]


def _write(header: list[str], rows: list[list[str]], quoting: int | None, newline: str) -> str:
    """The rows as CSV text: by the csv module, or naively joined (unquoted) when `quoting` is
    None or the csv module cannot write a cell."""
    if quoting is not None:
        text = io.StringIO()
        try:
            csv.writer(text, quoting=quoting, lineterminator=newline).writerows([header, *rows])
        except csv.Error:
            pass
        else:
            return text.getvalue()
    return "".join(",".join(row) + newline for row in [header, *rows])


@st.composite
def csv_bytes(
    draw: st.DrawFn, columns: Sequence[str], row: st.SearchStrategy[list[str]], unique: bool = True
) -> bytes:
    """A file to import: arbitrary bytes, or valid rows with a few cells made hostile (or added),
    under some header, written in some encoding. With `unique`, rows name distinct records
    (their first cell), as a file that is meant to import does.

    Starting from valid rows lets one bad cell reach the importer's checks and the database,
    which a file of random cells (refused at its first cell) would never do.
    """
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        return draw(st.binary(max_size=400))
    header = draw(st.sampled_from(header_variants(columns)))
    first_cell = (lambda cells: cells[0]) if unique else None
    rows = draw(st.lists(row, max_size=6, unique_by=first_cell))
    for _ in range(draw(st.integers(min_value=0, max_value=3)) if rows else 0):
        cells = rows[draw(st.integers(min_value=0, max_value=len(rows) - 1))]
        place = draw(st.integers(min_value=0, max_value=len(cells)))
        cells[place : place + 1] = [draw(CELL)]
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        rows.append(draw(st.lists(CELL, max_size=len(columns) + 2)))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, None]))
    text = _write(header, rows, quoting, draw(st.sampled_from(["\n", "\r\n", "\r"])))
    if draw(st.booleans()):
        text = "\ufeff" + text
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


def check_organisation(session: Session) -> None:
    """Every stored unit, function and person is one an import would have accepted."""
    parents: dict[int, int | None] = {}
    for unit_id, code, name, parent_id in session.execute(
        sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.parent_id)
    ):
        assert re.fullmatch(CODE_PATTERN, code), code
        assert 1 <= len(name) <= 200 and name == name.strip() and "\x00" not in name, name
        parents[unit_id] = parent_id
    for unit_id in parents:
        seen = {unit_id}
        while (unit_id := parents[unit_id]) is not None:
            assert unit_id not in seen, "a loop in the unit tree"
            seen.add(unit_id)
    for code, name in session.execute(sa.select(Function.code, Function.name)):
        assert re.fullmatch(CODE_PATTERN, code), code
        assert 1 <= len(name) <= 200 and name == name.strip() and "\x00" not in name, name
    for person in session.scalars(sa.select(Person)):
        assert re.fullmatch(EMPLOYEE_ID_PATTERN, person.employee_id), person.employee_id
        assert person.level in LEVELS, person.level
        assert re.fullmatch(LOCALE_PATTERN, person.locale), person.locale
        assert person.email is None or re.fullmatch(EMAIL_PATTERN, person.email), person.email


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
