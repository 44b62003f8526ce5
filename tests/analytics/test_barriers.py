"""Each respondent's own ADKAR barrier point, and each group's distribution of them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveyapp.analytics import scoring
from surveyapp.analytics.barriers import (
    BARRIER_CATEGORIES,
    barrier_distribution,
    individual_barriers,
)
from surveyapp.analytics.frames import ADKAR_ORDER, ScaleSpec
from surveyapp.analytics.report import analyze
from surveyapp.demo import synthetic as demo
from surveyapp.services.analysis import library_from
from tests.harness import REPO_DIR

NAN = np.nan
SCALES = [
    ScaleSpec(f"adkar.{element}", "adkar", element, (f"adkar.{element}1",), 5, adkar=element)
    for element in ADKAR_ORDER
]


def test_individual_barriers_by_hand() -> None:
    scores = pd.DataFrame(
        [
            [2.5, 4.0, 4.0, 4.0, 4.0],  # awareness at 2.5
            [4.0, 3.0, 2.0, 4.0, 4.0],  # desire at exactly 3.0 comes before knowledge
            [4.0, 4.0, 4.0, 4.0, 3.25],  # nothing at or below 3: none
            [NAN, 2.0, 4.0, 4.0, 4.0],  # awareness missing is skipped: desire (4 scored)
            [NAN, NAN, 1.0, 4.0, 4.0],  # only 3 of 5 scored: not counted
        ],
        columns=[s.key for s in SCALES],
        index=list("abcde"),
    )
    own = individual_barriers(scores, SCALES)
    assert own.tolist() == ["awareness", "desire", "none", "desire", None]


def test_group_distribution_needs_k_counted() -> None:
    # the four counted members above: awareness 1, desire 2, none 1
    means = {"barrier=awareness": 0.25, "barrier=desire": 0.5, "barrier=none": 0.25}
    answered = {f"barrier={c}": 4 for c in BARRIER_CATEGORIES}
    assert barrier_distribution(means, answered, 4) == {
        "awareness": 0.25,
        "desire": 0.5,
        "knowledge": 0.0,
        "ability": 0.0,
        "reinforcement": 0.0,
        "none": 0.25,
    }
    assert barrier_distribution(means, answered, 5) is None


def test_analysis_shows_each_groups_barrier_distribution(survey_layout) -> None:
    units = demo.scaled_units(demo.DEMO_UNITS, 600)
    wave = demo.synthesize(survey_layout, units, seed=3)
    parents = {plan.code: plan.parent for plan in demo.DEMO_UNITS}
    data = demo.to_campaign_data(wave, survey_layout, parents, "wave")
    document = analyze(data, library_from(REPO_DIR / "instruments"), seed=0)
    own = individual_barriers(scoring.respondent_scores(data), data.scales)
    organisation = document["groups"][0]
    expected = own.dropna().value_counts(normalize=True)
    distribution = organisation["barrier_distribution"]
    assert list(distribution) == list(BARRIER_CATEGORIES)
    for category, share in distribution.items():
        assert share == pytest.approx(expected.get(category, 0.0), abs=1e-4)
    assert sum(distribution.values()) == pytest.approx(1.0, abs=1e-3)
    for group in document["groups"]:
        if group["suppressed"]:
            assert "barrier_distribution" not in group
            continue
        mask = _member_mask(data.respondents, group)
        if mask is None:
            continue
        counted = own.reindex(data.respondents.index)[mask].notna().sum()
        if counted < data.min_group_size:
            assert group["barrier_distribution"] is None
        else:
            assert group["barrier_distribution"] is not None


def _member_mask(respondents: pd.DataFrame, group: dict) -> np.ndarray | None:
    """The members of an organisation, function, level or function+level group (else None:
    units roll up their sub-units)."""
    if group["kind"] == "organisation":
        return np.ones(len(respondents), dtype=bool)
    if group["kind"] in ("function", "level"):
        return (respondents[group["kind"]] == group["key"]).to_numpy()
    if group["kind"] == "function+level":
        function, level = group["key"].split("/")
        return ((respondents["function"] == function) & (respondents["level"] == level)).to_numpy()
    return None
