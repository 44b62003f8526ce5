"""What the API answers on a small answered wave: the analysis document's figures, the
export's literacy rows, per-person rows for consenting people only, and an audit row for
every per-person read and brief download."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from flask import Flask

from surveyapp.extensions import db
from surveyapp.models import AuditEvent, Campaign
from surveyapp.services.analysis import cached_analysis, previous_wave
from tests.plugins.api import EMAILS, error_of

A = "/api/v1"
W = f"{A}/campaigns/wave-1"
C = f"{A}/campaigns/conf-1"
FIGURES = {"scales", "adkar", "barrier_point", "readiness_index", "literacy", "pattern_shares"}


def _document(app: Flask, slug: str) -> dict:
    """The campaign's analysis document, as the finished analysis job holds it."""
    with app.app_context():
        campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == slug))
        return cached_analysis(db.session, campaign, previous_wave(db.session, campaign))


def _events(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        events = list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))
        db.session.expunge_all()
        return events


def test_unit_results_are_the_documents_group_and_hidden_groups_carry_no_figure(
    app, api_data, as_role
):
    document = _document(app, "wave-1")
    manager = as_role(api_data, "change_manager")
    shown = manager.get(f"{W}/units/TECHOPS/results").get_json()
    expected = next(g for g in document["groups"] if g["kind"] == "unit" and g["key"] == "TECHOPS")
    assert shown["group"] == expected and not expected["suppressed"]
    assert shown["unit"]["code"] == "TECHOPS"
    assert set(shown["group"]) >= FIGURES and shown["group"]["n"] >= 5
    admin = as_role(api_data, "admin")
    hidden = admin.get(f"{W}/units/SMALLBIZ/results").get_json()["group"]
    assert hidden == {
        "kind": "unit",
        "key": "SMALLBIZ",
        "n": None,
        "suppressed": True,
        "reason": "hidden to protect small groups",
    }
    units = {u["code"]: u for u in admin.get(f"{W}/units").get_json()["units"]}
    assert units["SMALLBIZ"]["n"] is None and units["SMALLBIZ"]["suppressed"]
    assert units["TECHOPS"]["n"] == expected["n"] and not units["TECHOPS"]["suppressed"]
    campaign = admin.get(W).get_json()
    assert campaign["respondents"] == document["respondents"]
    assert campaign["privacy_mode"] == "anonymous" and not campaign["per_person_results"]


def _exported(run, out, slug: str, *options: str) -> list[dict[str, str]]:
    """The rows of `surveyapp export literacy SLUG --format csv` with these options."""
    result = run("export", "literacy", slug, "--format", "csv", "--out", str(out), *options)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))


def _as_cells(rows: list[dict]) -> list[dict[str, str]]:
    """JSON rows as the CSV writes them: null is an empty cell, numbers their text."""
    return [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows]


def test_literacy_by_unit_has_the_csv_exports_rows(api_data, as_role, run, tmp_path):
    hr = as_role(api_data, "hr")
    rows = hr.get(f"{W}/literacy").get_json()["rows"]
    assert _as_cells(rows) == _exported(run, tmp_path / "all.csv", "wave-1")
    hidden = next(r for r in rows if r["unit_code"] == "SMALLBIZ")
    assert hidden["suppressed"] == 1 and hidden["respondents"] is None
    assert hidden["literacy_index"] is None and hidden["share_advanced"] is None
    retail = hr.get(f"{W}/literacy?unit=RETAIL").get_json()["rows"]
    assert _as_cells(retail) == _exported(
        run, tmp_path / "retail.csv", "wave-1", "--unit", "RETAIL"
    )
    assert [r["unit_code"] for r in retail][:2] == ["all", "RETAIL"]


def test_per_person_is_refused_for_an_anonymous_campaign_with_the_reason(api_data, as_role):
    refused = as_role(api_data, "hr").get(f"{W}/literacy/people")
    assert refused.status_code == 409
    error = error_of(refused)
    assert error["code"] == "per_person_unavailable"
    assert "wave-1 is anonymous: per-person results do not exist" in error["message"]
    assert "/api/v1/campaigns/wave-1/literacy" in error["message"]


