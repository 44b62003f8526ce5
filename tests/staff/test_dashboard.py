"""The dashboard: every section from the analysis, respondent text escaped, small units hidden."""

from __future__ import annotations

import re

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Answer, Item, OrgUnit, Response
from tests import factories
from tests.factories import store_wave

W = "/staff/campaigns/wave-1"
HOSTILE = " <script>alert(1)</script> <img src=x onerror=alert(1)>"


def _append_to_comments(unit: str, text: str) -> None:
    """Add `text` to every comment written in `unit`, so the unit's quotes carry it."""
    unit_id = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == unit))
    answers = db.session.scalars(
        sa.select(Answer)
        .join(Response, Answer.response_id == Response.id)
        .join(Item, Answer.item_id == Item.id)
        .where(Response.unit_id == unit_id, Item.type == "text", Answer.text.is_not(None))
    ).all()
    assert answers
    for answer in answers:
        answer.text = (answer.text or "") + text
    db.session.commit()


def test_a_change_manager_sees_their_unit_with_comments_escaped(survey_layout, login_as):
    store_wave(survey_layout, "wave-1", seed=3)
    _append_to_comments("BR-NORTH", HOSTILE)
    manager = login_as("change_manager", units=["RETAIL"])
    page = manager.get(f"{W}/units/BR-NORTH")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for heading in (
        "Participation",
        "Readiness: the ADKAR profile",
        "AI literacy",
        "Resistance patterns",
        "Alignment gaps",
        "Comment themes",
        "What weighs on the intention to use AI",
        "What to do first",
        "Your units side by side",
    ):
        assert heading in html, heading
    assert "<svg" in html and "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="/staff/campaigns/wave-1/units/BR-NORTH/brief.pdf"' in html
    assert "literacy.xlsx" not in html  # exports are for hr and admins
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_a_small_unit_shows_no_figure_and_admins_see_the_organisation(survey_layout, login_as):
    store_wave(survey_layout, "wave-1", seed=3)
    manager = login_as("change_manager", units=["RETAIL"])
    html = manager.get(f"{W}/units/SMALLBIZ").get_data(as_text=True)
    assert "hidden to protect small groups" in html
    assert 'class="figures"' not in html and "Executive" not in html
    hidden = html.split('<section class="card hidden-group">', 1)[1].split("</section>", 1)[0]
    words = re.sub(r"<[^>]+>", "", hidden).replace("hidden to protect small groups", "")
    assert not any(char.isdigit() for char in words), words
    admin = login_as("admin")
    organisation = admin.get(f"{W}/").get_data(as_text=True)
    assert "Whole organisation" in organisation and 'class="figures"' in organisation
    assert "literacy.xlsx" in organisation


def test_a_campaign_without_answers_shows_nothing_hidden_or_broken(survey_layout, login_as):
    admin = login_as("admin")
    page = admin.get(f"{W}/")
    assert page.status_code == 200
    assert "hidden to protect small groups" in page.get_data(as_text=True)


def _listed_units(html: str) -> list[str]:
    """The unit codes the dashboard's navigation links to."""
    nav = html.split('aria-label="Units in your scope">', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<li><a href="/staff/campaigns/wave-1/units/([^"]+)"', nav)


def test_the_units_in_scope_are_listed_a_hundred_a_page(survey_layout, login_as):
    retail = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "RETAIL"))
    for number in range(100):
        factories.unit(db.session, f"RETAIL-Z{number:03d}", parent=retail)
    db.session.commit()
    admin = login_as("admin")
    pages = [_listed_units(admin.get(f"{W}/").get_data(as_text=True))]
    html = admin.get(f"{W}/units/RETAIL?page=2").get_data(as_text=True)
    assert 'href="/staff/campaigns/wave-1/units/RETAIL?page=1">Previous' in html
    pages.append(_listed_units(html))
    assert len(pages[0]) == 100 and 0 < len(pages[1]) < 100
    listed = pages[0] + pages[1]
    assert listed == sorted(listed) and len(set(listed)) == len(listed)
    assert {f"RETAIL-Z{number:03d}" for number in range(100)} <= set(listed)
