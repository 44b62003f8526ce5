"""Alignment: gaps between functions, agreement within units, leaders versus frontline."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from surveyapp.analytics.aggregation import GroupMoments
from surveyapp.analytics.agreement import average_deviation, skewed_null_variance
from surveyapp.analytics.fdr import (
    TwoSamples,
    anova_p,
    benjamini_hochberg,
    hedges_g,
    welch_test,
)
from surveyapp.analytics.frames import ScaleSpec
from surveyapp.analytics.psychometrics import AGREEMENT_THRESHOLD, rwg_j_rows
from surveyapp.analytics.scoring import READINESS_INDEX
from surveyapp.analytics.suppression import (
    FUNCTION,
    KEY_SEPARATOR,
    LEVEL,
    ORGANISATION,
    UNIT,
    UNIT_FUNCTION,
    UNIT_LEVEL,
    GroupPlan,
)

# Cohen (1988): d = 0.5 is a medium effect, large enough to be a finding between groups.
FUNCTION_GAP_D = 0.5
PERCEPTION_GAP_D = 0.5
LEADER_LEVELS = ("manager", "senior_leader")
FRONTLINE_LEVEL = "frontline"


@dataclass(frozen=True)
class FunctionGap:
    """How far apart the reportable functions are on one construct (organisation or one unit).

    `spread` is max - min of the function means; `d` is Cohen's d between the highest and
    the lowest function, `g` and `g_low`..`g_high` Hedges' g of that pair with its 95%
    interval; `p_value` the one-way ANOVA across all the shown functions. `flagged` when
    d >= FUNCTION_GAP_D and Benjamini-Hochberg rejects at 5% among the group's constructs.
    """

    construct: str
    unit: str | None
    means: Mapping[str, float]
    high: str
    low: str
    spread: float
    d: float
    flagged: bool
    p_value: float = float("nan")
    g: float = float("nan")
    g_low: float = float("nan")
    g_high: float = float("nan")


@dataclass(frozen=True)
class UnitAgreement:
    """Within-unit agreement on one scale; `agrees` when rwg >= AGREEMENT_THRESHOLD.

    `rwg` is r_wg(j) against the uniform null, `rwg_skewed` against the slightly skewed one
    (stricter; NaN where none is documented), `ad_m` the average deviation AD_M(j).
    """

    unit: str
    scale: str
    n: int
    rwg: float
    agrees: bool
    rwg_skewed: float = float("nan")
    ad_m: float = float("nan")


@dataclass(frozen=True)
class PerceptionGap:
    """Leaders (manager + senior_leader) versus frontline on a score, in one group.

    When not `reportable`, `reason` says why and every number is None.
    difference = leader mean - frontline mean; `p_value` Welch's test; `flagged` when
    |d| >= PERCEPTION_GAP_D and Benjamini-Hochberg rejects at 5% among all the groups compared.
    """

    kind: str
    key: str
    reportable: bool
    reason: str | None = None
    n_leaders: int | None = None
    n_frontline: int | None = None
    leader_mean: float | None = None
    frontline_mean: float | None = None
    difference: float | None = None
    d: float | None = None
    flagged: bool = False
    p_value: float | None = None


def cohens_d(mean_a: float, var_a: float, n_a: int, mean_b: float, var_b: float, n_b: int) -> float:
    """Cohen's d = (mean_a - mean_b) / pooled SD.

    pooled SD = sqrt(((n_a - 1) var_a + (n_b - 1) var_b) / (n_a + n_b - 2)), sample variances;
    a group of one contributes no variance. NaN when the pooled SD is 0 or undefined.
    """
    dof = n_a + n_b - 2
    spread = (n_a - 1) * (var_a if n_a > 1 else 0.0) + (n_b - 1) * (var_b if n_b > 1 else 0.0)
    if dof <= 0 or not spread > 0:
        return float("nan")
    return float((mean_a - mean_b) / math.sqrt(spread / dof))


def function_gaps(
    scores: pd.DataFrame,
    respondents: pd.DataFrame,
    plans: Sequence[GroupPlan],
    columns: Sequence[str],
    unit: str | None = None,
) -> list[FunctionGap]:
    """The gap between functions on each construct in `columns`.

    Only functions whose group is shown take part (the `function` groups, or the `unit+function`
    groups of `unit` when one is given); a construct needs two of them with scores. The most
    distant pair is the highest and lowest mean; d >= FUNCTION_GAP_D (0.5) is a finding when the
    ANOVA across the functions also survives Benjamini-Hochberg at 5% among these constructs.
    """
    kind = FUNCTION if unit is None else UNIT_FUNCTION
    shown = [p for p in plans if p.kind == kind and not p.suppressed and p.unit == unit]
    moments = GroupMoments(scores.reindex(columns=list(columns)), respondents, plans)
    stats = {plan.function: moments.of(plan) for plan in shown}
    gaps = []
    for j, construct in enumerate(moments.columns):
        means = {fn: float(s[1][j]) for fn, s in stats.items() if s[0][j] > 0}
        if len(means) < 2:
            continue
        ranked = sorted(means, key=lambda fn: (means[fn], fn))
        low, high = ranked[0], ranked[-1]
        (n_hi, m_hi, v_hi), (n_lo, m_lo, v_lo) = stats[high], stats[low]
        d = cohens_d(m_hi[j], v_hi[j], int(n_hi[j]), m_lo[j], v_lo[j], int(n_lo[j]))
        g, g_low, g_high = hedges_g(
            TwoSamples.of(m_lo[j], v_lo[j], n_lo[j], m_hi[j], v_hi[j], n_hi[j])
        )
        counts, centres, spreads = (np.array([s[i][j] for s in stats.values()]) for i in range(3))
        gaps.append(
            FunctionGap(
                construct=construct,
                unit=unit,
                means=means,
                high=high,
                low=low,
                spread=means[high] - means[low],
                d=d,
                flagged=bool(d >= FUNCTION_GAP_D),
                p_value=anova_p(counts, centres, spreads),
                g=float(g),
                g_low=float(g_low),
                g_high=float(g_high),
            )
        )
    discovered = benjamini_hochberg(np.array([gap.p_value for gap in gaps]))
    return [
        replace(gap, flagged=gap.flagged and bool(found))
        for gap, found in zip(gaps, discovered, strict=True)
    ]


def unit_agreement(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    plans: Sequence[GroupPlan],
    scales: Sequence[ScaleSpec],
) -> list[UnitAgreement]:
    """r_wg(j) of every shown unit (rolled up) on every scale, from its members' item variances.

    Uses `psychometrics.rwg_j_rows` (James, Demaree & Wolf 1984); a unit `agrees`
    on a scale when rwg >= AGREEMENT_THRESHOLD (0.70) against the uniform null. Beside it,
    r_wg(j) against the slightly skewed null and AD_M(j) over the unit's members' answers.
    """
    items = list(dict.fromkeys(item for scale in scales for item in scale.items))
    moments = GroupMoments(answers.reindex(columns=items), respondents, plans)
    position = {item: j for j, item in enumerate(items)}
    units = [plan for plan in plans if plan.kind == UNIT and not plan.suppressed]
    if not units:
        return []
    variances = np.array([moments.of(plan)[2] for plan in units])
    columns = {scale.key: [position[i] for i in scale.items] for scale in scales}
    uniform = {
        scale.key: rwg_j_rows(variances[:, columns[scale.key]], scale.points) for scale in scales
    }
    skewed = {
        scale.key: rwg_j_rows(
            variances[:, columns[scale.key]], scale.points, skewed_null_variance(scale.points)
        )
        for scale in scales
    }
    matrix = answers.reindex(columns=items).to_numpy(dtype="float64")
    own_unit = respondents["unit"].reindex(answers.index).to_numpy()
    results = []
    for u, plan in enumerate(units):
        block = matrix[np.isin(own_unit, list(plan.units or ()))]
        for scale in scales:
            rwg = float(uniform[scale.key][u])
            results.append(
                UnitAgreement(
                    unit=plan.key,
                    scale=scale.key,
                    n=plan.n,
                    rwg=rwg,
                    agrees=bool(rwg >= AGREEMENT_THRESHOLD),
                    rwg_skewed=float(skewed[scale.key][u]),
                    ad_m=average_deviation(block[:, columns[scale.key]]),
                )
            )
    return results


def leader_frontline_gaps(
    scores: pd.DataFrame,
    respondents: pd.DataFrame,
    plans: Sequence[GroupPlan],
    min_size: int,
    column: str = READINESS_INDEX,
) -> list[PerceptionGap]:
    """Leaders versus frontline on `column` (default the readiness index, 0-100).

    For the organisation and every shown unit. Reportable only when the frontline group
    (level, or unit+level) is shown and both leaders and frontline have at least `min_size`
    respondents with a score; otherwise "not reportable" with the reason. difference = leader
    mean - frontline mean, d = Cohen's d (pooled SD), flagged when |d| >= PERCEPTION_GAP_D and
    the gap survives Benjamini-Hochberg at 5% across all the groups (one family).
    """
    moments = GroupMoments(scores.reindex(columns=[column]), respondents, plans)
    by_key = {(p.kind, p.key): p for p in plans}
    results = []
    for plan in plans:
        if plan.kind == ORGANISATION:
            frontline_key = (LEVEL, FRONTLINE_LEVEL)
        elif plan.kind == UNIT and not plan.suppressed:
            frontline_key = (UNIT_LEVEL, KEY_SEPARATOR.join((plan.key, FRONTLINE_LEVEL)))
        else:
            continue
        frontline_plan = by_key.get(frontline_key)
        if plan.suppressed or frontline_plan is None or frontline_plan.suppressed:
            reason = f"not reportable: the {'group' if plan.suppressed else 'frontline'} is hidden"
            results.append(PerceptionGap(plan.kind, plan.key, False, reason))
            continue
        n_l, m_l, v_l = (a[0] for a in moments.moments(plan.units, None, LEADER_LEVELS))
        n_f, m_f, v_f = (a[0] for a in moments.moments(plan.units, None, [FRONTLINE_LEVEL]))
        if n_l < min_size or n_f < min_size:
            reason = "not reportable: the leaders or the frontline are hidden"
            results.append(PerceptionGap(plan.kind, plan.key, False, reason))
            continue
        d = cohens_d(m_l, v_l, int(n_l), m_f, v_f, int(n_f))
        p_value = float(welch_test(TwoSamples.of(m_f, v_f, n_f, m_l, v_l, n_l))[2])
        results.append(
            PerceptionGap(
                kind=plan.kind,
                key=plan.key,
                reportable=True,
                n_leaders=int(n_l),
                n_frontline=int(n_f),
                leader_mean=float(m_l),
                frontline_mean=float(m_f),
                difference=float(m_l - m_f),
                d=d,
                flagged=bool(abs(d) >= PERCEPTION_GAP_D),
                p_value=p_value,
            )
        )
    p_values = np.array([np.nan if gap.p_value is None else gap.p_value for gap in results])
    return [
        replace(gap, flagged=gap.flagged and bool(found))
        for gap, found in zip(results, benjamini_hochberg(p_values), strict=True)
    ]
