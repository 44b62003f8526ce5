"""The pages that say whether actions worked and where units say one thing and do another."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Action, Campaign, OrgUnit, User
from surveyapp.services.csv_input import CsvRow
from surveyapp.services.outcomes import import_outcomes
from tests.factories import store_wave


def two_waves_with_an_action(layout) -> None:
    """Wave 1 opened four months ago; BR-NORTH finished a knowledge action since; wave 2 opens
    tomorrow; every unit has weekly active users before, around and after."""
    store_wave(layout, "wave-1", seed=3)
    store_wave(layout, "wave-2", seed=4, shift=0.2)
    today = date.today()
    waves = {c.slug: c for c in db.session.scalars(sa.select(Campaign))}
    waves["wave-1"].opens_at = datetime.now(UTC) - timedelta(days=120)
    waves["wave-2"].opens_at = datetime.now(UTC) + timedelta(days=1)
    owner = User(email="owner@example.org", password_hash="x", role="admin")
    north = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "BR-NORTH"))
    db.session.add(
        Action(
            unit=north,
            title="Role-based training",
            construct="adoption-readiness.knowledge",
            owner=owner,
            due_on=today,
            status="done",
            started_on=today - timedelta(days=60),
            done_on=today - timedelta(days=10),
            created_by="owner@example.org",
        )
    )
    rows = []
    for code in db.session.scalars(sa.select(OrgUnit.code)):
        for offset, value in ((-90, 10.0), (-3, 20.0 if code == "BR-NORTH" else 12.0), (30, 25.0)):
            start = today + timedelta(days=offset)
            rows.append(
                {
                    "unit": code,
                    "metric": "weekly_active_users",
                    "period_start": start.isoformat(),
                    "period_end": (start + timedelta(days=6)).isoformat(),
                    "value": str(value + len(code) * (1 + offset / 100)),
                }
            )
    import_outcomes(db.session, [CsvRow(i + 2, r) for i, r in enumerate(rows)], "test")
    db.session.commit()


def test_the_effects_page_names_the_units_and_says_it_is_evidence_not_proof(
    survey_layout, login_as
):
    two_waves_with_an_action(survey_layout)
    admin = login_as("admin")
    html = admin.get("/staff/actions/effects?campaign=wave-2").get_data(as_text=True)
    assert "Role-based training" in html
    assert "Evidence, not proof." in html and "Units chose their actions" in html
    assert "Taken by Branches North" in html or "Taken by" in html
    assert "Compared with:" in html and "Outcome: Weekly active users" in html
    assert "95% interval" in html

    manager = login_as("change_manager", units=["RETAIL"])
    mine = manager.get("/staff/actions/effects?campaign=wave-2").get_data(as_text=True)
    assert "Role-based training" in mine
    # compared within RETAIL only: pooled means of units outside it would give them away
    assert "other unit" not in mine
    corp = login_as("change_manager", units=["CORP"])
    assert "Role-based training" not in corp.get("/staff/actions/effects").get_data(as_text=True)


def test_the_say_do_page_draws_the_units_and_a_sentence_per_quadrant(survey_layout, login_as):
    two_waves_with_an_action(survey_layout)
    admin = login_as("admin")
    page = admin.get("/staff/actions/say-do?campaign=wave-2&metric=weekly_active_users")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in html and "<circle" in html
    assert "say they are ready but do not use it" in html
    assert "use it without saying they are ready" in html
    assert "Fisher" in html
