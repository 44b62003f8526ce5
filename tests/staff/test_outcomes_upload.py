"""The admin upload of outcome metrics: the same import as the command, all rows or none."""

from __future__ import annotations

import io
import re

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.outcome_samples import BAD, BAD_ROWS, GOOD, HEADER, make_units, stored
from tests.plugins.staff import csrf_token
from tests.staff.test_spanish_staff_words import in_spanish

ROWS = re.compile(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>")


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
    assert ROWS.findall(html) == BAD_ROWS
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


def test_a_spanish_admin_reads_the_bad_rows_in_spanish_and_the_command_stays_english(
    app, run, units, login_as, tmp_path
):
    admin = login_as("admin", email="admin@example.org")
    with app.app_context():
        in_spanish("admin@example.org")
    html = upload(admin, BAD).get_data(as_text=True).replace("&#39;", "'")
    assert [reason for _, reason in ROWS.findall(html)] == [
        "unidad desconocida 'NOPE'",
        "'Weekly Users' no es un nombre de métrica (minúsculas, cifras, . _ -)",
        "'2026-02-30' no es una fecha (AAAA-MM-DD)",
        "el periodo termina antes de empezar",
        "'lots' no es un número (use punto para los decimales)",
        "la misma unidad, métrica y periodo que la fila 2",
    ]
    header = upload(admin, HEADER.replace("value", "value,employee_id")).get_data(as_text=True)
    assert "columna desconocida &#39;employee_id&#39;; se esperaban unit, metric" in header

    path = tmp_path / "outcomes.csv"
    path.write_text(BAD)
    printed = run("outcomes", "import", str(path)).output
    assert [f"{path}: {where}: {reason}" in printed for where, reason in BAD_ROWS] == [True] * 6
