"""Staff pages of the AI-literacy evidence: admin uploads of the inventory and the measures
(all or nothing, every bad row named), and the pack and tracks for HR and admins only."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from surveyapp.extensions import db
from surveyapp.models import AiSystem, AuditEvent, MeasureCompletion, User
from tests import factories
from tests.plugins.staff import csrf_token
from tests.staff.test_spanish_staff_words import in_spanish

SYSTEMS = "/staff/admin/ai-systems"
MEASURES = "/staff/admin/measures"
PACK = "/staff/evidence"


@pytest.fixture
def organisation(app):
    """Units CONTACT and LENDING with a person each (E1 in CONTACT)."""
    with app.app_context():
        contact = factories.unit(db.session, "CONTACT")
        contact.name = "Contact centre"
        factories.unit(db.session, "LENDING").name = "Lending"
        person = factories.person(db.session, contact)
        person.employee_id = "E1"
        db.session.commit()


def upload(client, path: str, text: str, name: str = "file.csv", query: str = "", prefix: str = ""):
    """Send `text` as the file of the upload form on `path` whose fields carry `prefix`,
    as a browser does."""
    data: dict = {
        f"{prefix}file": FileStorage(io.BytesIO(text.encode()), name, content_type="text/csv"),
        f"{prefix}csrf_token": csrf_token(client, path),
    }
    boundary, body = encode_multipart(data)
    return client.post(
        path + query, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def problems(html: str) -> list[tuple[str, str]]:
    """The (where, problem) rows of the page's problem table."""
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", html)
    return [(w.replace("&#39;", "'"), r.replace("&#39;", "'")) for w, r in cells]


def test_an_inventory_upload_with_bad_rows_names_each_and_imports_nothing(
    app, organisation, login_as
):
    admin = login_as("admin")
    text = (
        "system,description,risk_tier,unit,function,level\n"
        "Chatbot,Answers customers,limited,CONTACT,,\n"
        "Scoring,Scores loans,severe,LENDING,,\n"
        "Copilot,Drafts,minimal,NOPE,,\n"
    )
    page = upload(admin, SYSTEMS, text, "ai.csv")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "2 problems in ai.csv: nothing was imported" in html
    assert problems(html) == [
        ("row 3, column 'risk_tier'", "'severe' is not one of minimal, limited, high"),
        ("row 4, column 'unit'", "unknown unit code 'NOPE'"),
    ]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AiSystem)) == 0
    good = upload(admin, SYSTEMS, text.replace("severe", "high").replace("NOPE", ""), "ai.csv")
    assert good.status_code == 302
    listing = admin.get(SYSTEMS).get_data(as_text=True)
    assert "AI systems imported from ai.csv: 3 systems, 3 uses, 0 systems removed." in listing
    assert "Answers customers" in listing and "Contact centre" in listing


def test_a_completions_upload_with_bad_rows_names_each_and_imports_nothing(
    app, organisation, login_as
):
    admin = login_as("admin")
    text = (
        "employee_id,measure,kind,completed_on\n"
        "E1,Chatbot briefing,briefing,2026-01-10\n"
        "E2,Chatbot briefing,briefing,2026-01-10\n"
        "E1,AI policy,memo,2026-01-10\n"
    )
    page = upload(admin, MEASURES, text, "lms.csv")
    assert page.status_code == 422
    assert problems(page.get_data(as_text=True)) == [
        ("row 3, column 'employee_id'", "'E2' is not on the roster"),
        ("row 4, column 'kind'", "'memo' is not one of training, briefing, policy_acknowledgement"),
    ]
    with app.app_context():
        count = sa.select(sa.func.count()).select_from(MeasureCompletion)
        assert db.session.scalar(count) == 0
    first_row = "\n".join(text.splitlines()[:2]) + "\n"
    assert upload(admin, MEASURES, first_row).status_code == 302
    catalogue = "title,kind,topics,tiers,systems\nChatbot briefing,briefing,limits,limited,\n"
    reply = upload(admin, MEASURES, catalogue, query="?file=catalogue", prefix="catalogue-")
    assert reply.status_code == 302
    listing = admin.get(MEASURES).get_data(as_text=True)
    assert "Chatbot briefing" in listing and "limited-risk" in listing


@pytest.mark.parametrize("role", ["hr", "change_manager"])
def test_only_admins_manage_the_inventory_and_measures(app, organisation, login_as, role):
    client = login_as(role, units=["CONTACT"] if role == "change_manager" else ())
    assert client.get(SYSTEMS).status_code == 404
    assert client.get(MEASURES).status_code == 404


def test_the_pack_is_for_hr_and_admins_only_and_each_download_is_audited(
    app, organisation, login_as, client
):
    assert client.get(PACK).status_code == 302  # not signed in: the login page
    manager = login_as("change_manager", units=["CONTACT"])
    assert manager.get(PACK).status_code == 404
    assert (
        manager.post(
            PACK + "/pack.zip", data={"csrf_token": csrf_token(manager, "/staff/")}
        ).status_code
        == 404
    )
    for role in ("hr", "admin"):
        user = login_as(role)
        page = user.get(PACK)
        assert page.status_code == 200 and "Download an evidence pack" in page.get_data(
            as_text=True
        )
        reply = user.post(
            PACK + "/pack.zip",
            data={"csrf_token": csrf_token(user, PACK), "unit": "CONTACT", "as_of": "2026-02-01"},
        )
        assert reply.status_code == 200 and reply.mimetype == "application/zip"
        assert len(zipfile.ZipFile(io.BytesIO(reply.data)).namelist()) == 2
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "evidence.build")
        ).all()
        assert [(e.actor, e.detail["version"]) for e in events] == [
            ("hr-all@example.org", 1),
            ("admin-all@example.org", 2),
        ]


