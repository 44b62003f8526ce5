"""The formula neutraliser and the learning-track rule, on their own."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from surveyapp.exports.cells import neutralise, neutralise_cells
from surveyapp.exports.tracks import (
    DIMENSIONS,
    LEARNING_TRACKS,
    suggest_track,
    suggest_tracks,
    weakest_dimension,
)


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","click")', "+SUM(1,1)", "-2+3", "@cmd", "\tx", "\rx", "\nx", "#N/A"],
)
def test_a_cell_a_spreadsheet_would_evaluate_gets_a_quote(text):
    assert neutralise(text) == f"'{text}"


@pytest.mark.parametrize("text", ["Branches north", "", "a=b", "2-3", "'=already quoted", "#1"])
def test_plain_text_is_left_alone(text):
    assert neutralise(text) == text


def test_the_track_follows_the_level_then_the_weakest_dimension():
    scores = {"understanding": 3.5, "use": 2.0, "evaluation": 4.0, "ethics": 2.0}
    assert suggest_track("foundational", scores) == "ai-foundations"
    assert suggest_track("advanced", scores) == "ai-champion"
    assert suggest_track("developing", scores) == "hands-on-ai"  # a tie goes to the first
    assert suggest_track("proficient", {"evaluation": 1.5, "use": math.nan}) == (
        "checking-ai-output"
    )
    assert suggest_track(None, scores) is None
    assert weakest_dimension({"use": None}) is None
    assert {suggest_track(level, scores) for level in ("foundational", "advanced")} <= set(
        LEARNING_TRACKS
    )


def test_the_column_wise_rule_gives_the_same_tracks():
    rng = np.random.default_rng(7)
    scores = pd.DataFrame(rng.choice([1.0, 2.5, 4.0, np.nan], size=(400, 4)), columns=DIMENSIONS)
    levels = pd.Series(
        rng.choice(["foundational", "developing", "proficient", "advanced", None], 400),
        dtype=object,
    )
    expected = [
        suggest_track(level, dict(row))
        for level, (_, row) in zip(levels, scores.iterrows(), strict=True)
    ]
    assert list(suggest_tracks(levels, scores)) == expected


def test_neutralise_cells_touches_only_risky_text():
    row = ["=1+1", 1.5, None, "plain", -2, "#N/A", ""]
    assert neutralise_cells(row) == ["'=1+1", 1.5, None, "plain", -2, "'#N/A", ""]
