"""Admin pages for campaigns: the form, fixed privacy once open, invitations, participation."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from surveyapp.errors import InputError
from surveyapp.extensions import db
from surveyapp.models import AuditEvent, Campaign, Invitation, OrgUnit, Person
from surveyapp.services.campaign_state import campaign_by_slug
from surveyapp.services.campaigns import CampaignChanges, update_campaign
from surveyapp.services.visits import find_visit
from tests import factories
from tests.harness import REPO_DIR
from tests.plugins.staff import csrf_token
from tests.staff.test_spanish_staff_words import in_spanish

ADMIN = "/staff/admin/campaigns"
NEW = f"{ADMIN}/new"
PULSE = f"{ADMIN}/pulse"
BASE = "http://127.0.0.1:5000"


@pytest.fixture
def org(app, run) -> None:
    """Loaded instruments; units OPS > OPS-N and RET; 1 person in OPS, 4 in OPS-N, 3 in RET."""
    assert run("instruments", "load", str(REPO_DIR / "instruments")).exit_code == 0
    with app.app_context():
        ops = factories.unit(db.session, "OPS")
        ops.name = "Operations"
        north = factories.unit(db.session, "OPS-N", parent=ops)
        north.name = "Operations North"
        retail = factories.unit(db.session, "RET")
        retail.name = "Retail"
        for unit, count in ((ops, 1), (north, 4), (retail, 3)):
            for _ in range(count):
                factories.person(db.session, unit)
        db.session.commit()


@pytest.fixture
def admin(org, login_as):
    return login_as("admin")


def create(client, **fields):
    """Submit the new-campaign form: an anonymous draft of OPS unless `fields` say otherwise."""
    data = {
        "csrf_token": csrf_token(client, NEW),
        "slug": "pulse",
        "name": "AI pulse",
        "instruments": ["adoption-readiness@2"],
        "units": "OPS",
        "mode": "anonymous",
        "min_group_size": "5",
        "min_comment_group_size": "10",
        "opens": "",
        "closes": "",
    }
    return client.post(NEW, data=data | fields)


def edit(client, slug: str = "pulse", **fields):
    """Submit the edit form with what the page shows, changed by `fields`."""
    page = client.get(f"{ADMIN}/{slug}/edit").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(client, f"{ADMIN}/{slug}/edit"),
        "name": re.search(r'id="name"[^>]* value="([^"]*)"', page).group(1),
        "units": re.search(r'id="units"[^>]* value="([^"]*)"', page).group(1),
    }
    for name in ("min_group_size", "min_comment_group_size", "opens", "closes"):
        shown = re.search(rf'id="{name}"[^>]* value="([^"]*)"', page)
        if shown:
            data[name] = shown.group(1)
    mode = re.search(r'checked[^>]* name="mode"[^>]* value="(\w+)"', page) or re.search(
        r'name="mode"[^>]* value="(\w+)"[^>]* checked', page
    )
    if mode:
        data["mode"] = mode.group(1)
    return client.post(f"{ADMIN}/{slug}/edit", data=data | fields)


def press(client, action: str, slug: str = "pulse", **fields):
    """Press one of the campaign page's buttons."""
    return client.post(
        f"{ADMIN}/{slug}/{action}", data={"csrf_token": csrf_token(client, PULSE)} | fields
    )


def stored(app, slug: str = "pulse") -> Campaign:
    with app.app_context():
        campaign = campaign_by_slug(db.session, slug)
        campaign.units  # noqa: B018 - loaded before the session goes
        return campaign


def error_of(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html)
    return found.group(1).replace("&#39;", "'") if found else ""


def test_a_campaign_is_made_from_loaded_instruments_with_a_group_of_five(app, admin):
    form = admin.get(NEW).get_data(as_text=True)
    assert 'value="adoption-readiness@2"' in form and 'value="ai-literacy@2"' in form
    assert re.search(r'id="min_group_size"[^>]* value="5"', form)
    response = create(admin, instruments=["adoption-readiness@2", "ai-literacy@2"])
    assert response.status_code == 302 and response.location == PULSE
    campaign = stored(app)
    assert (campaign.status, campaign.privacy_mode, campaign.min_group_size) == (
        "draft",
        "anonymous",
        5,
    )
    assert [unit.code for unit in campaign.units] == ["OPS"]
    page = admin.get(PULSE).get_data(as_text=True)
    assert "adoption-readiness (version 2), ai-literacy (version 2)" in page
    assert "Open now" in page and "Close now" not in page


