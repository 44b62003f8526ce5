"""`surveyapp outcomes import` and the admin upload: per-unit metrics, all rows or none."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.outcome_samples import BAD, BAD_ROWS, GOOD, HEADER, make_units, stored


@pytest.fixture
def units(app):
    make_units(app)


def test_the_command_imports_values_and_replaces_a_period_imported_again(app, run, units, tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text(GOOD)
    result = run("outcomes", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "outcome values: 3 created, 0 updated, 0 unchanged" in result.output
    path.write_text(HEADER + "OPS,weekly_active_users,2026-01-05,2026-01-11,50\n")
    assert "0 created, 1 updated" in run("outcomes", "import", str(path)).output
    assert [value for *_, value in stored(app)] == [120, 50, 44.5]


def test_the_command_names_every_bad_row_and_imports_nothing(app, run, units, tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text(BAD)
    result = run("outcomes", "import", str(path))
    assert result.exit_code == 1
    assert "6 problems, nothing was changed" in result.output
    for where, reason in BAD_ROWS:
        assert f"{path}: {where}: {reason}" in result.output
    assert stored(app) == []


def test_a_file_with_a_person_column_is_refused(app, run, units, tmp_path):
    path = Path(tmp_path / "people.csv")
    path.write_text("unit,metric,period_start,period_end,value,employee_id\n")
    result = run("outcomes", "import", str(path))
    assert result.exit_code == 1
    assert "unknown column 'employee_id'" in result.output
