"""Hypothesis strategies of hostile CSV files (units, roster, responses): shared by the CLI
and the staff upload tests."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from surveyapp.models import LEVELS, Function, OrgUnit, Person
from surveyapp.models.org import CODE_PATTERN, LOCALE_PATTERN
from surveyapp.services.org import (
    EMAIL_PATTERN,
    EMPLOYEE_ID_PATTERN,
)

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
