"""Kind to mistakes: the error summary says which questions, and a language switch keeps
what was typed on the page."""

from __future__ import annotations

import re

from tests.plugins.survey import begin, form_token, radio_answers

SUMMARY_LINK = re.compile(r'<li><a href="#(q\d+)-error">([^<]+)</a> <span class="why">([^<]+)')
CHECKED = re.compile(r'name="(q\d+)" type="radio" value="([^"]+)" checked')


def test_the_error_summary_names_each_question_by_number_and_text(survey, browser_client):
    first_page = begin(browser_client, survey.path(survey.people[0]), lang="en")
    html = browser_client.get(first_page).get_data(as_text=True)
    answers = radio_answers(html)
    names = sorted(answers, key=lambda name: int(name[1:]))
    for skipped in (names[1], names[4]):
        del answers[skipped]
    refused = browser_client.post(
        first_page, data=answers | {"csrf_token": form_token(html), "action": "next"}
    )
    page = refused.get_data(as_text=True).replace("&#39;", "'")
    assert refused.status_code == 422
    assert "There are problems with 2 answers" in page
    assert SUMMARY_LINK.findall(page) == [
        (names[1], "Question 2: I understand what could go wrong if we do not change how we work.",
         "Please answer this question."),
        (names[4], "Question 5: I can see what is in it for me if I use these tools.",
         "Please answer this question."),
    ]  # fmt: skip
    assert f'id="{names[1]}-error"' in page and f'id="{names[4]}-error"' in page


def test_a_long_question_is_shortened_at_a_word_in_the_summary():
    from surveyapp.survey.forms import shortened

    text = "I know how to ask an AI tool clearly to get a useful answer, every time I need one."
    assert shortened(text) == "I know how to ask an AI tool clearly to get a useful answer, every…"
    assert len(shortened(text)) <= 70 and shortened("Short.") == "Short."


def test_switching_language_mid_page_keeps_the_answers_typed_there(survey, browser_client):
    first_page = begin(browser_client, survey.path(survey.people[0]), lang="en")
    html = browser_client.get(first_page).get_data(as_text=True)
    assert 'form="answers" name="action" value="lang:es"' in html  # the switch is a button
    typed = dict(list(radio_answers(html, lambda values: values[1]).items())[:3])
    switched = browser_client.post(
        first_page,
        data=typed | {"csrf_token": form_token(html), "action": "lang:es", "lang": "en"},
    )
    assert switched.status_code == 302
    assert switched.headers["Location"].endswith(f"{first_page}?lang=es")
    spanish = browser_client.get(switched.headers["Location"]).get_data(as_text=True)
    assert '<html lang="es">' in spanish and "Siguiente" in spanish
    assert dict(CHECKED.findall(spanish)) == typed
    again = browser_client.get(first_page).get_data(as_text=True)
    assert '<html lang="es">' in again  # the draft remembers the language chosen
