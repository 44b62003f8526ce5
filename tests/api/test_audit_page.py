"""The admins' audit listing: newest first, filtered by action and campaign, paged."""

from __future__ import annotations

import re

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Campaign
from surveyapp.services.audit import record_export

PAGE = "/staff/audit"


def _rows(html: str) -> list[str]:
    """The table's body rows, as text without tags."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [re.sub(r"<[^>]+>", " ", row) for row in body.split("<tr>")[1:]]


def test_admins_list_the_audit_trail_newest_first_with_filters_and_pages(
    app, api_world, as_role, login_as
):
    with app.app_context():
        wave = db.session.scalar(sa.select(Campaign).where(Campaign.slug == "wave-1"))
        for number in range(55):
            record_export(
                db.session,
                actor=f"cli:user{number}",
                action="export.literacy",
                campaign=wave,
                detail={"format": "csv", "per_person": False, "unit": None},
                row_count=number,
            )
        db.session.commit()
    assert (
        as_role(api_world, "hr").get("/api/v1/campaigns/conf-1/literacy/people").status_code == 200
    )
    admin = login_as("admin", email="auditor@example.org")
    first = admin.get(PAGE).get_data(as_text=True)
    rows = _rows(first)
    assert "56 events, page 1 of 2" in first and len(rows) == 50
    assert "hr@example.org (api)" in rows[0] and "api.literacy.people" in rows[0]
    assert "via: api" in rows[0] and "cli:user54" in rows[1]
    second = _rows(admin.get(f"{PAGE}?page=2").get_data(as_text=True))
    assert len(second) == 6 and "cli:user0 " in second[-1]
    api_only = admin.get(f"{PAGE}?action=api.literacy.people").get_data(as_text=True)
    assert "1 event." in api_only and len(_rows(api_only)) == 1
    conf = admin.get(f"{PAGE}?campaign=conf-1").get_data(as_text=True)
    assert len(_rows(conf)) == 1 and "conf-1" in _rows(conf)[0]
    nothing = admin.get(f"{PAGE}?campaign=no-such&page=abc").get_data(as_text=True)
    assert "0 events." in nothing and _rows(nothing) == []
    for role in ("hr", "change_manager"):
        units = ["OPS"] if role == "change_manager" else []
        assert (
            login_as(role, units=units, email=f"{role}2@example.org").get(PAGE).status_code == 404
        )
