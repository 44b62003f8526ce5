"""Every staff URL against every role, direct URLs to other units' campaigns included.

A visitor is sent to the sign-in page; a signed-in user asking for a page their role or scope
does not allow gets 404, as if it did not exist (scope.role_required), never 403; and a
refused POST changes nothing.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import AuditEvent, Campaign, Function, Invitation, OrgUnit, Person
from surveyapp.services.campaigns import CampaignSpec, create_campaign
from surveyapp.services.open_links import create_open_links
from tests import factories
from tests.harness import REPO_DIR
from tests.plugins.staff import csrf_token, new_client

LOGIN = "login"  # 302 to the sign-in page, with the page asked for as `next`
REACHED = "reached"  # the page's own answer (e.g. 400: nothing to export yet), not a refusal
OPS = "/staff/campaigns/ops-wave"
RET = "/staff/campaigns/ret-wave"
GONE = "/staff/campaigns/no-such-wave"
A = "/staff/admin"
ROLES = ("visitor", "admin", "change manager of OPS", "hr")

# URL -> expected answer for (visitor, admin, change manager of OPS, hr)
PAGES = {
    "/staff/": (LOGIN, 200, 200, 200),
    f"{OPS}/": (LOGIN, 200, 302, 404),
    f"{OPS}/units/OPS-N": (LOGIN, 200, 200, 404),
    f"{OPS}/units/RET": (LOGIN, 404, 404, 404),
    f"{OPS}/units/OPS-N/brief.pdf": (LOGIN, 200, 200, 404),
    f"{OPS}/exports/literacy.csv": (LOGIN, REACHED, 404, REACHED),
    f"{OPS}/open-links": (LOGIN, 200, 200, 404),
    f"{OPS}/participation": (LOGIN, 200, 200, 404),
    f"{OPS}/jobs": (LOGIN, 200, 404, 404),
    f"{RET}/": (LOGIN, 200, 404, 404),
    f"{RET}/units/RET": (LOGIN, 200, 404, 404),
    f"{RET}/units/RET/brief.pdf": (LOGIN, 200, 404, 404),
    f"{RET}/exports/literacy.xlsx": (LOGIN, REACHED, 404, REACHED),
    f"{RET}/open-links": (LOGIN, 200, 404, 404),
    f"{RET}/participation": (LOGIN, 200, 404, 404),
    f"{RET}/jobs": (LOGIN, 200, 404, 404),
    f"{GONE}/": (LOGIN, 404, 404, 404),
    f"{GONE}/participation": (LOGIN, 404, 404, 404),
    f"{GONE}/open-links": (LOGIN, 404, 404, 404),
    "/staff/jobs/999": (LOGIN, 404, 404, 404),
    f"{A}/campaigns": (LOGIN, 200, 404, 404),
    f"{A}/campaigns/new": (LOGIN, 200, 404, 404),
    f"{A}/campaigns/ops-wave": (LOGIN, 200, 404, 404),
    f"{A}/campaigns/ops-wave/edit": (LOGIN, 200, 404, 404),
    f"{A}/campaigns/ret-wave": (LOGIN, 200, 404, 404),
    f"{A}/campaigns/ret-wave/edit": (LOGIN, 200, 404, 404),
    f"{A}/campaigns/no-such-wave": (LOGIN, 404, 404, 404),
    f"{A}/units": (LOGIN, 200, 404, 404),
    f"{A}/units/OPS": (LOGIN, 200, 404, 404),
    f"{A}/units/RET": (LOGIN, 200, 404, 404),
    f"{A}/units/NOPE": (LOGIN, 404, 404, 404),
    f"{A}/functions": (LOGIN, 200, 404, 404),
    f"{A}/roster": (LOGIN, 200, 404, 404),
    f"{A}/campaigns/ops-wave/mail": (LOGIN, 200, 404, 404),
    f"{A}/campaigns/ret-wave/mail": (LOGIN, 200, 404, 404),
    "/staff/api-tokens": (LOGIN, 200, 200, 200),
    "/staff/audit": (LOGIN, 200, 404, 404),
}

# admin-only POSTs, each with what a refused one would otherwise have done
ADMIN_POSTS = {
    f"{A}/campaigns/new": {"slug": "sneaky", "name": "x", "instruments": "adoption-readiness@2"},
    f"{A}/campaigns/ops-wave/edit": {"name": "Renamed", "units": "OPS", "mode": "confidential"},
    f"{A}/campaigns/ops-wave/open": {},
    f"{A}/campaigns/ret-wave/close": {"confirm": "y"},
    f"{A}/campaigns/ops-wave/invitations": {},
    f"{A}/campaigns/ret-wave/links": {},
    f"{A}/units": {"code": "NEW", "name": "New", "parent_code": ""},
    f"{A}/units/OPS": {"name": "Renamed", "parent_code": "RET"},
    f"{A}/units/import": {},
    f"{A}/functions": {"code": "sneaky", "name": "Sneaky"},
    f"{A}/roster": {},
}


@pytest.fixture
def clients(app, run, login_as) -> list:
    """The four roles' clients, on units OPS > OPS-N and RET with a campaign of each.

    ret-wave is open and has invitations (so closing or downloading links would change or
    reveal something); ops-wave is a draft (so opening or editing it would).
    """
    assert run("instruments", "load", str(REPO_DIR / "instruments")).exit_code == 0
    with app.app_context():
        ops = factories.unit(db.session, "OPS")
        north = factories.unit(db.session, "OPS-N", parent=ops)
        retail = factories.unit(db.session, "RET")
        for unit in (north, retail):
            factories.person(db.session, unit)
        waves = {}
        for slug, unit, open_now in (("ops-wave", ops, False), ("ret-wave", retail, True)):
            spec = CampaignSpec(
                slug,
                slug,
                ["adoption-readiness"],
                [unit.code],
                False,
                "anonymous",
                open_now=open_now,
            )
            waves[slug] = create_campaign(db.session, spec)
            create_open_links(db.session, waves[slug], [unit])
        factories.invitation(db.session, waves["ret-wave"], factories.person(db.session, retail))
        db.session.commit()
    return [
        new_client(app),
        login_as("admin"),
        login_as("change_manager", units=["OPS"]),
        login_as("hr"),
    ]


def snapshot() -> dict:
    """What a refused POST must leave as it was."""
    return {
        "campaigns": db.session.execute(
            sa.select(Campaign.slug, Campaign.name, Campaign.status, Campaign.privacy_mode)
        ).all(),
        "units": db.session.execute(sa.select(OrgUnit.code, OrgUnit.name, OrgUnit.parent_id)).all(),
        "functions": db.session.scalars(sa.select(Function.code)).all(),
        "people": db.session.scalar(sa.select(sa.func.count()).select_from(Person)),
        "invitations": db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)),
        "audit": db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)),
    }


def check(response, expected, url: str, role: str) -> None:
    where = f"{role} {response.request.method} {url}"
    if expected == LOGIN:
        assert response.status_code == 302, where
        assert response.location.startswith("/staff/login?next="), where
    elif expected == REACHED:
        assert response.status_code not in (302, 403, 404), where
    else:
        assert response.status_code == expected, where


def test_each_role_reaches_exactly_the_pages_it_may(app, clients):
    for url, expected in PAGES.items():
        for client, role, answer in zip(clients, ROLES, expected, strict=True):
            check(client.get(url), answer, url, role)
    _, admin, manager, hr = clients
    assert manager.get(f"{OPS}/").location == f"{OPS}/units/OPS"
    nav = 'href="/staff/admin/campaigns">Admin</a>'
    assert nav in admin.get("/staff/").get_data(as_text=True)
    for client in (manager, hr):
        assert nav not in client.get("/staff/").get_data(as_text=True)


def test_no_other_role_can_post_to_an_admin_page(app, clients):
    visitor, _, manager, hr = clients
    with app.app_context():
        before = snapshot()
    for client, role in ((visitor, "visitor"), (manager, "change manager"), (hr, "hr")):
        token = csrf_token(client, "/staff/login" if client is visitor else "/staff/")
        for url, fields in ADMIN_POSTS.items():
            response = client.post(url, data={"csrf_token": token} | fields)
            check(response, LOGIN if client is visitor else 404, url, role)
    with app.app_context():
        assert snapshot() == before
