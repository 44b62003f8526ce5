"""Hostile input on every staff form: arbitrary values posted with a valid CSRF token never
cause a server error, and never leave a row that the forms and imports would have refused.

Each property posts to one group of forms as a signed-in admin, then checks every stored row
against the rules the services enforce (codes, slugs, group sizes, fixed privacy settings,
roster fields, audit rows only for what was done). The database carries over between the
examples of one property, so later examples meet what earlier ones managed to store.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from surveyapp.extensions import db
from surveyapp.models import (
    ApiToken,
    AuditEvent,
    Campaign,
    Function,
    Job,
    OrgUnit,
    Person,
    User,
)
from surveyapp.models.campaigns import CAMPAIGN_STATUSES, MIN_GROUP_FLOOR, PRIVACY_MODES
from surveyapp.models.jobs import JOB_KINDS
from surveyapp.services.api_tokens import NAME_LENGTH
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.campaigns import SLUG_PATTERN, CampaignSpec, create_campaign
from surveyapp.services.org import ROSTER_COLUMNS, UNIT_COLUMNS
from tests import factories
from tests.harness import TEST_INSTRUMENTS
from tests.plugins.staff import PASSWORD, add_user, csrf_token, new_client
from tests.strategies import check_organisation, csv_bytes, roster_rows, unit_rows

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
UNITS = ["OPS", "OPS-N", "RET"]
SLUGS = ["draft-1", "open-1"]
SPECIAL = [
    "",
    " ",
    "0",
    "-1",
    "2",
    "3",
    "5",
    "99999999999999999999",
    "-99999999999999999999",
    "1e3",
    "1.5",
    "NaN",
    "true",
    "on",
    "\x00",
    "a\x00b",
    "OPS\n",
    "\r\n",
    "\u202eevil",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    *UNITS,
    *SLUGS,
    *PRIVACY_MODES,
    "mini-pulse@1",
    "mini-pulse@999",
    "0001-01-01",
    "9999-12-31",
    "2030-01-01",
    "2024-02-30",
    "../../etc/passwd",
    "A" * 41,
    "x" * 201,
    "é" * 5_000,
    "x" * 100_000,
]
TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(SPECIAL)
VALUE = TEXT | st.lists(TEXT, min_size=2, max_size=4)
NUMBER = st.sampled_from(
    ["", "-1", "2", "3", " 7 ", "1.5", "٣", "2147483647", "2147483648", "9223372036854775808"]
) | st.integers(min_value=-(2**70), max_value=2**70).map(str)
DATE = st.dates().map(str) | TEXT


@st.composite
def form(draw: st.DrawFn, valid: dict, **hostile: st.SearchStrategy) -> dict:
    """A form as the page would send it, with a few fields made hostile, dropped or added.

    Starting from a valid form lets one bad field reach the service behind it, which a form
    of all-random fields (refused by its first check) would never do. `{n}` in a valid value
    becomes a new number at each post, so codes and slugs meant to be new are.
    """
    body = dict(valid)
    names = [*hostile, "extra", "csrf_token_2"]
    for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
        body[name] = draw(hostile.get(name, VALUE), label=name)
    if valid:
        for name in draw(st.lists(st.sampled_from(sorted(valid)), max_size=2, unique=True)):
            body.pop(name, None)
    return body


@dataclass
class Admin:
    """A signed-in admin's client and CSRF token, and what each opened campaign settled on."""

    client: FlaskClient
    token: str
    settled: dict[str, tuple] = field(default_factory=dict)
    serial: Iterator[int] = field(default_factory=itertools.count)

    def post(self, path: str, data: dict) -> TestResponse:
        """POST `data` with the session's token; a server error fails the test at once."""
        number = str(next(self.serial))
        data = {
            name: value.replace("{n}", number) if isinstance(value, str) else value
            for name, value in data.items()
        }
        response = self.client.post(path, data=data | {"csrf_token": self.token})
        assert response.status_code < 500, response.get_data(as_text=True)[:2000]
        return response


