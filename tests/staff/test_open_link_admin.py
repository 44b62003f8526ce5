"""Open links made and retired from the admin page: the CLI's services, audited, in scope."""

from __future__ import annotations

import re

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import AuditEvent, OpenLink, OrgUnit
from tests import factories
from tests.plugins.staff import csrf_token, new_client
from tests.plugins.survey import answer_pages, begin, make_campaign

PAGE = "/staff/campaigns/pulse/open-links"
LINK = re.compile(r"<code>http://127\.0\.0\.1:5000/o/([\w-]+)</code>")
ES = {"Accept-Language": "es"}


def live_codes(html: str) -> list[str]:
    return LINK.findall(html)


def audit_rows(app) -> list[tuple[str, str, dict, int]]:
    with app.app_context():
        return [
            (event.actor, event.action, event.detail, event.row_count)
            for event in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
        ]


def make(client, **data: str):
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE)} | data)


def retire(client, code: str, confirm: bool = True):
    data = {"csrf_token": csrf_token(client, PAGE)} | ({"confirm": "y"} if confirm else {})
    return client.post(f"{PAGE}/{code}/retire", data=data)


def add_units(app, *codes: str) -> None:
    """Units under OPS (surveyed by the campaign), and RET, which it does not survey."""
    with app.app_context():
        top = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "OPS"))
        for code in codes:
            factories.unit(db.session, code, parent=top)
        factories.unit(db.session, "RET")
        db.session.commit()


def test_an_admin_makes_links_for_chosen_units_and_the_audit_trail_names_them(app, run, login_as):
    setup = make_campaign(app, run, open_now=True)  # OPS-N has a link already
    add_units(app, "OPS-S", "OPS-W")
    admin = login_as("admin")
    made = make(admin, units="OPS-S, OPS-N")
    assert made.status_code == 302
    page = admin.get(PAGE).get_data(as_text=True)
    assert "1 open link(s) made; 1 unit(s) already had one." in page
    codes = live_codes(page)
    assert len(codes) == 2 and setup.open_codes["OPS-N"] in codes
    assert "OPS-W" not in page
    (event,) = [row for row in audit_rows(app) if row[1] == "openlinks.create"]
    assert event == ("admin-all@example.org", "openlinks.create", {"units": ["OPS-S", "OPS-N"]}, 1)

    again = make(admin, all_units="y")  # OPS and OPS-W get theirs; the others are kept
    assert again.status_code == 302
    after = live_codes(admin.get(PAGE).get_data(as_text=True))
    assert len(after) == 4 and set(codes) < set(after)


def test_bad_unit_choices_are_refused_on_the_form_and_nothing_is_made(app, run, login_as):
    make_campaign(app, run, open_now=True)
    add_units(app, "OPS-S")
    admin = login_as("admin")
    cases = {
        "Give unit codes or tick every unit (one of the two).": {},
        "unknown unit code 'NOPE'": {"units": "OPS-S NOPE"},
    }
    for message, data in cases.items():
        refused = make(admin, **data)
        assert refused.status_code == 422
        assert message in refused.get_data(as_text=True).replace("&#39;", "'")
    assert make(admin, units="OPS-S,RET").status_code == 302
    outside = admin.get(PAGE).get_data(as_text=True).replace("&#39;", "'")
    assert "No open links made: RET not among the units of campaign 'pulse'." in outside
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OpenLink)) == 1
    assert not [row for row in audit_rows(app) if row[1].startswith("openlinks")]


def test_a_retired_link_stops_its_drafts_and_answers_in_the_respondent_language(app, run, login_as):
    setup = make_campaign(app, run, open_now=True)
    browser_client = new_client(app)
    code = setup.open_codes["OPS-N"]
    first = begin(browser_client, f"/o/{code}", function="sales", level="frontline")
    answer_pages(browser_client, first, stop_before_last=True)
    admin = login_as("admin")

    unticked = retire(admin, code, confirm=False)
    assert unticked.status_code == 302
    assert "Not retired: tick the box" in admin.get(PAGE).get_data(as_text=True)
    assert browser_client.get(first).status_code == 200  # still taking answers

    assert retire(admin, code).status_code == 302
    page = admin.get(PAGE).get_data(as_text=True)
    assert "The open link of OPS-N is retired" in page
    assert live_codes(page) == [] and f"<code>{code}</code>" in page  # listed as retired
    for suffix in (".svg", ".png", "/poster.pdf"):
        assert admin.get(f"{PAGE}/{code}{suffix}").status_code == 404
    gone = browser_client.get(f"/o/{code}", headers=ES)
    assert gone.status_code == 410
    assert "Este enlace ya no está en uso" in gone.get_data(as_text=True)
    mid_survey = browser_client.get(first, headers=ES)
    assert mid_survey.status_code == 410
    (event,) = [row for row in audit_rows(app) if row[1] == "openlinks.retire"]
    assert event == ("admin-all@example.org", "openlinks.retire", {"unit": "OPS-N"}, 1)

    assert make(admin, units="OPS-N").status_code == 302  # the unit gets a new code
    (new,) = live_codes(admin.get(PAGE).get_data(as_text=True))
    assert new != code and browser_client.get(f"/o/{new}").status_code == 200


def test_change_managers_see_their_links_but_cannot_make_or_retire_them(app, run, login_as):
    setup = make_campaign(app, run, open_now=True)
    manager = login_as("change_manager", units=["OPS"])
    page = manager.get(PAGE).get_data(as_text=True)
    assert setup.open_codes["OPS-N"] in page
    assert "Make open links" not in page and "Retire this link" not in page
    token = csrf_token(manager, PAGE)
    assert manager.post(PAGE, data={"csrf_token": token, "all_units": "y"}).status_code == 404
    code = setup.open_codes["OPS-N"]
    retired = manager.post(f"{PAGE}/{code}/retire", data={"csrf_token": token, "confirm": "y"})
    assert retired.status_code == 404
    with app.app_context():
        assert db.session.scalars(sa.select(OpenLink.retired_at)).all() == [None]


def test_a_closed_campaign_offers_no_new_links(app, run, login_as):
    make_campaign(app, run, open_now=True)
    admin = login_as("admin")
    assert run("campaign", "close", "pulse").exit_code == 0
    page = admin.get(PAGE).get_data(as_text=True)
    assert "Make open links" not in page
    assert make(admin, all_units="y").status_code == 302
    refused = admin.get(PAGE).get_data(as_text=True).replace("&#39;", "'")
    assert "No open links made: campaign 'pulse' is closed; no new open links." in refused
