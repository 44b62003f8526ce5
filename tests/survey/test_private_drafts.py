"""Saved answers are the respondent's alone: sealed at rest, never handed to staff again.

The attacker here has a copy of the database files (SQLite: the database, its `-wal` and
`-shm`; PostgreSQL: the database's relation files and the write-ahead log) or an admin's CLI
and pages; the test scans the files for a comment's unique marker,
as the issue's attacker did, and asks for links of people who have started.
"""

from __future__ import annotations

import csv
import re
import secrets
from pathlib import Path

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import AuditEvent, Draft, HeldResponse, OrgUnit
from tests import factories
from tests.plugins.survey import (
    answer_pages,
    begin,
    close_and_release,
    form_token,
    make_campaign,
    radio_answers,
)

TEXTAREA = re.compile(r'<textarea[^>]* name="(q\d+)"')


def _files(app) -> list[Path]:
    """The database's files as a copy of them would hold them: SQLite's database, `-wal` and
    `-shm`; PostgreSQL's relation files of this database and its write-ahead log, after a
    checkpoint, when the server runs on this machine and lets us read them (else none)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        database = Path(url.removeprefix("sqlite:///"))
        return [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    with app.app_context(), db.engine.connect() as connection:
        try:
            data = Path(connection.exec_driver_sql("SHOW data_directory").scalar_one())
            connection.exec_driver_sql("CHECKPOINT")
        except sa.exc.DBAPIError:  # not a superuser: no file to read
            return []
        relations = connection.exec_driver_sql(
            "SELECT pg_relation_filepath(oid) FROM pg_class"
            " WHERE relkind IN ('r', 't', 'i', 'm') AND pg_relation_filepath(oid) IS NOT NULL"
        ).scalars()
        paths = [data / relation for relation in relations]
    if not data.is_dir():
        return []
    segments = [path.with_name(f"{path.name}.{n}") for path in paths for n in range(1, 4)]
    return [*paths, *segments, *sorted((data / "pg_wal").glob("0*"))]


def _found_in_files(app, marker: bytes) -> list[str]:
    return [path.name for path in _files(app) if path.exists() and marker in path.read_bytes()]


def _found_in_drafts_or_held(app, marker: bytes) -> bool:
    with app.app_context():
        sealed = [
            *db.session.scalars(sa.select(Draft.sealed_answers)),
            *db.session.scalars(sa.select(HeldResponse.payload)),
        ]
    return any(marker in value for value in sealed if value is not None)


def test_no_copy_of_the_database_reads_a_draft_before_or_after_submission(app, run, browser_client):
    setup = make_campaign(app, run, instruments=("ai-concerns",), open_now=True, slug="words")
    marker = f"draft-marker-{secrets.token_hex(8)}"
    path = setup.path(setup.people[0])
    location = begin(browser_client, path)
    saved = False
    while not saved:
        html = browser_client.get(location).get_data(as_text=True)
        data = radio_answers(html) | {"csrf_token": form_token(html), "action": "next"}
        comments = TEXTAREA.findall(html)
        data |= {name: marker for name in comments}
        if comments:
            data["action"] = "save"
            saved = True
        location = browser_client.post(location, data=data).headers["Location"]
    assert not _found_in_drafts_or_held(app, marker.encode())
    assert _found_in_files(app, marker.encode()) == []
    resumed = browser_client.get(path).headers["Location"]
    assert answer_pages(browser_client, resumed) == path
    assert not _found_in_drafts_or_held(app, marker.encode())
    assert _found_in_files(app, marker.encode()) == []
    close_and_release(run, "words")
    with app.app_context():  # released, the answer is where it belongs: the scan can see it
        found = db.session.scalar(
            sa.text("SELECT count(*) FROM answers WHERE text = :m"), {"m": marker}
        )
    assert found == 1
    if _files(app):
        assert _found_in_files(app, marker.encode())


def test_links_of_people_who_started_are_never_handed_out_and_every_hand_out_is_audited(
    app, run, browser_client, tmp_path
):
    made = make_campaign(app, run, people=3, open_now=True, slug="links")
    begin(browser_client, made.path(made.people[0]))
    answer_pages(browser_client, begin(browser_client, made.path(made.people[1])))
    out = tmp_path / "links.csv"
    again = run("invitations", "links", "links", "--out", str(out))
    assert again.exit_code == 0, again.output
    assert "2 links written" in again.output and "1 withheld" in again.output
    with out.open(newline="", encoding="utf-8") as handle:
        handed = [row["employee_id"] for row in csv.DictReader(handle)]
    assert made.people[0] not in handed  # started: their link would open their draft
    assert sorted(handed) == sorted(made.people[1:])  # submitted, and not yet started
    unsubmitted = run("invitations", "links", "links", "--out", str(out), "--unsubmitted")
    assert "1 links written" in unsubmitted.output
    with out.open(newline="", encoding="utf-8") as handle:
        assert [row["employee_id"] for row in csv.DictReader(handle)] == [made.people[2]]
    with app.app_context():
        unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "OPS-N"))
        factories.person(db.session, unit)
        db.session.commit()
    issued = run("invitations", "issue", "links", "--out", str(tmp_path / "new.csv"))
    assert issued.exit_code == 0, issued.output
    with app.app_context():
        events = db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.actor, AuditEvent.row_count).order_by(
                AuditEvent.id
            )
        ).all()
    assert [(action, count) for action, _actor, count in events] == [
        ("invitations.links", 2),
        ("invitations.links", 1),
        ("invitations.issue", 1),
    ]
    assert all(actor.startswith("cli:") for _action, actor, _count in events)