def test_units_are_typed_by_code_or_all_and_unknown_codes_are_named_beside_the_field(app, admin):
    form = admin.get(NEW).get_data(as_text=True)
    assert 'type="checkbox" name="units"' not in form and 'name="units" type="text"' in form
    unknown = create(admin, units="OPS, NOPE  ret")
    assert unknown.status_code == 422
    assert error_of(unknown.get_data(as_text=True), "units") == (
        "unknown unit code 'NOPE' unknown unit code 'ret'"
    )
    assert 'value="OPS, NOPE  ret"' in unknown.get_data(as_text=True)
    both = create(admin, units="OPS", all_units="y")
    assert error_of(both.get_data(as_text=True), "units") == (
        "Give unit codes or tick all units (one of the two)."
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0
    assert create(admin, units="", all_units="y").status_code == 302
    assert sorted(unit.code for unit in stored(app).units) == ["OPS", "RET"]  # the top units
    assert create(admin, slug="spaced", units="OPS-N RET").status_code == 302
    assert sorted(unit.code for unit in stored(app, "spaced").units) == ["OPS-N", "RET"]


def test_an_unknown_code_on_the_edit_form_changes_nothing(app, admin):
    create(admin)
    page = admin.get(f"{PULSE}/edit").get_data(as_text=True)
    assert re.search(r'id="units"[^>]* value="OPS"', page) and "all_units" not in page
    unknown = edit(admin, units="OPS, GONE")
    assert unknown.status_code == 422
    assert error_of(unknown.get_data(as_text=True), "units") == "unknown unit code 'GONE'"
    empty = edit(admin, units=" , ")
    assert error_of(empty.get_data(as_text=True), "units") == "choose at least one unit"
    assert [unit.code for unit in stored(app).units] == ["OPS"]


def test_the_form_and_the_campaign_page_say_how_long_the_survey_is_for_each_role(admin):
    form = admin.get(NEW).get_data(as_text=True)
    row = re.search(r"<th scope=\"row\">stakeholder-alignment@2</th>(.*?)</tr>", form).group(1)
    assert row.startswith("<td>not asked</td>")  # frontline staff are not asked it
    assert row.count("22 questions, about 4 min") == 2  # managers and senior leaders
    everything = [
        "ai-literacy@2",
        "adoption-readiness@2",
        "ai-concerns@2",
        "stakeholder-alignment@2",
    ]
    assert create(admin, instruments=everything).status_code == 302
    page = admin.get(PULSE).get_data(as_text=True)
    assert "Frontline staff: 60 questions, about 9 minutes" in page
    assert "Senior leader: 82 questions, about 13 minutes" in page


def test_bad_campaign_input_is_shown_beside_its_field_and_creates_nothing(app, admin):
    too_small = create(admin, min_group_size="2", units="", instruments=[])
    assert too_small.status_code == 422
    html = too_small.get_data(as_text=True)
    assert error_of(html, "min_group_size") == "It cannot be below 3."
    assert error_of(html, "units") == "Give unit codes or tick all units (one of the two)."
    assert error_of(html, "instruments") == "Choose at least one instrument."
    comments = create(admin, min_comment_group_size="4", opens="2030-05-02", closes="2030-05-01")
    html = comments.get_data(as_text=True)
    assert error_of(html, "min_comment_group_size") == "must be at least the minimum group size (5)"
    assert error_of(html, "closes") == "the campaign must close after it opens"
    assert 'value="2030-05-02"' in html  # what was typed stays in the form
    assert create(admin, slug="Not A Slug").status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0
    assert create(admin).status_code == 302
    twice = create(admin, name="Again")
    assert error_of(twice.get_data(as_text=True), "slug") == "a campaign 'pulse' already exists"


def test_privacy_mode_and_group_sizes_are_fixed_once_the_campaign_opens(app, admin):
    create(admin)
    assert edit(admin, mode="confidential", min_group_size="7").status_code == 302
    assert (stored(app).privacy_mode, stored(app).min_group_size) == ("confidential", 7)
    opened = press(admin, "open")
    assert opened.status_code == 302
    assert "Campaign pulse is open." in admin.get(PULSE).get_data(as_text=True)

    form = admin.get(f"{PULSE}/edit").get_data(as_text=True)
    assert 'name="mode"' not in form and 'id="min_group_size"' not in form
    assert "These are fixed: the campaign has opened" in form
    forced = edit(admin, mode="anonymous", min_group_size="3", min_comment_group_size="3")
    assert forced.status_code == 422
    html = forced.get_data(as_text=True)
    assert "the privacy mode cannot change once the campaign has opened" in html
    assert "the minimum group size cannot change once the campaign has opened" in html
    removed = edit(admin, units="RET")
    assert "units cannot be removed once the campaign has opened: OPS" in removed.get_data(
        as_text=True
    )
    campaign = stored(app)
    assert (campaign.privacy_mode, campaign.min_group_size, campaign.min_comment_group_size) == (
        "confidential",
        7,
        10,
    )
    assert [unit.code for unit in campaign.units] == ["OPS"]
    saved = edit(admin, name="AI pulse, spring", units="OPS, RET", closes="2099-01-31")
    assert saved.status_code == 302
    campaign = stored(app)
    assert campaign.name == "AI pulse, spring"
    assert sorted(unit.code for unit in campaign.units) == ["OPS", "RET"]
    assert campaign.closes_at.isoformat() == "2099-01-31T00:00:00+00:00"


def test_a_campaign_opened_by_its_date_is_fixed_for_the_cli_and_the_pages(app, admin):
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    create(admin, opens=yesterday)
    page = admin.get(PULSE).get_data(as_text=True)
    assert '<span class="status open">open</span>' in page and "Open now" not in page
    with app.app_context():
        campaign = campaign_by_slug(db.session, "pulse")
        changes = CampaignChanges(
            name=campaign.name,
            unit_codes=["OPS"],
            mode="confidential",
            min_group_size=5,
            min_comment_group_size=10,
            opens_at=campaign.opens_at,
            closes_at=None,
        )
        with pytest.raises(InputError, match="privacy mode cannot change once the campaign"):
            update_campaign(db.session, campaign, changes)
    later = edit(admin, opens="2099-01-01")
    assert "the opening date cannot change" in later.get_data(as_text=True)
    assert stored(app).privacy_mode == "anonymous"


def test_a_campaign_is_opened_and_closed_by_hand(app, admin):
    create(admin)
    press(admin, "open")
    unconfirmed = press(admin, "close")
    assert unconfirmed.status_code == 422
    assert "Tick this box to close the campaign." in unconfirmed.get_data(as_text=True)
    assert stored(app).status == "open"
    assert press(admin, "close", confirm="y").status_code == 302
    page = admin.get(PULSE).get_data(as_text=True)
    assert "Campaign pulse is closed; 0 unsubmitted draft(s) deleted, 0 held" in page
    assert "The campaign is closed" in page and "without a link (CSV)" not in page
    late = press(admin, "invitations")
    assert late.status_code == 302
    assert "No invitations issued: campaign &#39;pulse&#39; is closed" in admin.get(PULSE).get_data(
        as_text=True
    )
    assert stored(app).status == "closed"
    added = edit(admin, units="OPS, RET")
    assert "units cannot be added to a closed campaign" in added.get_data(as_text=True)
    assert edit(admin, name="AI pulse (closed)").status_code == 302
    assert stored(app).name == "AI pulse (closed)"
    assert [unit.code for unit in stored(app).units] == ["OPS"]


def rows_of(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    reader = csv.reader(io.StringIO(response.get_data(as_text=True)))
    assert next(reader) == ["employee_id", "link"]
    return [tuple(row) for row in reader]


def test_invitations_download_as_a_csv_of_personal_links_and_are_audited(app, admin):
    create(admin)
    issued = press(admin, "invitations")
    assert issued.headers["Content-Disposition"] == "attachment; filename=pulse-new-invitations.csv"
    links = rows_of(issued)
    with app.app_context():
        ops_people = db.session.scalars(
            sa.select(Person.employee_id).where(Person.unit.has(code="OPS"))
        ).all()
        assert len(links) == 5 and set(ops_people) <= {employee for employee, _ in links}
        for _, link in links:
            assert link.startswith(f"{BASE}/s/")
            assert find_visit(db.session, link.rsplit("/", 1)[1]) is not None
    again = press(admin, "invitations")
    assert again.status_code == 302
    page = admin.get(PULSE).get_data(as_text=True)
    assert "No one new to invite: 5 people already have a link" in page
    assert "5 of the 5 people on the roster" in page

    everyone = rows_of(press(admin, "links"))
    assert sorted(everyone) == sorted(links)
    with app.app_context():
        invitation = db.session.scalars(sa.select(Invitation)).first()
        invitation.status = "submitted"
        db.session.commit()
    reminder = press(admin, "links", unsubmitted="y")
    assert reminder.headers["Content-Disposition"] == (
        "attachment; filename=pulse-unsubmitted-links.csv"
    )
    assert len(rows_of(reminder)) == 4
    with app.app_context():
        events = db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.actor, AuditEvent.row_count).order_by(
                AuditEvent.id
            )
        ).all()
    assert [tuple(event) for event in events] == [
        ("invitations.issue", "admin-all@example.org", 5),
        ("invitations.links", "admin-all@example.org", 5),
        ("invitations.links", "admin-all@example.org", 4),
    ]


