"""No staff page and no API answer about campaigns, results or people is ever stored by a
browser or a proxy; HTTPS is pinned (HSTS) wherever cookies are Secure."""

from __future__ import annotations

import pytest

from surveyapp import create_app
from surveyapp.extensions import db

STAFF_PAGES = [
    "/staff/",
    "/staff/login",
    "/staff/audit",
    "/staff/sessions",
    "/staff/api-tokens",
    "/staff/admin/users",
    "/staff/admin/units",
    "/staff/admin/roster",
    "/staff/admin/campaigns",
    "/staff/admin/campaigns/wave-1",
    "/staff/campaigns/wave-1/participation",
    "/staff/campaigns/wave-1/open-links",
    "/staff/campaigns/nope/",  # a 404 too
]
API_ANSWERS = [
    "/api/v1/campaigns",
    "/api/v1/campaigns/conf-1",
    "/api/v1/campaigns/conf-1/literacy",
    "/api/v1/campaigns/conf-1/literacy/people",
    "/api/v1/campaigns/wave-1/units",
    "/api/v1/campaigns/wave-1/units/OPS/results",
    "/api/v1/campaigns/nope",
]


def test_every_staff_page_and_api_answer_is_no_store(api_world, as_role, login_as):
    admin = login_as("admin", email="headers-admin@example.org")
    for path in STAFF_PAGES:
        response = admin.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response.headers["Cache-Control"] == "no-store", path
    api = as_role(api_world, "admin")
    for path in API_ANSWERS:
        response = api.get(path)
        assert response.status_code in (200, 404, 409), (path, response.status_code)
        assert response.headers["Cache-Control"] == "no-store", path
    refused = as_role(api_world, None).get("/api/v1/campaigns")
    assert refused.status_code == 401 and refused.headers["Cache-Control"] == "no-store"
    public = as_role(api_world, None).get("/api/v1/openapi.json")
    assert public.status_code == 200 and "no-store" not in public.headers.get("Cache-Control", "")


@pytest.mark.parametrize("secure", [True, False])
def test_hsts_is_sent_exactly_when_cookies_are_secure(database_url, secure):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SESSION_COOKIE_SECURE": secure})
    try:
        response = app.test_client().get("/staff/login")
    finally:
        with app.app_context():
            db.engine.dispose()
    assert ("Strict-Transport-Security" in response.headers) is secure
    if secure:
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
