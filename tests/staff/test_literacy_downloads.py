"""HR's literacy downloads from the staff home, read back with the libraries a user would."""

from __future__ import annotations

import codecs

import pandas as pd
import pyreadstat

from tests.plugins.exports import store_small_wave


def test_hr_downloads_per_person_files_from_the_staff_home(survey_layout, login_as, tmp_path):
    store_small_wave(survey_layout, "conf-1", "confidential")
    hr = login_as("hr")
    home = hr.get("/staff/").get_data(as_text=True)
    links = {
        fmt: f"/staff/campaigns/conf-1/exports/literacy.{fmt}?per_person=1"
        for fmt in ("csv", "xlsx", "sav")
    }
    for link in links.values():
        assert f'href="{link}"' in home
    consenting = 0
    for fmt, link in links.items():
        with hr.get(link) as answer:
            assert answer.status_code == 200
            assert "attachment" in answer.headers["Content-Disposition"]
            path = tmp_path / f"people.{fmt}"
            path.write_bytes(answer.get_data())
        if fmt == "csv":
            frame = pd.read_csv(path, dtype={"employee_id": str})
        elif fmt == "xlsx":
            frame = pd.read_excel(path, sheet_name="literacy", dtype={"employee_id": str})
        else:
            frame, _ = pyreadstat.read_sav(path)
        consenting = consenting or len(frame)
        assert len(frame) == consenting > 0
        assert all(int(employee[1:]) % 2 == 0 for employee in frame["employee_id"])


def test_the_staff_home_offers_a_csv_that_excel_reads_with_its_accents(survey_layout, login_as):
    store_small_wave(survey_layout, "conf-1", "confidential")
    hr = login_as("hr")
    home = hr.get("/staff/").get_data(as_text=True)
    link = "/staff/campaigns/conf-1/exports/literacy.csv?bom=1"
    assert f'href="{link}">CSV for Excel</a>' in home
    with hr.get(link) as answer:
        assert answer.status_code == 200
        assert answer.get_data().startswith(codecs.BOM_UTF8)
