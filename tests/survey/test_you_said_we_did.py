"""A campaign's first page tells respondents what their unit did since the last wave."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Action, OrgUnit, User
from tests import factories
from tests.plugins.survey import make_campaign

HOSTILE = "Team briefing <script>alert(1)</script>"


def plan(app, unit_code: str, title: str, status: str) -> None:
    with app.app_context():
        unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == unit_code))
        owner = db.session.scalar(sa.select(User)) or User(
            email="cm@example.org", password_hash="x", role="admin"
        )
        db.session.add(
            Action(
                unit=unit,
                title=title,
                owner=owner,
                due_on=date(2030, 1, 1),
                status=status,
                started_on=date.today(),
                done_on=date.today() if status == "done" else None,
                notes="internal note, never shown",
                created_by="cm@example.org",
            )
        )
        db.session.commit()


def test_the_first_page_lists_the_units_actions_since_the_last_wave_escaped(app, run, client):
    make_campaign(app, run, slug="pulse-1", open_now=True)
    with app.app_context():
        factories.unit(db.session, "RET")
        db.session.commit()
    plan(app, "OPS-N", HOSTILE, "in_progress")
    plan(app, "OPS", "Quick-reference guides", "done")  # the parent unit's action counts
    plan(app, "OPS-N", "Abandoned idea", "dropped")
    plan(app, "RET", "Another unit's plan", "planned")
    second = make_campaign(app, run, slug="pulse-2", open_now=True)

    personal = second.path(second.people[-1])
    opened = f"/o/{second.open_codes['OPS-N']}"
    for path, language, heading, in_progress, done in (
        (personal, "es", "Lo que nos dijeron", "(en curso)", "(hecha)"),
        (opened, "en", "You said, we did", "(in progress)", "(done)"),
    ):
        html = client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)
        said = html.split('id="you-said-title"')[1].split("</section>")[0]
        assert heading in said
        assert "Team briefing &lt;script&gt;alert(1)&lt;/script&gt; " in said
        assert "<script>alert(1)" not in html
        assert in_progress in said and "Quick-reference guides" in said and done in said
        assert "Abandoned idea" not in html and "Another unit" not in html
        assert "internal note" not in html


def test_a_first_wave_has_nothing_to_report(app, run, client):
    first = make_campaign(app, run, slug="pulse-1", open_now=True)
    plan(app, "OPS-N", "Team briefing", "done")
    html = client.get(first.path(first.people[0])).get_data(as_text=True)
    assert "You said, we did" not in html
