"""Per-person literacy: confidential campaigns only, consenting people only, audited."""

from __future__ import annotations

import math

import pandas as pd
import pyreadstat
import sqlalchemy as sa

from surveyapp.analytics.scoring import respondent_scores
from surveyapp.exports.tracks import suggest_track
from surveyapp.extensions import db
from surveyapp.models import AuditEvent
from surveyapp.services.datasets import load_campaign_data
from tests.plugins.exports import store_small_wave

DIMENSIONS = ("understanding", "use", "evaluation", "ethics")
RETAIL = {"BR-NORTH", "BR-SOUTH", "CONTACT", "SMALLBIZ", "PRIVATE"}


def audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def test_per_person_of_an_anonymous_campaign_is_refused(anonymous_wave, run, tmp_path):
    out = tmp_path / "people.csv"
    result = run(
        "export", "literacy", "anon-1", "--format", "csv", "--out", str(out), "--per-person"
    )
    assert result.exit_code == 1
    assert "campaign anon-1 is anonymous: per-person results do not exist" in result.stderr
    assert list(tmp_path.iterdir()) == [] and audit_count() == 0


def consenting_scores(campaign) -> pd.DataFrame:
    """Scores of the people who consented, computed straight from the stored answers."""
    data = load_campaign_data(db.session, campaign)
    scores = respondent_scores(data).join(data.respondents)
    agreed = scores[scores["consent"].astype(bool)]
    return agreed.set_index("employee_id").sort_index()


def test_per_person_lists_only_people_who_consented(survey_layout, run, tmp_path):
    campaign = store_small_wave(survey_layout, "conf-1", mode="confidential")
    expected = consenting_scores(campaign)
    assert set(expected.index) == {f"E{n:04d}" for n in range(338) if n % 2 == 0 and n % 3 != 2}
    out = tmp_path / "people.csv"
    result = run(
        "export", "literacy", "conf-1", "--format", "csv", "--out", str(out), "--per-person"
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, dtype={"employee_id": str}).set_index("employee_id")
    assert list(frame.index) == list(expected.index)
    for dim in DIMENSIONS:
        pd.testing.assert_series_equal(
            frame[f"score_{dim}"],
            expected[f"ai-literacy.{dim}"].round(4),
            check_names=False,
        )
    pd.testing.assert_series_equal(
        frame["literacy_index"], expected["literacy_index"].round(4), check_names=False
    )
    assert list(frame["literacy_level"].fillna("")) == [
        "" if pd.isna(level) else level for level in expected["literacy_level"]
    ]
    assert set(frame["job_level"]) <= {"frontline", "manager", "senior_leader"}
    first = frame.iloc[0]
    track = suggest_track(first["literacy_level"], {d: first[f"score_{d}"] for d in DIMENSIONS})
    assert first["learning_track"] == track
    event = db.session.scalars(sa.select(AuditEvent)).one()
    assert event.row_count == len(frame) and event.detail["per_person"] is True


def test_per_person_sav_codes_the_literacy_level(survey_layout, run, tmp_path):
    campaign = store_small_wave(survey_layout, "conf-1", mode="confidential")
    expected = consenting_scores(campaign)
    out = tmp_path / "people.sav"
    result = run(
        "export",
        "literacy",
        "conf-1",
        "--format",
        "sav",
        "--out",
        str(out),
        "--per-person",
        "--unit",
        "RETAIL",
    )
    assert result.exit_code == 0, result.output
    frame, meta = pyreadstat.read_sav(str(out))
    assert meta.variable_value_labels["literacy_level"] == {
        1.0: "foundational",
        2.0: "developing",
        3.0: "proficient",
        4.0: "advanced",
    }
    assert meta.variable_measure["literacy_level"] == "ordinal"
    retail = expected[expected["unit"].isin(RETAIL)]
    assert list(frame["employee_id"]) == list(retail.index)
    codes = {"foundational": 1, "developing": 2, "proficient": 3, "advanced": 4}
    for code, level in zip(frame["literacy_level"], retail["literacy_level"], strict=True):
        assert (math.isnan(code) and pd.isna(level)) or codes[level] == code
    assert audit_count() == 1