def test_a_bad_day_is_refused_and_nothing_is_built(app, organisation, login_as):
    hr = login_as("hr")
    reply = hr.post(PACK + "/pack.zip", data={"csrf_token": csrf_token(hr, PACK), "as_of": "soon"})
    assert reply.status_code == 400


def test_tracks_are_for_hr_only(app, organisation, login_as):
    with app.app_context():
        campaign = factories.campaign(db.session, "confidential")
        campaign.units.append(
            db.session.scalar(
                sa.select(factories.OrgUnit).where(factories.OrgUnit.code == "CONTACT")
            )
        )
        db.session.commit()
        slug = campaign.slug
    assert login_as("admin").get(f"/staff/campaigns/{slug}/evidence/tracks.xlsx").status_code == 404
    assert (
        login_as("change_manager", units=["CONTACT"])
        .get(f"/staff/campaigns/{slug}/evidence/tracks.xlsx")
        .status_code
        == 404
    )


def test_the_pack_reads_its_gaps_from_the_wave_chosen_on_the_page(evidence_wave, login_as):
    hr = login_as("hr")
    page = hr.get(PACK).get_data(as_text=True)
    assert '<select id="campaign" name="campaign"' in page
    opened = evidence_wave.created_at.date().isoformat()
    assert f'<option value="lit-1">lit-1 (anonymous, opened {opened})</option>' in page
    token = csrf_token(hr, PACK)
    refused = hr.post(PACK + "/pack.zip", data={"csrf_token": token, "campaign": "nope"})
    assert refused.status_code == 400 and "unknown campaign" in refused.get_data(as_text=True)
    reply = hr.post(PACK + "/pack.zip", data={"csrf_token": token, "campaign": "lit-1"})
    assert reply.status_code == 200 and reply.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(reply.data))
    xlsx = next(name for name in archive.namelist() if name.endswith(".xlsx"))
    scope = openpyxl.load_workbook(io.BytesIO(archive.read(xlsx)))["scope"]
    read = dict(row[:2] for row in scope.iter_rows(values_only=True))
    assert read["Gaps read from"].startswith("lit-1 (anonymous), result release 1 of ")
    db.session.rollback()  # end the test's own read, begun above, to see what the requests wrote
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "evidence.build"))
    assert event.detail["gaps_wave"] == "lit-1"


def test_a_spanish_admin_reads_tiers_kinds_functions_and_levels_by_name(
    app, organisation, login_as
):
    admin = login_as("admin", email="admin-es@example.org")
    with app.app_context():
        db.session.execute(
            sa.update(User).where(User.email == "admin-es@example.org").values(language="es")
        )
        db.session.commit()
    inventory = (
        "system,description,risk_tier,unit,function,level\n"
        "Chatbot,Answers customers,limited,CONTACT,customer-service,frontline\n"
    )
    assert upload(admin, SYSTEMS, inventory, "ai.csv").status_code == 302
    listing = admin.get(SYSTEMS).get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]
    assert "de riesgo limitado" in listing and "limited<" not in listing
    assert "Atención al cliente · Personal de primera línea" in listing
    catalogue = "title,kind,topics,tiers,systems\nChatbot briefing,briefing,limits,high,\n"
    reply = upload(admin, MEASURES, catalogue, query="?file=catalogue", prefix="catalogue-")
    assert reply.status_code == 302
    listing = admin.get(MEASURES).get_data(as_text=True).split("<tbody>")[1]
    assert "sesión informativa" in listing and "de riesgo alto" in listing


def test_a_spanish_admin_reads_where_an_upload_went_wrong_and_what_it_did_in_spanish(
    app, organisation, login_as
):
    admin = login_as("admin", email="admin-es@example.org")
    with app.app_context():
        in_spanish("admin-es@example.org")
    inventory = "system,description,risk_tier,unit,function,level\nChatbot,Answers,severe,,,\n"
    refused = upload(admin, SYSTEMS, inventory, "ai.csv").get_data(as_text=True)
    assert problems(refused)[0][0] == "fila 2, columna 'risk_tier'"
    assert (
        upload(admin, SYSTEMS, inventory.replace("severe", "limited"), "ai.csv").status_code == 302
    )
    assert "sistemas: 1, usos: 1, sistemas retirados: 0." in admin.get(SYSTEMS).get_data(
        as_text=True
    )
    completions = "employee_id,measure,kind,completed_on\nE1,Chatbot briefing,briefing,2026-01-10\n"
    assert upload(admin, MEASURES, completions).status_code == 302
    shown = admin.get(MEASURES).get_data(as_text=True)
    assert (
        "finalizaciones añadidas: 1, ya registradas: 0, medidas nuevas en el catálogo: 1" in shown
    )
    catalogue = "title,kind,topics,tiers,systems\nChatbot briefing,briefing,limits,limited,\n"
    reply = upload(admin, MEASURES, catalogue, query="?file=catalogue", prefix="catalogue-")
    assert reply.status_code == 302
    assert "medidas creadas: 0, actualizadas: 1." in admin.get(MEASURES).get_data(as_text=True)
