"""`surveyapp openlinks create`: one link per unit, the same one every run, bad input refused."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import OpenLink
from tests import factories
from tests.plugins.survey import make_campaign

BASE = "http://127.0.0.1:5000"


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def link_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OpenLink))


def test_links_for_all_units_are_printed_and_the_same_on_a_second_run(app, run, tmp_path):
    setup = make_campaign(app, run, open_now=True)  # OPS > OPS-N; OPS-N already has a link
    first = run("openlinks", "create", "pulse", "--all-units")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0] == "unit_code,url,kiosk_url"
    rows = rows_of(first.stdout)
    assert [row["unit_code"] for row in rows] == ["OPS", "OPS-N"]
    north = rows[1]
    assert north["url"] == f"{BASE}/o/{setup.open_codes['OPS-N']}"
    assert north["kiosk_url"] == north["url"] + "?kiosk=1"
    assert rows[0]["url"].startswith(f"{BASE}/o/") and rows[0]["url"] != north["url"]
    assert "2 open links (1 new)" in first.stderr

    again = run("openlinks", "create", "pulse", "--units", "OPS-N,OPS")
    assert again.exit_code == 0, again.output
    assert sorted(rows_of(again.stdout), key=lambda row: row["unit_code"]) == rows
    assert "(0 new)" in again.stderr
    out = tmp_path / "links.csv"
    written = run("openlinks", "create", "pulse", "--all-units", "--out", str(out))
    assert written.exit_code == 0, written.output
    assert out.read_text(encoding="utf-8") == first.stdout
    assert f"2 open links written to {out} (0 new)" in written.stdout
    assert link_count(app) == 2


def test_a_unit_outside_the_campaign_is_refused_and_nothing_is_written(app, run, tmp_path):
    make_campaign(app, run, open_now=True)
    with app.app_context():
        factories.unit(db.session, "RET")
        db.session.commit()
    out = tmp_path / "links.csv"
    refused = run("openlinks", "create", "pulse", "--units", "OPS,RET", "--out", str(out))
    assert refused.exit_code == 1
    assert "RET not among the units of campaign 'pulse'" in refused.stderr
    assert not out.exists() and not list(tmp_path.iterdir())
    assert link_count(app) == 1  # only the link make_campaign created; OPS got none
    printed = run("openlinks", "create", "pulse", "--units", "OPS,RET")
    assert printed.exit_code == 1 and printed.stdout == ""
    assert link_count(app) == 1


def test_other_bad_input_is_named_and_changes_nothing(app, run):
    make_campaign(app, run, open_now=True)
    cases = {
        ("pulse", "--units", "NOPE"): "unknown unit code 'NOPE'",
        ("pulse",): "give either --units CODE,... or --all-units",
        ("pulse", "--units", "OPS", "--all-units"): "give either --units CODE,... or --all-units",
        ("no-such", "--all-units"): "no campaign 'no-such'",
    }
    for args, message in cases.items():
        result = run("openlinks", "create", *args)
        assert result.exit_code == 1, args
        assert message in result.stderr, (args, result.stderr)
    assert run("campaign", "close", "pulse").exit_code == 0
    closed = run("openlinks", "create", "pulse", "--all-units")
    assert closed.exit_code == 1 and "is closed" in closed.stderr
    assert link_count(app) == 1


def test_retire_stops_a_link_and_create_then_gives_the_unit_a_new_one(app, run):
    from surveyapp.models import AuditEvent

    setup = make_campaign(app, run, open_now=True)
    old = setup.open_codes["OPS-N"]
    unknown = run("openlinks", "retire", "pulse", "--units", "OPS-N,OPS")
    assert unknown.exit_code == 1
    assert "--units: 'OPS' has no live open link" in unknown.stderr
    retired = run("openlinks", "retire", "pulse", "--units", "OPS-N")
    assert retired.exit_code == 0, retired.output
    assert "1 open link(s) retired: OPS-N" in retired.stdout
    assert run("openlinks", "retire", "pulse", "--units", "OPS-N").exit_code == 1
    made = run("openlinks", "create", "pulse", "--units", "OPS-N")
    assert made.exit_code == 0, made.output
    (row,) = rows_of(made.stdout)
    assert row["url"].startswith(f"{BASE}/o/") and not row["url"].endswith(old)
    assert link_count(app) == 2
    with app.app_context():
        events = db.session.execute(
            sa.select(AuditEvent.actor, AuditEvent.action, AuditEvent.detail)
        ).all()
    assert [(action, detail) for _, action, detail in events] == [
        ("openlinks.retire", {"unit": "OPS-N"}),
        ("openlinks.create", {"units": ["OPS-N"]}),
    ]
    assert all(actor.startswith("cli:") for actor, _, _ in events)
