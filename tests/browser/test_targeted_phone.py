"""A frontline employee on a 390 px phone: their own length on the first page, no leader
questions, "I don't know" on the quiz, an error summary that names the questions, and a
language switch that keeps what was chosen; every page passes axe."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from surveyapp.extensions import db
from surveyapp.models import Answer, Item
from tests.browser.axe import Axe
from tests.browser.screenshots import CHECKED, PHONE, screenshot
from tests.plugins.survey import make_campaign

LEADER_ITEM = "I can say in one sentence what business problem this AI initiative should solve."


def choose(page: Page, names: list[str], label: str | None = None) -> None:
    """Tick an option of each named question: the one labelled `label`, else the last point."""
    for name in names:
        group = page.locator(f"fieldset:has(input[name={name}])")
        option = group.get_by_label(label, exact=True) if label else group.locator("input").nth(4)
        option.check()


def question_names(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "fieldset.question", "(sets) => sets.map((s) => s.querySelector('input').name)"
    )


def test_a_frontline_phone_user_meets_only_their_questions_and_gentle_errors(
    app, run, live_server: str, browser: Browser, axe: Axe
):
    setup = make_campaign(
        app, run, instruments=("ai-literacy", "stakeholder-alignment"), open_now=True
    )
    link = live_server + setup.path(setup.people[0])
    phone = browser.new_context(viewport=PHONE, locale="es-ES")
    page = phone.new_page()
    page.goto(f"{link}?lang=en")
    # 12 statements at 8 s and 5 quiz questions at 15 s: 171 s, about 3 minutes
    expect(page.locator("p.length")).to_contain_text("It has 17 questions and takes about 3")
    axe.check(page, "the first page")
    screenshot(page, "respondent-first-page")
    page.get_by_role("button", name="Start the survey").click()

    names = question_names(page)
    choose(page, names[:2])
    page.get_by_role("button", name="Next").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There are problems with 4 answers")
    links = summary.get_by_role("link")
    expect(links).to_have_count(4)
    expect(links.first).to_have_text(re.compile(r"^Question 3: I have no real idea how AI"))
    axe.check(page, "the error summary")
    summary.scroll_into_view_if_needed()  # the first question with a problem has the focus
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "respondent-error-summary")

    chosen = page.evaluate(CHECKED)
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.evaluate(CHECKED) == chosen  # what was chosen survived the switch
    axe.check(page, "the page in Spanish")
    choose(page, names[2:])
    page.get_by_role("button", name="Siguiente").click()

    seen = ""
    while True:
        expect(page.locator("h1")).to_be_visible()
        seen += page.content()
        names = question_names(page)
        quiz = page.locator("label.dont-know").count() == len(names)
        choose(page, names, "No lo sé" if quiz else None)
        axe.check(page, page.url)
        submit = page.get_by_role("button", name="Enviar mis respuestas")
        if submit.count():
            submit.click()
            break
        page.get_by_role("button", name="Siguiente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Respuestas recibidas")
    assert LEADER_ITEM not in seen and "Puedo decir en una frase" not in seen
    phone.close()

    closed = run("campaign", "close", setup.slug)  # releases the held anonymous answer
    assert closed.exit_code == 0, closed.output
    with app.app_context():
        quiz_answers = db.session.scalars(
            sa.select(Answer.text)
            .join(Item, Answer.item_id == Item.id)
            .where(Item.type == "knowledge")
        ).all()
    assert quiz_answers == ["dont_know"] * 5