PARTICIPATION_ROW = re.compile(
    r'<tr( class="flagged")?>\s*<th scope="row" class="depth-(\d)">[^<]*'
    r'<span class="muted">\((\S+)\)</span></th>\s*'
    r'<td class="num">(\d+)</td>\s*<td class="num">(.+?)</td>'
)


def participation(client, slug: str = "pulse", page_number: int = 1) -> list[tuple]:
    """(unit, depth, invited, rate band, flagged) per row of the table."""
    page = client.get(f"/staff/campaigns/{slug}/participation?page={page_number}")
    assert page.status_code == 200
    return [
        (code, int(depth), int(invited), re.sub(r"<[^>]+>", "", rate), bool(flag))
        for flag, depth, code, invited, rate in PARTICIPATION_ROW.findall(
            page.get_data(as_text=True)
        )
    ]


def set_statuses(app, unit: str, statuses: list[str]) -> None:
    with app.app_context():
        invitations = db.session.scalars(
            sa.select(Invitation)
            .join(Person, Invitation.person_id == Person.id)
            .where(Person.unit.has(code=unit))
            .order_by(Invitation.id)
        ).all()
        for invitation, status in zip(invitations, statuses, strict=True):
            invitation.status = status
        db.session.commit()


def test_participation_of_small_units_shows_no_count_that_sizes_them(app, admin, login_as):
    create(admin, units="OPS, RET", min_group_size="3")
    press(admin, "invitations")
    set_statuses(app, "OPS-N", ["submitted", "submitted", "submitted", "started"])
    set_statuses(app, "RET", ["submitted", "started", "sent"])
    # a 20-point band of 3-5 invited people would pin the submitted count: hidden
    assert participation(admin) == [
        ("OPS", 0, 5, "hidden", False),
        ("OPS-N", 1, 4, "hidden", False),
        ("RET", 0, 3, "hidden", False),
    ]
    html = admin.get("/staff/campaigns/pulse/participation").get_data(as_text=True)
    assert re.search(r'<tr class="total">.*?<td class="num">8</td>.*?hidden', html, re.S)
    assert "Started" not in html and "Submitted" not in html
    manager = login_as("change_manager", units=["OPS"])
    assert participation(manager) == [
        ("OPS", 0, 5, "hidden", False),
        ("OPS-N", 1, 4, "hidden", False),
    ]
    assert "RET" not in manager.get("/staff/campaigns/pulse/participation").get_data(as_text=True)
    north = login_as("change_manager", units=["OPS-N"])
    assert participation(north) == [("OPS-N", 0, 4, "hidden", False)]


