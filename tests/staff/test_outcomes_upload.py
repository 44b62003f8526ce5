"""The admin upload of outcome metrics: the same import as the command, all rows or none."""

from __future__ import annotations

import io
import re

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.outcome_samples import BAD, BAD_ROWS, GOOD, make_units, stored
from tests.plugins.staff import csrf_token


@pytest.fixture
def units(app):
    make_units(app)


def upload(client, text: str, name: str = "outcomes.csv"):
    """Send `text` as the upload form's file, as a browser does."""
    data: dict = {
        "file": FileStorage(io.BytesIO(text.encode()), name, content_type="text/csv"),
        "csrf_token": csrf_token(client, "/staff/admin/outcomes"),
    }
    boundary, body = encode_multipart(data)
    return client.post(
        "/staff/admin/outcomes",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_the_upload_names_every_bad_row_and_imports_nothing(app, units, login_as):
    admin = login_as("admin")
    page = upload(admin, BAD)
    assert page.status_code == 422
    html = page.get_data(as_text=True).replace("&#39;", "'")
    assert "6 problems in outcomes.csv: nothing was imported" in html
    assert re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", html) == BAD_ROWS
    assert stored(app) == []


def test_the_upload_imports_a_good_file(app, units, login_as):
    admin = login_as("admin")
    page = upload(admin, GOOD)
    assert page.status_code == 302
    shown = admin.get("/staff/admin/outcomes").get_data(as_text=True)
    assert "Outcome values imported from outcomes.csv: 3 created" in shown
    assert "Hours saved, Weekly active users" in shown
    assert len(stored(app)) == 3


def test_only_admins_reach_the_upload(app, units, login_as):
    assert login_as("change_manager", units=["OPS"]).get("/staff/admin/outcomes").status_code == 404