@pytest.fixture
def admin(app: Flask, run, login_as) -> Admin:
    """Units OPS > OPS-N and RET with a person each; a draft and an open campaign of mini-pulse."""
    assert run("instruments", "load", str(TEST_INSTRUMENTS / "valid")).exit_code == 0
    with app.app_context():
        ops = factories.unit(db.session, "OPS")
        north = factories.unit(db.session, "OPS-N", parent=ops)
        retail = factories.unit(db.session, "RET")
        for unit in (ops, north, retail):
            person = factories.person(db.session, unit)
            person.email = f"{person.employee_id.lower()}@example.org"
        for slug, mode, open_now in (
            ("draft-1", "anonymous", False),
            ("open-1", "confidential", True),
        ):
            spec = CampaignSpec(slug, slug, ["mini-pulse"], ["OPS"], False, mode, open_now=open_now)
            create_campaign(db.session, spec)
        db.session.commit()
    client = login_as("admin")
    admin = Admin(client, csrf_token(client, "/staff/admin/units"))
    check_stored_rows(app, admin)
    return admin


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def clean_text(value: str, longest: int) -> bool:
    """What a name field keeps: 1 to `longest` characters, no spaces around, no NUL."""
    return 1 <= len(value) <= longest and value == value.strip() and "\x00" not in value


def check_stored_rows(app: Flask, admin: Admin) -> None:
    """Every stored row is one the services would accept; opened campaigns keep their settings."""
    with app.app_context():
        session = db.session
        check_organisation(session)
        for campaign in session.scalars(sa.select(Campaign)):
            assert re.fullmatch(SLUG_PATTERN, campaign.slug), campaign.slug
            assert clean_text(campaign.name, 200), campaign.name
            assert campaign.privacy_mode in PRIVACY_MODES and campaign.status in CAMPAIGN_STATUSES
            assert MIN_GROUP_FLOOR <= campaign.min_group_size <= campaign.min_comment_group_size
            assert campaign.units and campaign.instruments
            if campaign.opens_at and campaign.closes_at:
                assert campaign.closes_at > campaign.opens_at
            if campaign_phase(campaign) != "not_open":
                settings_now = (
                    campaign.privacy_mode,
                    campaign.min_group_size,
                    campaign.min_comment_group_size,
                    campaign.opens_at,
                )
                settled = admin.settled.setdefault(campaign.slug, settings_now)
                assert settings_now == settled, f"{campaign.slug} changed after opening"
        for name in session.scalars(sa.select(ApiToken.name)):
            assert clean_text(name, NAME_LENGTH), name
        assert all(kind in JOB_KINDS for kind in session.scalars(sa.select(Job.kind)))
        assert all(rows > 0 for rows in session.scalars(sa.select(AuditEvent.row_count))), (
            "an audit row for a download of nothing"
        )


def path_part(value: str) -> str:
    """`value` as one segment of a URL path."""
    return quote(value, safe="")


@pytest.fixture
def staff_user(app: Flask) -> str:
    """An admin whose email the login fuzz types, always with some other password."""
    add_user(app, "staff@example.org", "admin")
    return "staff@example.org"


@FUZZ
@given(
    data=form(
        {"email": "staff@example.org", "password": "not the password"},
        email=VALUE,
        password=VALUE,
    ),
    next_=st.none() | TEXT,
    address=st.integers(min_value=1, max_value=250),
)
@example(  # regression (PostgreSQL): a NUL reached the user lookup
    data={"email": "staff\x00@example.org", "password": "x"}, next_=None, address=1
)
@example(data={"email": "staff@example.org", "password": "x"}, next_="/staff/\x00", address=2)
def test_the_login_form_never_fails_and_never_signs_in_without_the_password(
    app, staff_user, data, next_, address
):
    client = new_client(app)
    client.environ_base["REMOTE_ADDR"] = f"10.0.0.{address}"
    token = csrf_token(client)
    url = "/staff/login" if next_ is None else f"/staff/login?next={quote(next_)}"
    response = client.post(url, data=data | {"csrf_token": token})
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    assert data.get("password") != PASSWORD
    assert response.status_code in ((404,) if "\x00" in (next_ or "") else (200, 429))
    assert client.get("/staff/").status_code == 302


