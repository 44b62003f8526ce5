"""The staff area in Spanish: each user's choice is kept on the account, drives the dashboard
and the admin pages, survives signing out and in, and leaves an English user's pages alone."""

from __future__ import annotations

import re

import sqlalchemy as sa
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from surveyapp.extensions import db
from surveyapp.models import User
from tests.briefs.reading import close_wave, readable_text
from tests.factories import store_wave
from tests.harness import REPO_DIR
from tests.plugins.staff import PASSWORD, csrf_token, new_client, sign_in
from tests.staff.test_action_effects import two_waves_with_an_action

DASHBOARD = "/staff/campaigns/wave-1/units/RETAIL"
# English that must not be left on a Spanish page: headings, labels, buttons, the header.
ENGLISH_LEFT_OVER = (
    "What matters most",
    "What to do first",
    "Participation<",
    "Readiness: the ADKAR profile",
    "People behind the profile",
    "Alignment gaps",
    "Comment themes",
    "Further actions",
    "Method: the statistics",
    "Key figures",
    "respondents<",
    "Download the PDF brief",
    "Sign out",
    "API tokens",
    "Fieldwork closed",
    "These figures are final",
    "Owner<",
    "Timing<",
    "Why<",
    "held back at",
    "of 5",
)
SPANISH_ON_THE_DASHBOARD = (
    "Lo más importante",
    "Qué hacer primero",
    "Participación",
    "Preparación: el perfil ADKAR",
    "Las personas detrás del perfil",
    "Temas de los comentarios",
    "Responsable",
    "Plazo",
    "El trabajo de campo se cerró el 20 de marzo de 2026",
    "Estas cifras son definitivas.",
    "Descargar el informe en PDF",
    "Cerrar sesión",
)


