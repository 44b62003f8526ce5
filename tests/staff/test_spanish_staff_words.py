"""What a Spanish-reading staff user used to meet in English: service errors, actions added
in one click, brief batches started from the jobs page, the say-do chart and metric names."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from pypdf import PdfReader

from surveyapp.analytics.library import load_playbook
from surveyapp.extensions import db
from surveyapp.models import Action, Job, User
from tests.factories import store_wave
from tests.plugins.staff import csrf_token
from tests.staff.test_action_effects import two_waves_with_an_action

ONE_CLICK = re.compile(r'name="intervention" value="([^"]+)"')


def in_spanish(email: str) -> None:
    """The user chose Spanish for the staff area (kept on the account)."""
    db.session.rollback()
    db.session.execute(sa.update(User).where(User.email == email).values(language="es"))
    db.session.commit()


def test_a_service_refusal_reads_in_spanish(survey_layout, login_as):
    admin = login_as("admin", email="admin@example.org")
    in_spanish("admin@example.org")
    user_id = db.session.scalar(sa.select(User.id).where(User.email == "admin@example.org"))
    page = f"/staff/admin/users/{user_id}"
    response = admin.post(
        f"{page}/password",
        data={"csrf_token": csrf_token(admin, page), "password": "short", "confirm": "short"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "use al menos" in html and "use at least" not in html


def test_an_action_added_in_one_click_keeps_the_spanish_words_of_who_added_it(
    survey_layout, login_as
):
    store_wave(survey_layout, "wave-1", seed=3)
    plan = "/staff/actions/units/BR-NORTH"
    manager = login_as("change_manager", units=["RETAIL"], email="ana@example.org")
    in_spanish("ana@example.org")
    first = ONE_CLICK.search(manager.get(plan).get_data(as_text=True)).group(1)
    added = manager.post(
        f"{plan}/recommended",
        data={"csrf_token": csrf_token(manager, plan), "campaign": "wave-1", "intervention": first},
    )
    assert added.status_code == 302
    action = db.session.scalars(sa.select(Action)).one()
    instruments = Path(manager.application.config["SURVEYAPP_INSTRUMENTS_DIR"])
    playbook = load_playbook(instruments / "playbook.yaml")
    intervention = playbook.interventions[first]
    assert action.title == intervention.title["es"] != intervention.title["en"]
    assert action.notes == intervention.action["es"]
    for english_word in (" of the unit ", "The ADKAR barrier point", "scores low"):
        assert english_word not in action.finding


def test_a_brief_batch_started_by_a_spanish_admin_is_written_in_spanish(
    app, survey_layout, login_as
):
    store_wave(survey_layout, "wave-1", seed=5)
    admin = login_as("admin", email="admin@example.org")
    in_spanish("admin@example.org")
    page = "/staff/campaigns/wave-1/jobs"
    started = admin.post(page, data={"csrf_token": csrf_token(admin, page), "kind": "briefs"})
    assert started.status_code == 302
    db.session.rollback()
    job = db.session.scalars(sa.select(Job)).one()
    assert job.status == "done" and job.parameters == {"language": "es"}
    first = Path(job.result["directory"]) / job.result["files"][0]
    text = "\n".join(page.extract_text() for page in PdfReader(first).pages)
    assert "Informe de gestión del cambio" in text or "trabajo de campo" in text.lower()
    assert "Change-management brief" not in text


def test_the_say_do_chart_and_metric_names_read_in_spanish(survey_layout, login_as):
    two_waves_with_an_action(survey_layout)
    admin = login_as("admin", email="admin@example.org")
    in_spanish("admin@example.org")
    html = admin.get("/staff/actions/say-do?campaign=wave-2&metric=weekly_active_users").get_data(
        as_text=True
    )
    chart = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    ticks = re.findall(r">(-?\d+[.,]\d+)<", chart)
    assert ticks and all("," in tick for tick in ticks), ticks
    assert "Weekly active users" in html and ">weekly_active_users<" not in html
    effects = admin.get("/staff/actions/effects?campaign=wave-2").get_data(as_text=True)
    assert "weekly_active_users</option>" not in effects and "Weekly active users" in effects
