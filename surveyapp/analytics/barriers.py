"""Each respondent's own ADKAR barrier point, so a group's distribution of barriers can be
shown beside the barrier of its mean profile (which hides the people held back earlier)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from surveyapp.analytics.frames import ADKAR_ORDER, ScaleSpec
from surveyapp.analytics.scoring import (
    BARRIER_THRESHOLD,
    BARRIER_TOLERANCE,
    READINESS_MIN_ELEMENTS,
    adkar_scales,
)

NO_BARRIER = "none"
BARRIER_CATEGORIES = (*ADKAR_ORDER, NO_BARRIER)
BARRIER_COLUMN = "barrier={}"  # one-hot column of a category, whose group mean is its share


def barrier_distribution(
    means: Mapping[str, float], answered: Mapping[str, int], min_size: int
) -> dict[str, float | None] | None:
    """A group's shares of respondents per own barrier point (BARRIER_CATEGORIES), from the
    group means of the one-hot BARRIER_COLUMN columns; None when fewer than `min_size` of its
    members are counted (the release rule: a figure needs k answers)."""
    first = BARRIER_COLUMN.format(BARRIER_CATEGORIES[0])
    if answered.get(first, 0) < min_size:
        return None
    return {
        category: round(float(means.get(BARRIER_COLUMN.format(category), 0.0)), 4)
        for category in BARRIER_CATEGORIES
    }


def individual_barriers(scores: pd.DataFrame, scales: list[ScaleSpec]) -> pd.Series:
    """The barrier point of every respondent: the first ADKAR element, in order, whose own score
    is at or below 3.0 (Prosci's rule, as for groups), or "none".

    Elements the respondent has no score on are skipped, as in `scoring.barrier_point`; a
    respondent is counted only with at least READINESS_MIN_ELEMENTS (4) of the five elements
    scored, the rule of the readiness index, else NaN.
    """
    tagged = adkar_scales(scales)
    columns = [tagged[element].key for element in tagged if tagged[element].key in scores]
    elements = [element for element in tagged if tagged[element].key in scores]
    if not columns:
        return pd.Series(np.nan, index=scores.index, dtype=object)
    values = scores[columns].to_numpy(dtype="float64")
    at_or_below = values <= BARRIER_THRESHOLD + BARRIER_TOLERANCE  # NaN compares False
    first = np.asarray(elements, dtype=object)[at_or_below.argmax(axis=1)]
    labels = np.where(at_or_below.any(axis=1), first, NO_BARRIER)
    counted = np.isfinite(values).sum(axis=1) >= min(READINESS_MIN_ELEMENTS, len(columns))
    return pd.Series(np.where(counted, labels, None), index=scores.index, dtype=object)