@FUZZ
@given(
    add=form(
        {"code": "NEW-{n}", "name": "New unit", "parent_code": ""},
        code=VALUE | st.sampled_from([*UNITS, "new.2"]),
        name=VALUE,
        parent_code=VALUE | st.sampled_from(UNITS),
    ),
    edit=form(
        {"name": "Renamed", "parent_code": ""},
        name=VALUE,
        parent_code=VALUE | st.sampled_from(UNITS),
    ),
    code=st.sampled_from(UNITS) | TEXT,
)
@example(add={"code": "\x00", "name": "x"}, edit={"name": "x"}, code="OPS\x00")
def test_unit_forms_store_only_valid_units_in_a_tree(app, admin, add, edit, code):
    admin.post("/staff/admin/units", add)
    admin.post(f"/staff/admin/units/{path_part(code)}", edit)
    check_stored_rows(app, admin)


def upload(admin: Admin, path: str, content: bytes, filename: str) -> TestResponse:
    """Send `content` as the upload form's file, encoded in memory as a browser would."""
    body = {
        "file": FileStorage(io.BytesIO(content), filename, content_type="text/csv"),
        "csrf_token": admin.token,
    }
    boundary, encoded = encode_multipart(body)
    response = admin.client.post(
        path, data=encoded, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    return response


FILENAMES = st.sampled_from(["units.csv", "roster.csv", "x.txt", "", "../../x.csv", "é\x01.csv"])


@FUZZ
@given(content=csv_bytes(UNIT_COLUMNS, unit_rows(UNITS)), filename=FILENAMES)
def test_a_units_upload_imports_all_valid_rows_or_nothing(app, admin, content, filename):
    before = count(app, OrgUnit)
    response = upload(admin, "/staff/admin/units/import", content, filename)
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert count(app, OrgUnit) == before
    check_stored_rows(app, admin)


@FUZZ
@given(content=csv_bytes(ROSTER_COLUMNS, roster_rows(UNITS)), filename=FILENAMES)
def test_a_roster_upload_imports_all_valid_rows_or_nothing(app, admin, content, filename):
    with app.app_context():
        before = db.session.execute(sa.select(Person.employee_id, Person.unit_id)).all()
    response = upload(admin, "/staff/admin/roster", content, filename)
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        with app.app_context():
            assert db.session.execute(sa.select(Person.employee_id, Person.unit_id)).all() == before
    check_stored_rows(app, admin)


@FUZZ
@given(
    data=form(
        {"code": "fn-{n}", "name": "New function"},
        code=VALUE | st.sampled_from(["finance", "FINANCE", "New-Fn"]),
        name=VALUE,
    )
)
def test_the_functions_form_stores_only_valid_unique_codes(app, admin, data):
    before = count(app, Function)
    response = admin.post("/staff/admin/functions", data)
    assert count(app, Function) == before + (response.status_code == 302)
    check_stored_rows(app, admin)


CAMPAIGN = {
    "name": "Pulse",
    "units": "OPS",
    "mode": "anonymous",
    "min_group_size": "5",
    "min_comment_group_size": "10",
    "opens": "",
    "closes": "",
}
CAMPAIGN_FIELDS = {
    "name": VALUE,
    "units": st.lists(st.sampled_from(UNITS) | TEXT, max_size=3).map(", ".join),
    "mode": st.sampled_from(PRIVACY_MODES) | VALUE,
    "min_group_size": NUMBER,
    "min_comment_group_size": NUMBER,
    "opens": DATE,
    "closes": DATE,
}


@settings(FUZZ, max_examples=40)
@given(
    create=form(
        CAMPAIGN | {"slug": "pulse-{n}", "instruments": ["mini-pulse@1"]},
        slug=st.from_regex(SLUG_PATTERN, fullmatch=True) | VALUE,
        instruments=st.lists(st.just("mini-pulse@1") | TEXT, max_size=3),
        **CAMPAIGN_FIELDS,
    ),
    edit=form(CAMPAIGN, **CAMPAIGN_FIELDS),
    slug=st.sampled_from(SLUGS) | TEXT,
)
@example(  # regression: group sizes beyond an INTEGER column were a server error
    create=CAMPAIGN
    | {"slug": "big-{n}", "instruments": ["mini-pulse@1"], "min_comment_group_size": "9" * 20},
    edit=CAMPAIGN | {"min_comment_group_size": "2147483648"},
    slug="draft-1",
)
@example(  # regression: a unit chosen twice was a duplicate key
    create=CAMPAIGN | {"slug": "twice-{n}", "instruments": ["mini-pulse@1"], "units": ["OPS"] * 2},
    edit=CAMPAIGN | {"units": ["OPS", "RET", "RET"]},
    slug="draft-1",
)
def test_campaign_forms_store_valid_campaigns_and_never_change_an_opened_ones_privacy(
    app, admin, create, edit, slug
):
    admin.post("/staff/admin/campaigns/new", create)
    admin.post(f"/staff/admin/campaigns/{path_part(slug)}/edit", edit)
    check_stored_rows(app, admin)


ACTIONS = ["open", "close", "invitations", "links", "mail"]
AUDITED = {"invitations", "links", "mail"}


@FUZZ
@given(
    action=st.sampled_from(ACTIONS),
    slug=st.sampled_from(SLUGS) | TEXT,
    data=form({"confirm": "y"}, confirm=VALUE, unsubmitted=VALUE, round=VALUE | st.just("1")),
)
@example(action="mail", slug="draft-1\x00", data={})  # regression (PostgreSQL): NUL in a lookup
def test_campaign_buttons_never_fail_and_audit_only_what_they_did(app, admin, action, slug, data):
    audits = count(app, AuditEvent)
    response = admin.post(f"/staff/admin/campaigns/{path_part(slug)}/{action}", data)
    done = response.mimetype == "text/csv"
    if action == "mail" and response.status_code == 302:
        page = admin.client.get(response.headers["Location"]).get_data(as_text=True)
        done = "emails queued" in page and "Nothing was queued" not in page
    if action in AUDITED and not done:
        assert count(app, AuditEvent) == audits
    if done and action != "mail":
        assert count(app, AuditEvent) == audits + 1
    check_stored_rows(app, admin)


@settings(FUZZ, max_examples=12)
@given(slug=st.sampled_from(SLUGS) | TEXT, data=form({"kind": "analysis"}, kind=VALUE))
@example(slug="\x00", data={"kind": "briefs"})
def test_starting_a_job_never_fails_and_stores_only_known_kinds(app, admin, slug, data):
    before = count(app, Job)
    response = admin.post(f"/staff/campaigns/{path_part(slug)}/jobs", data)
    assert count(app, Job) == before + (response.status_code == 302)
    check_stored_rows(app, admin)


@settings(FUZZ, max_examples=40)
@given(
    create=form({"name": "Reporting {n}"}, name=VALUE),
    own=st.integers(min_value=0, max_value=3),
    other=st.none() | st.integers(min_value=0, max_value=2**64),
)
@example(create={"name": "\x00"}, own=0, other=2**64)  # regression: NUL stored, id overflow
def test_api_token_forms_store_only_named_tokens_of_their_user(app, admin, create, own, other):
    with app.app_context():
        ids = db.session.scalars(sa.select(ApiToken.id).order_by(ApiToken.id)).all()
    assert admin.post("/staff/api-tokens", create).status_code == 200
    target = ids[own] if other is None and own < len(ids) else other or 0
    response = admin.post(f"/staff/api-tokens/{target}/revoke", {})
    assert response.status_code == (302 if target in ids else 404)
    with app.app_context():
        tokens = db.session.execute(
            sa.select(ApiToken.id, ApiToken.revoked_at, User.email).join(
                User, ApiToken.user_id == User.id
            )
        ).all()
    assert {email for _, _, email in tokens} <= {"admin-all@example.org"}
    assert all(revoked_at is not None for id_, revoked_at, _ in tokens if id_ == target)
    check_stored_rows(app, admin)