def test_participation_is_shown_a_hundred_units_a_page_with_totals_of_every_unit(app, admin):
    with app.app_context():
        north = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "OPS-N"))
        for number in range(100):  # OPS-N-000 .. OPS-N-099, one with a person
            team = factories.unit(db.session, f"OPS-N-{number:03d}", parent=north)
            if number == 99:
                factories.person(db.session, team)
        db.session.commit()
    create(admin, units="OPS, RET")
    press(admin, "invitations")
    first = participation(admin)
    assert len(first) == 100 and first[:2] == [
        ("OPS", 0, 6, "hidden", False),
        ("OPS-N", 1, 5, "hidden", False),
    ]
    html = admin.get("/staff/campaigns/pulse/participation").get_data(as_text=True)
    assert "units 1 to 100 of 103, page 1 of 2" in html and "?page=2" in html
    assert re.search(r'<tr class="total">.*?<td class="num">9</td>', html, re.S)
    assert participation(admin, page_number=2) == [
        ("OPS-N-098", 2, 0, "no invitations", False),
        ("OPS-N-099", 2, 1, "hidden", False),
        ("RET", 0, 3, "hidden", False),
    ]


def test_the_privacy_mode_cannot_change_while_rows_name_people(app, admin, run, tmp_path):
    create(admin, mode="confidential")
    with app.app_context():
        people = db.session.scalars(
            sa.select(Person.employee_id).where(Person.unit.has(code="OPS-N")).limit(2)
        ).all()
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "unit,function,level,employee_id,consent\n"
        + "".join(f"OPS-N,finance,frontline,{person},true\n" for person in people),
        encoding="utf-8",
    )
    assert run("responses", "import", "pulse", str(answers)).exit_code == 0
    refused = edit(admin, mode="anonymous")
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), "mode") == (
        "the privacy mode cannot change while the campaign holds rows that identify "
        "people (fewer than 5 response(s) naming a person)"
    )
    assert stored(app).privacy_mode == "confidential"
    press(admin, "invitations")
    with app.app_context():
        campaign = campaign_by_slug(db.session, "pulse")
        changes = CampaignChanges(
            name=campaign.name,
            unit_codes=["OPS"],
            mode="anonymous",
            min_group_size=5,
            min_comment_group_size=10,
            opens_at=None,
            closes_at=None,
        )
        with pytest.raises(InputError, match=r"\(5 invitation\(s\), fewer than 5 resp"):
            update_campaign(db.session, campaign, changes)
    assert edit(admin, name="Renamed").status_code == 302  # other changes still go through


