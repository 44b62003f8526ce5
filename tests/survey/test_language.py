"""Respondents read the survey in Spanish: a complete catalogue, the pages, the stored locale."""

from __future__ import annotations

import html
import re
from pathlib import Path

import sqlalchemy as sa
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from surveyapp.extensions import db
from surveyapp.models import Person, Response
from tests.harness import REPO_DIR
from tests.plugins.survey import (
    PROGRESS,
    SurveySetup,
    answer_pages,
    begin,
    close_and_release,
    form_token,
    radio_answers,
)

TRANSLATIONS = REPO_DIR / "surveyapp" / "translations"
SPANISH = TRANSLATIONS / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
SPANISH_BROWSER = "es-ES"  # what Accept-Language says


def _catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def _texts(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _in_spanish(client: FlaskClient, app: Flask, survey: SurveySetup) -> str:
    """A personal link whose roster says English, opened by a browser that asks for Spanish.

    The roster is set to English so that only the browser's language can make the page Spanish.
    """
    compiled = SPANISH / "messages.mo"
    assert (
        compiled.exists() and compiled.stat().st_mtime >= (SPANISH / "messages.po").stat().st_mtime
    ), (
        "compile the catalogue first: make test does, or .venv/bin/pybabel compile -d "
        "surveyapp/translations"
    )
    employee_id = survey.people[0]
    with app.app_context():
        person = db.session.scalars(sa.select(Person).filter_by(employee_id=employee_id)).one()
        person.locale = "en"
        db.session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = SPANISH_BROWSER
    return survey.path(employee_id)


def test_every_message_has_a_spanish_translation_that_keeps_its_placeholders() -> None:
    template = _catalogue(TRANSLATIONS / "messages.pot")
    spanish = _catalogue(SPANISH / "messages.po", "es")
    assert spanish.num_plurals == 2
    messages = [message for message in template if message.id]
    assert messages
    for message in messages:
        translated = spanish.get(message.id)
        assert translated is not None, f"not in the Spanish catalogue: {message.id!r}"
        assert not translated.fuzzy, f"fuzzy, check the translation: {message.id!r}"
        wanted = set().union(*map(_placeholders, _texts(message.id)))
        strings = _texts(translated.string)
        assert len(strings) == (2 if message.pluralizable else 1)
        for string in strings:
            assert string.strip(), f"no Spanish text for {message.id!r}"
            assert _placeholders(string) == wanted, f"placeholders differ: {string!r}"
            literal = PLACEHOLDER.sub("", string).replace("%%", "")  # %% writes one %
            assert "%" not in literal, f"a stray % in {string!r}"


def test_every_marked_string_in_the_code_is_in_the_catalogue() -> None:
    """Strings marked after the last `make translations` would show up in English."""
    with (REPO_DIR / "babel.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    keywords = DEFAULT_KEYWORDS | {"lazy_gettext": None}
    found = extract_from_dir(REPO_DIR / "surveyapp", method_map, options_map, keywords=keywords)
    marked = {msgid if isinstance(msgid, str) else msgid[0] for *_, msgid, _, _ in found}
    template = _catalogue(TRANSLATIONS / "messages.pot")
    assert any(
        filename.endswith(".html") for message in template for filename, _ in message.locations
    )
    missing = sorted(msgid for msgid in marked if msgid not in template)
    assert not missing, f"run `make translations` and translate: {missing}"


def test_the_start_page_follows_the_browser_and_the_language_link(app, survey, browser_client):
    path = _in_spanish(browser_client, app, survey)
    page = browser_client.get(path).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Comenzar la encuesta" in page and "Start the survey" not in page
    assert "Esta encuesta es anónima." in page
    assert "grupos de al menos 5 personas" in page
    english_link = re.search(r'<a href="([^"]+)" lang="en"', page)
    assert english_link, "no link to the English page"
    english = browser_client.get(html.unescape(english_link.group(1))).get_data(as_text=True)
    assert english_link.group(1).endswith("?lang=en")
    assert '<html lang="en">' in english
    assert "Start the survey" in english and "This survey is anonymous." in english


def test_a_survey_page_shows_the_spanish_questions_and_buttons(app, survey, browser_client):
    path = _in_spanish(browser_client, app, survey)
    page = browser_client.get(begin(browser_client, path)).get_data(as_text=True)
    assert "Sé por qué la empresa está incorporando herramientas de IA en mi trabajo." in page
    assert "I know why the company" not in page
    assert "Totalmente de acuerdo" in page
    assert ">Siguiente</button>" in page and ">Guardar y terminar más tarde</button>" in page
    assert "Página 1 de 3" in page


def test_questions_left_blank_are_named_in_spanish(app, survey, browser_client):
    path = _in_spanish(browser_client, app, survey)
    first = begin(browser_client, path)
    page = browser_client.get(first).get_data(as_text=True)
    answers = radio_answers(page)
    for skipped in sorted(answers)[:2]:
        del answers[skipped]
    refused = browser_client.post(
        first, data=answers | {"csrf_token": form_token(page), "action": "next"}
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Hay problemas con 2 respuestas" in text
    assert text.count("Por favor, responda a esta pregunta.") == 4  # summary and field, twice


def test_the_language_a_survey_was_answered_in_is_stored(app, run, survey, browser_client):
    path = _in_spanish(browser_client, app, survey)
    last = answer_pages(browser_client, begin(browser_client, path), stop_before_last=True)
    page = browser_client.get(last).get_data(as_text=True)
    progress = PROGRESS.search(page)
    assert progress and progress.group(1) == progress.group(2)
    assert ">Enviar mis respuestas</button>" in page and ">Atrás</button>" in page
    assert answer_pages(browser_client, last) == path
    done = browser_client.get(path).get_data(as_text=True)
    assert "Hemos recibido sus respuestas" in done
    close_and_release(run)
    with app.app_context():
        assert db.session.scalars(sa.select(Response.locale)).one() == "es"
