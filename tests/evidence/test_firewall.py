"""The firewall: completions and the roster are never read beside anonymous answers, and no
output of the evidence feature carries per-person data of an anonymous campaign."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

import openpyxl
import sqlalchemy as sa
from pypdf import PdfReader

from surveyapp.evidence.pack import build_pack
from surveyapp.extensions import db
from surveyapp.models import Response
from tests.harness import REPO_DIR

PEOPLE_TABLES = ("measure_completions", "persons", "invitations")
ANSWER_TABLES = ("responses", "answers", "held_responses")


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block, as sent."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement.lower())

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def tables_in(statement: str) -> set[str]:
    """The tables a statement names (FROM, JOIN, INTO or UPDATE)."""
    return set(re.findall(r'(?:from|join|into|update)\s+"?(\w+)"?', statement))


def test_building_the_pack_of_an_anonymous_wave_never_joins_people_to_answers(evidence_wave):
    assert evidence_wave.privacy_mode == "anonymous"
    with statements() as seen:
        pack = build_pack(db.session, REPO_DIR / "instruments", "hr@example.org")
    assert any("measure_completions" in s for s in seen)  # the listener saw the completions
    assert any("responses" in s for s in seen)  # ... and the answers
    mixed = [
        s for s in seen if tables_in(s) & set(PEOPLE_TABLES) and tables_in(s) & set(ANSWER_TABLES)
    ]
    assert mixed == []
    assert pack.build.version == 1


def test_no_output_of_the_pack_names_or_counts_a_single_person(evidence_wave, roster):
    pack = build_pack(db.session, REPO_DIR / "instruments", "hr@example.org")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.pdf)).pages)
    workbook = openpyxl.load_workbook(io.BytesIO(pack.xlsx))
    cells = [
        (sheet.title, row[0].row, header.value, cell.value)
        for sheet in workbook
        for row in sheet.iter_rows(min_row=2)
        for header, cell in zip(sheet[1], row, strict=False)
    ]
    for employee_id in roster:
        assert employee_id not in text
        assert not any(employee_id == value for *_, value in cells)
    # every group counted has at least k people; a completion count stands beside one
    groups = {"respondents", "people using this tier", "people using the tier"}
    small = [(s, r, h, v) for s, r, h, v in cells if h in groups and isinstance(v, int) and v < 5]
    assert small == []
    for row in workbook["coverage"].iter_rows(min_row=2, values_only=True):
        population, completed, rate = row[4:7]
        if isinstance(completed, int):  # neither who did nor who did not is under k
            assert isinstance(population, int)
            assert completed in (0, *range(5, population + 1))
            assert population - completed in (0, *range(5, population + 1))
        assert isinstance(rate, str) == isinstance(completed, str)  # both shown or both hidden
    responses = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
    assert f"{responses} respondents" not in text  # group figures only, from the release


def test_the_staff_download_holds_the_same_two_files_and_nothing_else(evidence_wave, app):
    from tests.plugins.staff import PASSWORD, add_user, csrf_token, new_client, sign_in

    add_user(app, "hr@example.org", "hr")
    client = new_client(app)
    assert sign_in(client, "hr@example.org", PASSWORD).status_code == 302
    token = csrf_token(client, "/staff/evidence")
    reply = client.post(
        "/staff/evidence/pack.zip", data={"csrf_token": token, "as_of": "2026-03-01"}
    )
    assert reply.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(reply.data)).namelist()
    assert names == [
        "ai-literacy-evidence-organisation-2026-03-01-v1.pdf",
        "ai-literacy-evidence-organisation-2026-03-01-v1.xlsx",
    ]
