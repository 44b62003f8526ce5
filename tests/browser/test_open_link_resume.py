"""A phone (390 px) on an open link: answer a page, save, ask for the link by email, scan the
poster again and land back in the same answers; another phone opens the emailed link. Every
page passes axe."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import Axe
from tests.browser.screenshots import CHECKED, PHONE, screenshot
from tests.plugins.survey import make_campaign

ADDRESS = "ana.garcia@example.org"


def tick_every_question(page: Page) -> None:
    """The fourth option of every question on the page (the start page's first)."""
    for group in page.locator("fieldset.question").all():
        options = group.locator("input[type=radio]")
        options.nth(min(3, options.count() - 1)).check()


def test_a_phone_resumes_by_scanning_again_and_gets_its_link_by_email(
    request, run, live_server: str, browser: Browser, axe: Axe
):
    app = request.getfixturevalue("mail_app")  # the live server's app, sending to a test server
    server = request.getfixturevalue("smtp_server")
    setup = make_campaign(
        app,
        run,
        open_now=True,
        names={"es": "Pulso de IA"},
        descriptions={"es": "Cinco minutos sobre la IA en su trabajo."},
    )
    poster = f"{live_server}/o/{setup.open_codes['OPS-N']}"
    phone = browser.new_context(viewport=PHONE, locale="es-ES")
    page = phone.new_page()
    page.goto(poster + "?kiosk=1")  # the same poster's kiosk address, on a shared tablet
    expect(page.locator("p.kiosk-note")).to_contain_text("Este dispositivo es compartido")
    axe.check(page, "the kiosk's first page")
    page.goto(poster)
    expect(page.locator("header")).to_contain_text("Pulso de IA")
    expect(page.locator("p.description")).to_have_text("Cinco minutos sobre la IA en su trabajo.")
    axe.check(page, "the open link's first page in Spanish")
    screenshot(page, "respondent-open-link-start", full_page=True)
    for group in page.locator("fieldset.question").all():
        group.locator("input[type=radio]").first.check()
    page.get_by_role("button", name="Comenzar la encuesta").click()
    tick_every_question(page)
    chosen = page.evaluate(CHECKED)
    page.get_by_role("button", name="Guardar y terminar más tarde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sus respuestas están guardadas")
    axe.check(page, "the saved page with the email form")

    page.get_by_label("Su dirección de correo electrónico").fill(ADDRESS)
    page.get_by_role("button", name="Enviarme el enlace").click()
    expect(page.get_by_role("status")).to_contain_text("El enlace va de camino")
    axe.check(page, "the saved page after sending")
    screenshot(page, "respondent-resume-link", full_page=True)
    (mail,) = server.received
    assert mail.recipients == [ADDRESS]

    page.goto("about:blank")
    page.goto(poster)  # the QR code scanned again, later, on the same phone
    expect(page.locator("fieldset.question").first).to_be_visible()
    assert page.evaluate(CHECKED) == chosen
    axe.check(page, "the resumed page")
    phone.close()

    other = browser.new_context(viewport=PHONE, locale="es-ES")
    laptop = other.new_page()
    laptop.goto(mail.link.replace("http://127.0.0.1:5000", live_server))
    expect(laptop.locator("fieldset.question").first).to_be_visible()
    assert laptop.evaluate(CHECKED) == chosen
    laptop.goto(poster)  # but the poster on another device starts afresh
    expect(laptop.get_by_role("button", name="Comenzar la encuesta")).to_be_visible()
    other.close()
