"""Each role against each route, direct URLs outside the scope included (security.md C10)."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.catalog import ALL_INSTRUMENTS
from surveyapp.extensions import db
from surveyapp.models import AuditEvent
from surveyapp.services.campaigns import CampaignSpec, create_campaign
from tests.factories import store_wave

W = "/staff/campaigns/wave-1"
R = "/staff/campaigns/retail-only"
GONE = "/staff/campaigns/no-such-campaign"

# route -> expected status for (visitor, admin, change manager of OPS, hr); no analysis runs here
CHEAP = {
    "/staff/": (302, 200, 200, 200),
    f"{W}/": (302, None, 302, 404),
    f"{W}/units/BR-NORTH": (302, None, 404, 404),
    f"{W}/units/NOPE": (302, 404, 404, 404),
    f"{W}/units/BR-NORTH/brief.pdf": (302, None, 404, 404),
    f"{W}/units/OPS/brief.pdf": (302, None, None, 404),
    f"{W}/exports/literacy.csv": (302, None, 404, None),
    f"{W}/exports/literacy.pdf": (302, 404, 404, 404),
    f"{W}/exports/literacy.csv?per_person=1": (302, 400, 404, 400),
    f"{R}/": (302, None, 404, 404),
    f"{R}/units/RETAIL": (302, None, 404, 404),
    f"{R}/units/RETAIL/brief.pdf": (302, None, 404, 404),
    f"{R}/exports/literacy.xlsx": (302, None, 404, None),
    f"{GONE}/": (302, 404, 404, 404),
    f"{GONE}/units/OPS": (302, 404, 404, 404),
    f"{GONE}/units/OPS/brief.pdf": (302, 404, 404, 404),
    f"{GONE}/exports/literacy.csv": (302, 404, 404, 404),
}


def test_each_role_reaches_only_what_it_may(app, survey_layout, login_as):
    store_wave(survey_layout, "wave-1", seed=3)
    retail = CampaignSpec("retail-only", "Retail", ALL_INSTRUMENTS, ["RETAIL"], False, "anonymous")
    create_campaign(db.session, retail)
    below = CampaignSpec(
        "techops-only", "TechOps", ALL_INSTRUMENTS, ["TECHOPS"], False, "anonymous"
    )
    create_campaign(db.session, below)  # a unit under the manager's OPS
    db.session.commit()
    clients = [
        app.test_client(),
        login_as("admin"),
        login_as("change_manager", units=["OPS"]),
        login_as("hr"),
    ]
    for url, expected in CHEAP.items():
        for client, status in zip(clients, expected, strict=True):
            if status is None:
                continue
            response = client.get(url)
            assert response.status_code == status, (url, clients.index(client))
            if status == 302 and client is clients[0]:
                assert response.location.startswith("/staff/login?next=")
    manager = clients[2]
    assert manager.get(f"{W}/").location == f"{W}/units/OPS"
    home = manager.get("/staff/").get_data(as_text=True)
    assert "wave-1" in home and "techops-only" in home and "retail-only" not in home
    refused = clients[3].get(f"{W}/exports/literacy.csv?per_person=1").get_data(as_text=True)
    assert "per-person results do not exist" in refused


def test_allowed_downloads_are_attachments_and_exports_are_audited(app, survey_layout, login_as):
    store_wave(survey_layout, "wave-1", seed=3)
    manager = login_as("change_manager", units=["OPS"])
    brief = manager.get(f"{W}/units/TECHOPS/brief.pdf")
    assert brief.status_code == 200 and brief.data.startswith(b"%PDF")
    assert brief.headers["Content-Disposition"] == "attachment; filename=wave-1-TECHOPS.pdf"
    hr = login_as("hr")
    with hr.get(f"{W}/exports/literacy.csv") as export:  # a server closes the file it streams
        assert export.status_code == 200
        assert export.headers["Content-Disposition"] == (
            "attachment; filename=wave-1-literacy-units.csv"
        )
        assert "BR-NORTH" in export.get_data(as_text=True)
    event = db.session.scalars(sa.select(AuditEvent)).one()
    assert event.actor == "hr-all@example.org" and event.row_count > 0
