"""Agreement and aggregation beyond the uniform null: r_wg(j) against a slightly skewed null,
the average deviation AD_M, and ICC(1)/ICC(2) per scale to justify comparing unit means."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveyapp.analytics.psychometrics import icc_from_moments

# The "slight skew" null of LeBreton & Senter (2008, after Kozlowski & Hults 1987) for a
# 5-point scale: answers 1..5 in proportions .05 .15 .20 .35 .25 (mean 3.6, variance 1.34),
# the mild leniency of most attitude surveys. Other scale lengths have no documented null here.
SLIGHT_SKEW = {5: (0.05, 0.15, 0.20, 0.35, 0.25)}
AD_DIVISOR = 6  # Burke & Dunlap (2002): AD_M <= A / 6 (0.83 on 1-5) reads as agreement
MIN_ICC2 = 0.70  # ICC(2) >= .70: unit means reliable enough to compare (Klein et al. 2000)


@dataclass(frozen=True)
class ScaleAggregation:
    """ICC(1) and ICC(2) of one scale over the units with at least k scored respondents.

    `justified` when ICC(2) >= MIN_ICC2 and ICC(1) > 0: units differ and their means are
    reliable enough for unit-level reporting; `units` counts the units used.
    """

    scale: str
    units: int
    icc1: float
    icc2: float
    justified: bool


def distribution_variance(proportions: Sequence[float]) -> float:
    """Variance of an answer on 1..A drawn with these proportions."""
    p = np.asarray(proportions, dtype="float64")
    values = np.arange(1, len(p) + 1)
    mean = float((p * values).sum())
    return float((p * values**2).sum() - mean**2)


def skewed_null_variance(points: int) -> float:
    """Variance of the slightly skewed null for `points` options (1.34 on 5); NaN if undefined."""
    proportions = SLIGHT_SKEW.get(points)
    return float("nan") if proportions is None else distribution_variance(proportions)


def average_deviation(items: np.ndarray) -> float:
    """AD_M(j) (Burke, Finkelstein & Dusig 1999): per item the mean absolute deviation of the
    answers from their mean, averaged over the items; NaN values are skipped."""
    values = np.asarray(items, dtype="float64")
    if values.ndim != 2 or not np.isfinite(values).any():
        return float("nan")
    answered = np.isfinite(values).sum(axis=0)
    usable = answered > 0
    centre = np.nanmean(values[:, usable], axis=0)
    return float(np.nanmean(np.abs(values[:, usable] - centre), axis=0).mean())


def ad_threshold(points: int) -> float:
    """The AD_M at or below which a group agrees: A / 6."""
    return points / AD_DIVISOR


def unit_aggregation(
    scores: pd.DataFrame, units: pd.Series, columns: Sequence[str], min_size: int
) -> list[ScaleAggregation]:
    """ICC(1)/ICC(2) per scale across respondents' own units (one-way ANOVA, Bliese 2000).

    Only units with at least `min_size` respondents scored on the scale take part, so no unit
    below the reporting threshold contributes a group mean. Fewer than 2 such units: NaN.
    Group moments come from one pass over the scores (`icc_from_moments`).
    """
    codes, _ = pd.factorize(units.reindex(scores.index))
    values = scores.reindex(columns=list(columns)).to_numpy(dtype="float64")
    valid = np.isfinite(values) & (codes >= 0)[:, None]
    groups = int(codes.max()) + 1 if len(codes) else 0
    found = []
    for j, column in enumerate(columns):
        rows = valid[:, j]
        x, g = values[rows, j], codes[rows]
        n = np.bincount(g, minlength=groups).astype("float64")
        total = np.bincount(g, weights=x, minlength=groups)
        squares = np.bincount(g, weights=x * x, minlength=groups)
        mean = np.divide(total, n, out=np.zeros(groups), where=n > 0)
        variance = np.divide(squares - n * mean**2, n - 1, out=np.zeros(groups), where=n > 1).clip(
            min=0.0
        )
        n = np.where(n >= min_size, n, 0.0)
        icc1, icc2 = icc_from_moments(n, mean, variance)
        found.append(
            ScaleAggregation(
                scale=column,
                units=int((n > 0).sum()),
                icc1=icc1,
                icc2=icc2,
                justified=bool(icc2 >= MIN_ICC2 and icc1 > 0),
            )
        )
    return found
