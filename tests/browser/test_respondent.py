"""A respondent on a phone answers a whole survey in Spanish by keyboard alone, pausing once.

Only the keys a keyboard user presses (Tab, Space, arrows, Enter, typed text) move through the
survey; the page is read (focus, checked options, text) but never clicked or filled.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect

from surveyapp.extensions import db
from surveyapp.models import Answer, Response
from tests.browser.axe import Axe
from tests.browser.screenshots import CHECKED, PHONE, screenshot
from tests.harness import REPO_DIR
from tests.plugins.survey import close_and_release, make_campaign

CATALOGUE = REPO_DIR / "surveyapp" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
INSTRUMENTS = ("adoption-readiness", "ai-concerns")  # 3 + 4 pages, one of them with a comment
MAX_TABS = 120
COMMENT = "Necesitamos más tiempo para aprender y ejemplos de nuestro trabajo."
FOCUSED = """() => {
  const e = document.activeElement;
  const group = e.name ? document.querySelector(`input[name="${e.name}"]:checked`) : null;
  return {tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "",
          value: e.value || "", text: e.tagName === "BUTTON" ? e.textContent.trim() : "",
          answered: group !== null};
}"""
FIRST_ERROR = """() => {
  const focused = document.activeElement;
  const group = focused.closest("fieldset");
  const error = group ? group.querySelector(".error") : null;
  return {focused: focused.name || focused.tagName,
          first_question: document.querySelector("fieldset.question input").name,
          first_option: focused === document.querySelector("fieldset.question input"),
          described_by: group ? group.getAttribute("aria-describedby") : null,
          error_id: error ? error.id : null,
          error_text: error ? error.textContent.trim() : null};
}"""


@cache
def _catalogue() -> dict[str, str]:
    """The finished Spanish translations of the interface, by English text.

    The app serves the compiled catalogue (messages.mo), so one older than its source fails
    the test rather than letting it expect text the pages cannot show.
    """
    if not CATALOGUE.exists():
        return {}
    compiled = CATALOGUE.with_suffix(".mo")
    if not compiled.exists() or compiled.stat().st_mtime < CATALOGUE.stat().st_mtime:
        raise AssertionError(
            f"{compiled.relative_to(REPO_DIR)} is missing or older than messages.po, so the "
            "pages would not say what the catalogue says: run `make test`, or "
            "`.venv/bin/pybabel compile -d surveyapp/translations`"
        )
    with CATALOGUE.open("rb") as po:
        catalog = read_po(po, locale="es")
    return {
        message.id: message.string
        for message in catalog
        if isinstance(message.id, str) and isinstance(message.string, str)
        if message.string and not message.fuzzy
    }


def spanish(english: str) -> str:
    """What a Spanish page says for `english`: the catalogue's translation, else the English."""
    return _catalogue().get(english, english)


def press_and_load(page: Page, key: str) -> None:
    """Press `key` and wait for the page it submits or follows to load."""
    with page.expect_event("load"):
        page.keyboard.press(key)


def tab_to_button(page: Page, label: str) -> None:
    """Tab forward until the button called `label` has the focus."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "button" and focused["text"] == label:
            return
        seen.append(focused["text"] or focused["name"] or focused["tag"])
    raise AssertionError(f"Tab never reached the button {label!r} on {page.url}; saw {seen}")


def answer_by_keyboard(page: Page, labels: tuple[str, ...]) -> dict[str, str]:
    """Answer every unanswered question from the focus onwards; stop on a button in `labels`.

    Tab enters a radio group on its first option; Space takes it, each ArrowDown moves to the
    next option and takes that one. The picks vary from question to question.
    """
    answers: dict[str, str] = {}
    for _ in range(MAX_TABS):
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "button" and focused["text"] in labels:
            return answers
        if focused["type"] == "radio" and not focused["answered"]:
            steps = (len(answers) * 3) % 5
            for _step in range(steps):
                page.keyboard.press("ArrowDown")
            if not steps:
                page.keyboard.press("Space")
            answers[focused["name"]] = page.evaluate(FOCUSED)["value"]
        elif focused["tag"] == "textarea" and not focused["value"]:
            page.keyboard.type(COMMENT)
            answers[focused["name"]] = COMMENT
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached any of {labels} on {page.url}")


def arrive(page: Page, url: str, what: str, axe: Axe) -> None:
    """The browser is on `url`, the page is in Spanish, and axe finds nothing serious."""
    expect(page).to_have_url(url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    axe.check(page, what)


def test_a_phone_user_answers_in_spanish_by_keyboard_pausing_on_one_device_resuming_on_another(
    app, run, live_server: str, browser: Browser, axe: Axe
):
    setup = make_campaign(app, run, instruments=INSTRUMENTS, open_now=True)
    link = live_server + setup.path(next(iter(setup.links)))
    next_, back, save = spanish("Next"), spanish("Back"), spanish("Save and finish later")
    submit = spanish("Submit my answers")

    phone = browser.new_context(viewport=PHONE, locale="es-ES")
    page = phone.new_page()
    page.goto(link)
    arrive(page, link, "the start page", axe)
    tab_to_button(page, spanish("Start the survey"))
    press_and_load(page, "Enter")
    arrive(page, f"{link}/1", "page 1", axe)

    tab_to_button(page, next_)
    press_and_load(page, "Enter")
    arrive(page, f"{link}/1", "page 1 with every answer missing", axe)
    error = page.evaluate(FIRST_ERROR)
    assert error["focused"] == error["first_question"] and error["first_option"], error
    assert error["error_text"] == spanish("Please answer this question."), error
    assert error["described_by"] == error["error_id"], error
    expect(page.get_by_role("alert")).to_be_visible()

    given = answer_by_keyboard(page, (next_,))
    first_page = dict(given)
    assert len(first_page) == 6 and page.evaluate(CHECKED) == first_page
    press_and_load(page, "Enter")
    arrive(page, f"{link}/2", "page 2", axe)
    tab_to_button(page, save)
    press_and_load(page, "Enter")
    arrive(page, f"{link}/saved", "the saved page", axe)
    expect(page.get_by_role("heading", level=1)).to_have_text(spanish("Your answers are saved"))
    phone.close()

    other_device = browser.new_context(viewport=PHONE, locale="es-ES")
    page = other_device.new_page()
    page.goto(link)
    arrive(page, f"{link}/2", "page 2 on resuming", axe)
    tab_to_button(page, back)
    press_and_load(page, "Enter")
    arrive(page, f"{link}/1", "page 1 on going back", axe)
    assert page.evaluate(CHECKED) == first_page
    screenshot(page, "respondent-phone")
    tab_to_button(page, next_)
    press_and_load(page, "Enter")

    number = 2
    while True:
        arrive(page, f"{link}/{number}", f"page {number}", axe)
        given |= answer_by_keyboard(page, (next_, submit))
        last = page.evaluate(FOCUSED)["text"] == submit
        press_and_load(page, "Enter")
        if last:
            break
        number += 1
    assert number == 7 and COMMENT in given.values()

    arrive(page, link, "the final page", axe)
    expect(page.get_by_role("heading", level=1)).to_have_text(spanish("Answers received"))
    expect(page.get_by_text(spanish("Thank you. Your answers have been received."))).to_be_visible()
    other_device.close()

    close_and_release(run)
    with app.app_context():
        response = db.session.scalars(sa.select(Response)).one()
        assert response.locale == "es"
        assert len(response.answers) == len(given) == 15 + 28  # every question of both
        comment = next(a.text for a in response.answers if a.text is not None)
        assert comment == COMMENT
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == len(given)