def choose(client: FlaskClient, language: str, page: str = "/staff/") -> str:
    """Use the header's language switch on `page`, as a user does; where it leads."""
    response = client.post(
        "/staff/language",
        data={"language": language, "next": page, "csrf_token": csrf_token(client, page)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def reads_in_spanish(
    client: FlaskClient, path: str, spanish: tuple[str, ...], english: tuple[str, ...]
) -> None:
    """`path` answers 200 with every Spanish text in `spanish` and no English one left over."""
    response = client.get(path)
    assert response.status_code == 200, path
    markup = response.get_data(as_text=True)
    for wanted in spanish:
        assert wanted in markup, (path, wanted)
    for left_over in english:
        assert left_over not in markup, (path, left_over)


def stored_language(email: str) -> str | None:
    """The language kept on the account, read afresh (the test's session may hold a snapshot)."""
    db.session.rollback()
    return db.session.scalar(sa.select(User.language).where(User.email == email))


def test_a_spanish_choosing_change_manager_reads_the_dashboard_in_spanish(
    survey_layout, login_as, run
):
    store_wave(survey_layout, "wave-1", seed=3)
    close_wave(run, "wave-1")
    manager = login_as("change_manager", units=["RETAIL"], email="ana@example.org")
    assert choose(manager, "es", DASHBOARD) == DASHBOARD
    assert stored_language("ana@example.org") == "es"
    response = manager.get(DASHBOARD)
    markup = response.get_data(as_text=True)
    assert '<html lang="es">' in markup
    text = readable_text(markup)
    for spanish in SPANISH_ON_THE_DASHBOARD:
        assert spanish in text, spanish
    assert "El área de gestión está ahora en español." in text
    for english in ENGLISH_LEFT_OVER:
        assert english not in markup, english
    summary = markup.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert "sobre 5" in summary or "sobre 100" in summary
    assert re.search(r"\d,\d", summary), "a mean with a decimal comma"
    actions = markup.split('id="first-actions"', 1)[1].split("</section>", 1)[0]
    assert "responsable de la unidad" in actions or "próximos 30 días" in actions


def test_the_choice_survives_signing_out_and_in_and_an_english_user_is_unaffected(
    app, survey_layout, login_as, run
):
    store_wave(survey_layout, "wave-1", seed=3)
    close_wave(run, "wave-1")
    ana = login_as("change_manager", units=["RETAIL"], email="ana@example.org")
    choose(ana, "es")
    ana.post("/staff/logout", data={"csrf_token": csrf_token(ana, "/staff/")})
    assert ana.get("/staff/").status_code == 302

    again = new_client(app)
    assert sign_in(again, "ana@example.org", PASSWORD).status_code == 302
    home = again.get("/staff/").get_data(as_text=True)
    assert "<h1>Campañas</h1>" in home and "<h1>Campaigns</h1>" not in home
    assert "Lo más importante" in again.get(DASHBOARD).get_data(as_text=True)

    bob = login_as("change_manager", units=["RETAIL"], email="bob@example.org")
    english = bob.get(DASHBOARD).get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "What matters most" in english and "Fieldwork closed on 20 March 2026" in english
    assert "Lo más importante" not in english
    assert stored_language("bob@example.org") is None

    choose(again, "en")
    assert "What matters most" in again.get(DASHBOARD).get_data(as_text=True)
    assert stored_language("ana@example.org") == "en"


def test_an_admin_reads_the_admin_pages_in_spanish(app, login_as):
    admin = login_as("admin", email="admin@example.org")
    choose(admin, "es")
    pages = {
        "/staff/admin/campaigns": ("Campañas", "Nueva campaña", "Administración"),
        "/staff/admin/units": ("El árbol de unidades", "Añadir una unidad", "Código"),
        "/staff/admin/functions": ("Áreas", "Añadir un área", "Personas"),
        "/staff/admin/roster": ("Importar la plantilla desde un archivo", "Archivo CSV (UTF-8)"),
        "/staff/admin/users": ("Usuarios", "Correo electrónico", "Rol", "activo"),
        "/staff/admin/campaigns/new": ("Nueva campaña", "Modo de privacidad", "Cancelar"),
        "/staff/sessions": ("Sus sesiones", "Cerrar sesión aquí"),
        "/staff/api-tokens": ("Crear un token", "Sus tokens"),
    }
    english = (
        "New campaign",
        "The unit tree",
        "Add a function",
        "Import the roster",
        "Privacy mode",
        "Your sessions",
        "Create a token",
        ">Cancel<",
        ">Users<",
    )
    for path, wanted in pages.items():
        reads_in_spanish(admin, path, wanted, english)


def test_action_plans_and_ai_literacy_evidence_read_in_spanish(survey_layout, login_as):
    two_waves_with_an_action(survey_layout)
    manager = login_as("change_manager", units=["RETAIL"], email="ana@example.org")
    choose(manager, "es")
    admin = login_as("admin", email="admin@example.org")
    choose(admin, "es")
    pages = {
        (manager, "/staff/actions"): ("<h1>Planes de acción</h1>", "Acciones con retraso"),
        (manager, "/staff/actions/units/BR-NORTH"): (
            "Plan de acción de Branches north",
            "Acciones recomendadas",
            "Tiempo protegido para practicar",  # the playbook's own Spanish text
            "Redactar una acción",
        ),
        (manager, "/staff/actions/effects?campaign=wave-2"): (
            "<h1>¿Han funcionado las acciones?</h1>",
            "Indicios, no pruebas.",
            "intervalo al 95%",
        ),
        (manager, "/staff/actions/say-do?campaign=wave-2&metric=weekly_active_users"): (
            "Decir y hacer: encuesta frente a indicadores de impacto",
            "Qué dicen los cuadrantes",
            "dicen estar preparadas y lo usan",  # a quadrant's sentence, marked at definition
        ),
        (admin, "/staff/evidence"): (
            "<h1>Evidencias de alfabetización en IA</h1>",
            "Descargar un dosier de evidencias",
        ),
        (admin, "/staff/admin/ai-systems"): ("Sistemas de IA en uso", "Importar el inventario"),
        (admin, "/staff/admin/measures"): ("Medidas de alfabetización", "Importar el catálogo"),
        (admin, "/staff/admin/outcomes"): ("Indicadores de impacto", "39 valores guardados"),
    }
    english = (
        "Action plans<",
        "Recommended actions",
        "Protected time to practise",
        "Did the actions work?",
        "Evidence, not proof",
        "other units",
        "What the quadrants say",
        "say they are ready",
        "AI-literacy evidence",
        "AI systems in use",
        "Literacy measures",
        "Outcome metrics",
        "Download an evidence pack",
    )
    for (client, path), wanted in pages.items():
        reads_in_spanish(client, path, wanted, english)


def test_a_bad_or_forged_choice_changes_nothing(survey_layout, login_as):
    manager = login_as("change_manager", units=["RETAIL"], email="eve@example.org")
    token = csrf_token(manager, "/staff/")
    assert (
        manager.post("/staff/language", data={"language": "fr", "csrf_token": token}).status_code
        == 400
    )
    assert manager.post("/staff/language", data={"language": "es"}).status_code == 400
    assert stored_language("eve@example.org") is None
    away = manager.post(
        "/staff/language",
        data={"language": "es", "next": "https://evil.example/", "csrf_token": token},
    )
    assert away.headers["Location"] == "/staff/"


def test_every_message_of_the_catalogue_has_a_spanish_text() -> None:
    """No entry of messages.po is left empty or fuzzy (the staff area's included)."""
    with (REPO_DIR / "surveyapp/translations/es/LC_MESSAGES/messages.po").open("rb") as source:
        catalogue = read_po(source, locale="es")
    entries = [message for message in catalogue if message.id]
    assert len(entries) > 500
    for message in entries:
        strings = [message.string] if isinstance(message.string, str) else message.string
        assert not message.fuzzy, message.id
        assert all(text.strip() for text in strings), f"no Spanish text for {message.id!r}"
    assert catalogue.get("What matters most").string == "Lo más importante"