def box(page: str, name: str) -> str:
    """The text in the page's text box `name`, as the browser shows it."""
    found = re.search(rf'<textarea[^>]* name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, name
    return found.group(1).strip()


def test_names_and_descriptions_per_language_are_made_shown_again_and_edited(admin):
    bad = create(admin, names="es=Pulso\nde=Puls", descriptions="es")
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert error_of(html, "names") == "line 2: 'de' is not one of the app's languages (en, es)"
    assert error_of(html, "descriptions") == "line 1: write LOCALE=TEXT, e.g. es=..., not 'es'"

    made = create(admin, names="es=Pulso de IA", descriptions="en=Five minutes.")
    assert made.status_code == 302, made.get_data(as_text=True)
    page = admin.get(f"{PULSE}/edit").get_data(as_text=True)
    assert (
        box(page, "names") == "es=Pulso de IA" and box(page, "descriptions") == "en=Five minutes."
    )
    assert (
        edit(admin, names="", descriptions="es=Cinco minutos.\nen=Five minutes.").status_code == 302
    )
    again = admin.get(f"{PULSE}/edit").get_data(as_text=True)
    assert box(again, "descriptions") == "en=Five minutes.\nes=Cinco minutos."
    assert box(again, "names") == ""  # the box was sent empty: no other name any more


def test_a_spanish_admin_reads_the_campaign_form_refusals_whole_in_spanish(app, admin):
    with app.app_context():
        in_spanish("admin-all@example.org")
    html = create(admin, names="es=Pulso\nde=Puls").get_data(as_text=True)
    assert error_of(html, "names") == (
        "línea 2: 'de' no es uno de los idiomas de la aplicación (en, es)"
    )
    assert create(admin).status_code == 302 and press(admin, "open").status_code == 302
    forced = edit(admin, mode="confidential", units="RET").get_data(as_text=True)
    assert "el modo de privacidad no puede cambiar una vez abierta la campaña" in forced
    assert (
        error_of(forced, "units") == "no se pueden quitar unidades una vez abierta la campaña: OPS"
    )
    assert press(admin, "close", confirm="y").status_code == 302
    closed = admin.get(PULSE).get_data(as_text=True)
    assert "La campaña pulse está cerrada" in closed
    assert "pulse: ninguna publicación de resultados nueva." in closed
