"""Change between two waves of a campaign: mean differences with Welch confidence intervals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from surveyapp.analytics.aggregation import GroupMoments
from surveyapp.analytics.fdr import TwoSamples, benjamini_hochberg, hedges_g, welch_test
from surveyapp.analytics.suppression import ORGANISATION, UNIT, GroupPlan

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

    change = mean2 - mean1, with a Welch confidence interval [ci_low, ci_high] (unadjusted, for
    the method section), Welch's two-sided `p_value` and Hedges' g with its 95% interval.
    `significant` when Benjamini-Hochberg rejects it at 5% across every change compared (one
    family), so at most 5% of the flagged changes are expected to be false. n1, n2 count the
    respondents with a score.
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
    p_value: float = float("nan")
    g: float = float("nan")
    g_low: float = float("nan")
    g_high: float = float("nan")


def welch_bounds(
    samples: TwoSamples, confidence: float = CONFIDENCE
) -> tuple[np.ndarray, np.ndarray]:
    """Welch confidence interval of mean2 - mean1 for independent samples, elementwise.

    se and the Welch-Satterthwaite df from `fdr.welch_test`; interval = change -/+ t(df) * se
    with t the (1+confidence)/2 quantile of Student's t (scipy.stats.t). NaN where a wave has
    fewer than 2 values; zero width where neither wave varies.
    """
    se, dof, _ = welch_test(samples)
    half = stats.t.ppf((1 + confidence) / 2, dof) * se
    change = samples.mean2 - samples.mean1
    return change - half, change + half


def welch_interval(samples: TwoSamples, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Welch confidence interval of one change mean2 - mean1 (see `welch_bounds`)."""
    low, high = welch_bounds(samples, confidence)
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
    samples = TwoSamples.of(m1, v1, n1, m2, v2, n2)
    low, high = welch_bounds(samples)
    p_values = welch_test(samples)[2]
    effect, effect_low, effect_high = hedges_g(samples)
    compared = (n1 > 0) & (n2 > 0)
    significant = np.zeros(compared.shape, dtype=bool)
    significant[compared] = benjamini_hochberg(p_values[compared])
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
            significant=bool(significant[g, j]),
            p_value=float(p_values[g, j]),
            g=float(effect[g, j]),
            g_low=float(effect_low[g, j]),
            g_high=float(effect_high[g, j]),
        )
        for g, (kind, key) in enumerate(groups)
        for j, column in enumerate(columns)
        if compared[g, j]
    ]
