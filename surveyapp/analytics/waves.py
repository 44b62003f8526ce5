"""Change between two waves of a campaign: mean differences with Welch confidence intervals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from surveyapp.analytics.suppression import ORGANISATION, UNIT, GroupMoments, GroupPlan

CONFIDENCE = 0.95


@dataclass(frozen=True, eq=False)
class Wave:
    """One wave as the comparison reads it: per-respondent scores, respondents, group plan."""

    scores: pd.DataFrame
    respondents: pd.DataFrame
    plans: Sequence[GroupPlan]


@dataclass(frozen=True)
class ScaleChange:
    """Change of one score's mean in one group from the first wave to the second.

    change = mean2 - mean1, with a Welch confidence interval [ci_low, ci_high]; `significant`
    when the interval excludes 0. n1, n2 count the respondents with a score.
    """

    kind: str
    key: str
    scale: str
    n1: int
    n2: int
    mean1: float
    mean2: float
    change: float
    ci_low: float
    ci_high: float
    significant: bool


def welch_bounds(
    mean1: np.ndarray,
    var1: np.ndarray,
    n1: np.ndarray,
    mean2: np.ndarray,
    var2: np.ndarray,
    n2: np.ndarray,
    confidence: float = CONFIDENCE,
) -> tuple[np.ndarray, np.ndarray]:
    """Welch confidence interval of mean2 - mean1 for independent samples, elementwise.

    se = sqrt(var1/n1 + var2/n2) (sample variances); Welch-Satterthwaite
    df = se^4 / ((var1/n1)^2/(n1-1) + (var2/n2)^2/(n2-1)); interval = change -/+ t(df) * se
    with t the (1+confidence)/2 quantile of Student's t (scipy.stats.t). NaN where a wave has
    fewer than 2 values; zero width where neither wave varies.
    """
    arrays = np.broadcast_arrays(
        *(np.asarray(a, dtype="float64") for a in (mean1, var1, n1, mean2, var2, n2))
    )
    m1, v1, k1, m2, v2, k2 = arrays
    usable = (k1 >= 2) & (k2 >= 2)
    a = np.divide(v1, k1, out=np.zeros(k1.shape), where=usable)
    b = np.divide(v2, k2, out=np.zeros(k2.shape), where=usable)
    se2 = a + b
    spread = np.divide(a * a, k1 - 1, out=np.zeros(k1.shape), where=usable) + np.divide(
        b * b, k2 - 1, out=np.zeros(k2.shape), where=usable
    )
    varies = usable & (se2 > 0)
    dof = np.divide(se2 * se2, spread, out=np.ones(se2.shape), where=varies)
    half = np.where(varies, stats.t.ppf((1 + confidence) / 2, dof) * np.sqrt(se2), 0.0)
    change = m2 - m1
    low = np.where(usable, change - half, np.nan)
    high = np.where(usable, change + half, np.nan)
    return low, high


def welch_interval(
    mean1: float,
    var1: float,
    n1: int,
    mean2: float,
    var2: float,
    n2: int,
    confidence: float = CONFIDENCE,
) -> tuple[float, float]:
    """Welch confidence interval of one change mean2 - mean1 (see `welch_bounds`)."""
    low, high = welch_bounds(mean1, var1, n1, mean2, var2, n2, confidence)
    return float(low), float(high)


def _shown(plans: Sequence[GroupPlan]) -> dict[tuple[str, str], GroupPlan]:
    return {
        (p.kind, p.key): p for p in plans if p.kind in (ORGANISATION, UNIT) and not p.suppressed
    }


def compare_waves(
    first: Wave, second: Wave, columns: Sequence[str] | None = None
) -> list[ScaleChange]:
    """Change in every score from `first` to `second`, overall and per unit.

    `columns` defaults to the numeric score columns present in both waves. A group is compared
    only where it is shown in both waves' suppression plans (the organisation, and units by
    code, each rolled up by its own wave's tree). Respondents of the two waves are treated as
    independent samples (anonymous waves cannot be paired), hence Welch's interval.
    """
    if columns is None:
        shared = set(second.scores.columns)
        columns = [c for c in first.scores.select_dtypes("number").columns if c in shared]
    moments = [
        GroupMoments(wave.scores.reindex(columns=list(columns)), wave.respondents, wave.plans)
        for wave in (first, second)
    ]
    before, after = _shown(first.plans), _shown(second.plans)
    groups = [key for key in before if key in after]
    if not groups:
        return []
    n1, m1, v1 = (
        np.array(a) for a in zip(*(moments[0].of(before[g]) for g in groups), strict=True)
    )
    n2, m2, v2 = (np.array(a) for a in zip(*(moments[1].of(after[g]) for g in groups), strict=True))
    low, high = welch_bounds(m1, v1, n1, m2, v2, n2)
    return [
        ScaleChange(
            kind=kind,
            key=key,
            scale=column,
            n1=int(n1[g, j]),
            n2=int(n2[g, j]),
            mean1=float(m1[g, j]),
            mean2=float(m2[g, j]),
            change=float(m2[g, j] - m1[g, j]),
            ci_low=float(low[g, j]),
            ci_high=float(high[g, j]),
            significant=bool(low[g, j] > 0 or high[g, j] < 0),
        )
        for g, (kind, key) in enumerate(groups)
        for j, column in enumerate(columns)
        if n1[g, j] > 0 and n2[g, j] > 0
    ]