def test_per_person_pages_list_consenting_people_only_and_every_read_is_audited(
    app, api_data, as_role
):
    hr = as_role(api_data, "hr")
    first = hr.get(f"{C}/literacy/people?limit=7").get_json()
    total = first["total"]
    assert len(first["people"]) == 7 and total > 7
    everyone = hr.get(f"{C}/literacy/people?limit=1000").get_json()["people"]
    assert len(everyone) == total and everyone[:7] == first["people"]
    ids = [person["employee_id"] for person in everyone]
    assert ids == sorted(ids)
    # the fixture's roster: respondent number k is E{k:04d}; even numbers consented
    assert all(int(employee[1:]) % 2 == 0 for employee in ids)
    last = hr.get(f"{C}/literacy/people?limit=5&offset={total - 2}").get_json()
    assert [p["employee_id"] for p in last["people"]] == ids[-2:]
    beyond = hr.get(f"{C}/literacy/people?offset={total + 10}").get_json()
    assert beyond["people"] == [] and beyond["total"] == total
    in_unit = hr.get(f"{C}/literacy/people?unit=TECHOPS&limit=1000").get_json()
    assert in_unit["people"] and {p["unit_code"] for p in in_unit["people"]} == {"TECHOPS"}
    events = [e for e in _events(app) if e.action == "api.literacy.people"]
    assert [e.row_count for e in events] == [7, total, 2, 0, len(in_unit["people"])]
    assert {e.actor for e in events} == {f"{EMAILS['hr']} (api)"}
    assert events[0].detail == {
        "via": "api",
        "token_id": api_data.token_ids["hr"],
        "unit": None,
        "limit": 7,
        "offset": 0,
    }
    assert events[-1].detail["unit"] == "TECHOPS"
    refused = hr.get(f"{A}/campaigns/wave-1/literacy/people")
    assert refused.status_code == 409
    assert len([e for e in _events(app) if e.action == "api.literacy.people"]) == len(events)


def test_a_brief_comes_as_a_pdf_and_its_download_is_audited(app, api_data, as_role):
    manager = as_role(api_data, "change_manager")
    brief = manager.get(f"{W}/units/TECHOPS/brief.pdf")
    assert brief.status_code == 200 and brief.mimetype == "application/pdf"
    assert brief.data.startswith(b"%PDF")
    assert brief.headers["Content-Disposition"] == "attachment; filename=wave-1-TECHOPS.pdf"
    (event,) = [e for e in _events(app) if e.action == "api.brief"]
    assert event.actor == f"{EMAILS['change_manager']} (api)" and event.row_count == 1
    assert event.detail["unit"] == "TECHOPS" and event.detail["via"] == "api"


def test_per_person_rows_are_the_per_person_exports(api_data, as_role, run, tmp_path):
    people = as_role(api_data, "admin").get(f"{C}/literacy/people?limit=1000").get_json()["people"]
    exported = _exported(run, tmp_path / "people.csv", "conf-1", "--per-person")
    assert people and _as_cells(people) == exported


def test_hr_sees_no_group_whose_non_consenting_rest_is_under_k(app, api_data, as_role):
    hr = as_role(api_data, "hr")
    rows = hr.get(f"{C}/literacy").get_json()["rows"]
    people = hr.get(f"{C}/literacy/people?limit=1000").get_json()["people"]
    parents = {u["code"]: u["parent_code"] for u in hr.get(f"{C}/units").get_json()["units"]}

    def within(unit: str, code: str | None) -> bool:
        while code is not None:
            if code == unit:
                return True
            code = parents.get(code)
        return False

    for row in rows:
        if row["suppressed"]:
            continue
        everyone = row["group"] == "organisation"
        agreed = [p for p in people if everyone or within(row["unit_code"], p["unit_code"])]
        rest = row["respondents"] - len(agreed)
        assert rest == 0 or rest >= 5, (row["unit_code"], rest)
