"""A change manager signs in with a real browser and reads an accessible unit dashboard."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.axe import Axe
from tests.browser.screenshots import screenshot
from tests.staff.conftest import PASSWORD, add_user
from tests.test_cli_analyze import store_wave

MANAGER = "manager-retail@example.org"


def test_a_change_manager_signs_in_and_the_unit_dashboard_passes_axe(
    app, survey_layout, live_server: str, browser: Browser, axe: Axe
):
    store_wave(survey_layout, "wave-1", seed=3)
    add_user(app, MANAGER, "change_manager", ["RETAIL"])
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()

    page.goto(f"{live_server}/staff/login")
    axe.check(page, "the sign-in page")
    page.get_by_label("Email").fill(MANAGER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Campaigns")).to_be_visible()
    axe.check(page, "the campaign list")

    page.get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(f"{live_server}/staff/campaigns/wave-1/units/RETAIL")
    expect(page.get_by_role("heading", name="Readiness: the ADKAR profile")).to_be_visible()
    expect(page.locator("figure svg").first).to_be_visible()
    axe.check(page, "the RETAIL dashboard")
    screenshot(page, "dashboard", full_page=True)
    context.close()
