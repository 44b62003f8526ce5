"""`surveyapp instruments load` is idempotent, all-or-nothing, and never rewrites a version."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Instrument, InstrumentVersion, Item
from tests.harness import TEST_INSTRUMENTS

VALID = TEST_INSTRUMENTS / "valid"
MINI = VALID / "mini-pulse.yaml"


def versions(app) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Instrument.slug, InstrumentVersion.version)
            .join(InstrumentVersion)
            .order_by(Instrument.slug, InstrumentVersion.version)
        )
        return [tuple(row) for row in rows]


def test_loading_creates_the_instrument_with_its_scales_and_items(app, run):
    result = run("instruments", "load", str(VALID))
    assert result.exit_code == 0, result.output
    assert "loaded     mini-pulse version 1" in result.output
    with app.app_context():
        items = db.session.scalars(sa.select(Item).order_by(Item.position)).all()
        assert [item.key for item in items] == [
            "value_1",
            "value_2",
            "aware_1",
            "quiz_1",
            "comment",
        ]
        value_2 = items[1]
        assert value_2.reverse is True
        assert value_2.scale.key == "value" and value_2.scale.cluster is True
        assert value_2.response_scale.points == 5
        assert value_2.text["es"] == "La IA es una pérdida de tiempo."
        assert items[2].scale.adkar == "awareness"
        assert items[3].answer == "a"
        assert items[4].max_length == 500


def test_loading_twice_changes_nothing(app, run):
    run("instruments", "load", str(VALID))
    result = run("instruments", "load", str(VALID))
    assert result.exit_code == 0
    assert "unchanged  mini-pulse version 1" in result.output
    assert versions(app) == [("mini-pulse", 1)]


def test_a_changed_item_under_a_loaded_version_is_refused(app, run, tmp_path: Path):
    run("instruments", "load", str(VALID))
    changed = tmp_path / "mini-pulse.yaml"
    changed.write_text(MINI.read_text().replace("AI helps me in my work.", "AI helps me."))
    result = run("instruments", "load", str(changed))
    assert result.exit_code == 1
    assert f"{changed}:2: version: 'mini-pulse' version 1 is already loaded" in result.stderr
    assert "bump `version`" in result.stderr
    with app.app_context():
        item = db.session.scalar(sa.select(Item).where(Item.key == "value_1"))
        assert item.text["en"] == "AI helps me in my work."


def test_a_bumped_version_loads_beside_the_old_one(app, run, tmp_path: Path):
    run("instruments", "load", str(VALID))
    bumped = tmp_path / "mini-pulse.yaml"
    bumped.write_text(
        MINI.read_text()
        .replace("version: 1", "version: 2")
        .replace("AI helps me in my work.", "AI helps me.")
    )
    result = run("instruments", "load", str(bumped))
    assert result.exit_code == 0, result.output
    assert versions(app) == [("mini-pulse", 1), ("mini-pulse", 2)]


def test_one_bad_file_in_a_folder_loads_none_of_them(app, run, tmp_path: Path):
    shutil.copy(MINI, tmp_path / "mini-pulse.yaml")
    shutil.copy(TEST_INSTRUMENTS / "broken" / "unknown-scale.yaml", tmp_path / "other.yaml")
    (tmp_path / "other.yaml").write_text(
        (tmp_path / "other.yaml").read_text().replace("id: mini-pulse", "id: other-pulse")
    )
    result = run("instruments", "load", str(tmp_path))
    assert result.exit_code == 1
    assert "unknown scale 'valeu'" in result.stderr
    assert versions(app) == []
