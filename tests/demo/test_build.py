"""`surveyapp demo build` makes a demo organisation that tells a story, in an empty database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from flask import Flask

from surveyapp.demo.build import DEMO_PASSWORD
from surveyapp.extensions import db
from surveyapp.models import Campaign, Invitation, Response
from tests.plugins.staff import new_client, sign_in

VERDICT = re.compile(r'<h2 id="effect-\d+">([^<]+): <span class="verdict (\w+)">')
LOGINS = re.compile(r"\(password '([^']+)'\) as:\n((?:  \S+@\S+ +\w+\n)+)")


def sign_in_with_the_printed_logins(app: Flask, output: str) -> list[str]:
    """Sign in through the real login form with each printed login; the roles that reached
    the campaign list. The printed text is what a demo user copies, so it is what is tested.
    """
    found = LOGINS.search(output)
    assert found, output
    password, lines = found.group(1), found.group(2).splitlines()
    roles = []
    for email, role in (line.split() for line in lines):
        client = new_client(app)
        signed_in = sign_in(client, email, password)
        assert signed_in.status_code == 302, (email, signed_in.get_data(as_text=True))
        home = client.get(signed_in.headers["Location"])
        assert home.status_code == 200 and home.request.path == "/staff/", email
        assert "ai-pulse-q3" in home.get_data(as_text=True), email
        roles.append(role)
    return roles


def the_loop_is_closed(app: Flask, output: str) -> None:
    """The admin sees one action that worked, one that did not, and every say-do quadrant."""
    found = LOGINS.search(output)
    assert found
    client = new_client(app)
    assert sign_in(client, "admin@demo.example", found.group(1)).status_code == 302
    effects = client.get("/staff/actions/effects?campaign=ai-pulse-q3").get_data(as_text=True)
    verdicts = dict(
        re.findall(r'<h2 id="effect-\d+">([^<]+): <span class="verdict (\w+)">', effects)
    )
    assert verdicts["Role-based, hands-on AI training"] == "better", verdicts
    assert verdicts["Team briefing on why AI is coming"] != "better", verdicts
    say_do = client.get("/staff/actions/say-do?campaign=ai-pulse-q3").get_data(as_text=True)
    counts = re.findall(r"<strong>(\d+) units?</strong>", say_do)
    assert len(counts) == 4 and all(int(count) > 0 for count in counts), counts
    brief = client.get("/staff/actions/units/BR-NORTH").get_data(as_text=True)
    assert "Role-based, hands-on AI training" in brief


def test_demo_build_makes_waves_units_briefs_and_logins(app, run, tmp_path: Path):
    briefs = tmp_path / "briefs"
    result = run("demo", "build", "--respondents", "700", "--briefs", str(briefs))
    assert result.exit_code == 0, result.output
    assert "admin@demo.example" in result.output and DEMO_PASSWORD in result.output

    with app.app_context():
        campaigns = {c.slug: c for c in db.session.scalars(sa.select(Campaign))}
        assert set(campaigns) == {"ai-pulse-q2", "ai-pulse-q3", "literacy-check"}
        assert campaigns["ai-pulse-q2"].status == "closed"
        assert campaigns["ai-pulse-q3"].status == "open"
        assert campaigns["literacy-check"].privacy_mode == "confidential"
        consenting = db.session.scalar(
            sa.select(sa.func.count()).select_from(Response).where(Response.consent.is_(True))
        )
        assert consenting > 0
        submitted = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Invitation)
            .where(Invitation.status == "submitted")
        )
        assert submitted > 0
    assert sign_in_with_the_printed_logins(app, result.output) == [
        "admin",
        "change_manager",
        "hr",
    ]

    document = json.loads(run("analyze", "ai-pulse-q3", "--json").output)
    units = {g["key"]: g for g in document["groups"] if g["kind"] == "unit"}
    assert units["SMALLBIZ"]["suppressed"] and not units["CONTACT"]["suppressed"]
    assert document["waves"]["previous"] == "ai-pulse-q2"
    names = sorted(path.name for path in briefs.iterdir())
    assert names == sorted(f"ai-pulse-q3-{code}.pdf" for code in units)

    pack = tmp_path / "pack"
    assert run("evidence", "build", "--out", str(pack)).exit_code == 0
    (workbook,) = [openpyxl.load_workbook(path) for path in pack.glob("*.xlsx")]
    verdicts = {row[0]: row[-1] for row in workbook["effect"].iter_rows(values_only=True)}
    assert verdicts["CONTACT"] == "gap closed"  # briefed between the waves
    assert verdicts["LENDING"] == "gap not closing"  # trained too few
    the_loop_is_closed(app, result.output)

    printed = re.findall(r"http://127\.0\.0\.1:5000(/[so]/\S+)", result.output)
    assert len(printed) == 3  # a personal link, an open link and its kiosk form
    client = app.test_client()
    for path in printed:
        page = client.get(path, headers={"Accept-Language": "en"})
        assert page.status_code == 200 and "Start the survey" in page.get_data(as_text=True)


def test_demo_build_refuses_a_database_that_has_data(app, run, tmp_path: Path):
    (tmp_path / "units.csv").write_text("code,name,parent_code\nREAL,Real unit,\n")
    assert run("units", "import", str(tmp_path / "units.csv")).exit_code == 0
    result = run("demo", "build", "--respondents", "300", "--briefs", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert "demo build needs an empty database" in result.stderr
