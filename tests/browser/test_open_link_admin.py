"""An admin makes open links for chosen units, downloads a poster and retires a link, in a
real browser; the page passes axe, and the retired link's QR answers a page saying so."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import Browser, expect

from surveyapp.extensions import db
from surveyapp.models import OrgUnit
from tests import factories
from tests.browser.axe import Axe
from tests.browser.screenshots import PHONE, screenshot
from tests.plugins.staff import PASSWORD, add_user
from tests.plugins.survey import make_campaign

ADMIN = "admin-open-links@example.org"


def test_an_admin_makes_downloads_and_retires_open_links(
    app, run, live_server: str, browser: Browser, axe: Axe
):
    setup = make_campaign(app, run, open_now=True)  # OPS > OPS-N, which has a link
    with app.app_context():
        top = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "OPS"))
        db.session.scalar(
            sa.select(OrgUnit).where(OrgUnit.code == "OPS-N")
        ).name = "Operations North"
        for code, name in (("OPS-S", "Operations South"), ("OPS-W", "Operations West")):
            factories.unit(db.session, code, parent=top).name = name
        db.session.commit()
    add_user(app, ADMIN, "admin", [])
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = desk.new_page()
    page.goto(f"{live_server}/staff/login")
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/staff/campaigns/{setup.slug}/open-links")

    page.get_by_label("Units' codes").fill("OPS-S, OPS-W")
    page.get_by_role("button", name="Make open links").click()
    expect(page.get_by_role("alert")).to_have_text(
        "2 open link(s) made; 0 unit(s) already had one."
    )
    expect(page.locator("article.open-link")).to_have_count(3)
    with page.expect_download() as poster:
        page.get_by_role("link", name="A4 poster (PDF) for Operations South").click()
    assert poster.value.suggested_filename == f"{setup.slug}-OPS-S-poster.pdf"

    west = page.locator("article.open-link", has_text="Operations West")
    west_link = west.locator("dd code").first.inner_text()
    west.get_by_label("Retire it").check()
    west.get_by_role("button", name="Retire this link").click()
    expect(page.get_by_role("alert")).to_contain_text("The open link of OPS-W is retired")
    expect(page.locator("article.open-link")).to_have_count(2)
    expect(page.get_by_role("heading", name="Retired links")).to_be_visible()
    axe.check(page, "the open links page")
    screenshot(page, "admin-open-links", full_page=True)
    desk.close()

    phone = browser.new_context(viewport=PHONE, locale="es-ES")
    scan = phone.new_page()
    response = scan.goto(west_link.replace("http://127.0.0.1:5000", live_server))
    assert response is not None and response.status == 410
    expect(scan.get_by_role("heading", level=1)).to_have_text("Este enlace ya no está en uso")
    axe.check(scan, "the retired link's page")
    phone.close()
