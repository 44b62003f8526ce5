"""A change manager signs in with a real browser and reads an accessible unit dashboard, on a
laptop (1366 px) and on a phone (390 px)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import Axe
from tests.browser.screenshots import screenshot
from tests.factories import open_until, store_wave
from tests.plugins.staff import PASSWORD, add_user

MANAGER = "manager-retail@example.org"
SMALLEST_LABEL_PX = 12
SLOW_PAGE_MS = 120_000  # the dashboard analyses the campaign in the request, on a shared CPU
CHART_TEXT = """() => Array.from(document.querySelectorAll('svg.chart text'))
    .filter(t => t.getClientRects().length > 0).map(t => {
    const svg = t.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(getComputedStyle(t).fontSize) * scale;
})"""
SHOWN_CHARTS = """() => Array.from(document.querySelectorAll('figure svg.chart'))
    .filter(svg => svg.getClientRects().length > 0).length"""
TOO_WIDE = """() => Array.from(document.querySelectorAll('main, main *')).filter(e => {
    const box = e.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return false;
    const scrolls = !(e instanceof SVGElement) && e.scrollWidth > e.clientWidth + 1;
    return scrolls || box.left < -1 || box.right > window.innerWidth + 1;
}).map(e => `${e.tagName}.${e.getAttribute('class') || ''} ${Math.round(
    e.getBoundingClientRect().width)}px: ${(e.textContent || '').trim().slice(0, 40)}`)"""


def sign_in(page: Page, live_server: str, axe: Axe | None = None) -> None:
    """Sign in as the retail change manager, checking the pages on the way when asked."""
    page.goto(f"{live_server}/staff/login")
    if axe:
        axe.check(page, "the sign-in page")
    page.get_by_label("Email").fill(MANAGER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Campaigns")).to_be_visible()


def test_a_change_manager_signs_in_and_the_unit_dashboard_passes_axe(
    app, survey_layout, live_server: str, browser: Browser, axe: Axe
):
    store_wave(survey_layout, "wave-1", seed=3)
    open_until(app, "wave-1", days=14)
    add_user(app, MANAGER, "change_manager", ["RETAIL"])
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(SLOW_PAGE_MS)
    page = context.new_page()
    sign_in(page, live_server, axe)
    axe.check(page, "the campaign list")

    page.get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(f"{live_server}/staff/campaigns/wave-1/units/RETAIL")
    expect(page.get_by_role("heading", name="What to do first")).to_be_visible()
    expect(page.get_by_text("Fieldwork is still open until")).to_be_visible()
    expect(page.get_by_role("heading", name="Readiness: the ADKAR profile")).to_be_visible()
    expect(page.locator("figure svg").first).to_be_visible()
    sizes = page.evaluate(CHART_TEXT)
    assert sizes and min(sizes) >= SMALLEST_LABEL_PX, min(sizes)
    axe.check(page, "the RETAIL dashboard")
    screenshot(page, "dashboard", full_page=True)
    context.close()


def test_the_dashboard_fits_a_phone_with_readable_charts(
    app, survey_layout, live_server: str, browser: Browser, axe: Axe
):
    store_wave(survey_layout, "wave-1", seed=3)
    open_until(app, "wave-1", days=14)
    add_user(app, MANAGER, "change_manager", ["RETAIL"])
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(SLOW_PAGE_MS)
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/campaigns/wave-1/units/RETAIL")
    expect(page.get_by_role("heading", name="What matters most")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(TOO_WIDE) == []  # nothing, chart or table, scrolls sideways
    assert page.evaluate(SHOWN_CHARTS) >= 5  # the phone layout of every chart, each shown once
    sizes = page.evaluate(CHART_TEXT)
    assert sizes and min(sizes) >= SMALLEST_LABEL_PX, min(sizes)
    axe.check(page, "the RETAIL dashboard on a phone")
    screenshot(page, "dashboard-phone", full_page=True)
    context.close()


OVERFLOWING = """() => Array.from(document.querySelectorAll('main *')).filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && e.scrollWidth > e.clientWidth + 1
        && getComputedStyle(e).overflowX === 'visible' && !e.closest('svg');
}).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 40))"""


def test_a_change_manager_switches_to_spanish_and_the_dashboard_fits_a_laptop(
    app, survey_layout, live_server: str, browser: Browser, axe: Axe
):
    store_wave(survey_layout, "wave-1", seed=3)
    add_user(app, MANAGER, "change_manager", ["RETAIL"])
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(SLOW_PAGE_MS)
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/campaigns/wave-1/units/RETAIL")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(f"{live_server}/staff/campaigns/wave-1/units/RETAIL")
    expect(page.get_by_role("heading", name="Lo más importante")).to_be_visible()
    expect(page.get_by_role("heading", name="Qué hacer primero")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert page.evaluate(OVERFLOWING) == []
    axe.check(page, "the RETAIL dashboard in Spanish")
    screenshot(page, "dashboard-es", full_page=True)
    context.close()
