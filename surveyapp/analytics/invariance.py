"""Measurement invariance of each scale across languages and levels: whether a gap between
two groups' means is a difference in the construct or in how the items work for them.

Per scale and grouping, the multi-group one-factor CFA of `mgcfa` is fitted three times:
configural (same model, everything free), metric (equal loadings) and scalar (equal loadings
and intercepts). A step fails when CFI drops by more than MAX_DELTA_CFI from the step before
(Cheung & Rensvold 2002; Chen 2007) AND the chi-square difference is significant at
DIFFERENCE_ALPHA: with thousands per group the chi-square flags differences too small to
matter, and with 200 per group and the 2 df of a three-item step the CFI drop alone flags
a quarter of invariant scales (calibration in docs/analysis.md). Only scalar invariance
makes mean gaps between the groups comparable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

from surveyapp.analytics import mgcfa
from surveyapp.analytics.frames import CampaignData, ScaleSpec
from surveyapp.analytics.scoring import keyed_items

# grouping -> respondents column: the comparisons a reader makes between these groups
GROUPINGS = {"language": "locale", "level": "level"}
MIN_GROUP_N = 200  # complete cases a group needs to take part (and at least k)
MIN_ITEMS = 3  # a one-factor model of fewer items is not identified
MAX_DELTA_CFI = 0.01  # a step fails when CFI falls by more than this much ...
DIFFERENCE_ALPHA = 0.01  # ... and its chi-square difference is significant at this level
MIN_CONFIGURAL_CFI = 0.95  # with 4+ items, the one-factor model must fit every group first

SCALAR, METRIC, CONFIGURAL_ONLY = "scalar", "metric", "configural only"
NOT_TESTED = "not tested"


@dataclass(frozen=True)
class Step:
    """One model of the sequence and, after the first, its change from the model before
    (NaN and None for the first)."""

    fit: mgcfa.ModelFit
    delta_chi2: float = float("nan")
    delta_df: int | None = None
    p_value: float = float("nan")
    delta_cfi: float = float("nan")
    delta_rmsea: float = float("nan")


@dataclass(frozen=True)
class ScaleInvariance:
    """The invariance verdict of one scale across one grouping.

    `groups` maps each group used to its complete cases; `verdict` is SCALAR, METRIC,
    CONFIGURAL_ONLY or NOT_TESTED (then `reason` says why); `flagged` is True when the test
    found the scale's mean gaps across this grouping not comparable (a verdict below scalar,
    or a one-factor model that does not fit the groups). `left_out` counts the complete cases
    outside the groups used (smaller groups, or none): the document shows the groups' sizes
    only when that remainder cannot be a small group (0 or at least k).
    """

    scale: str
    grouping: str
    items: int
    groups: dict[str, int] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    verdict: str = NOT_TESTED
    reason: str | None = None
    flagged: bool = False
    left_out: int = 0


def _step(fit: mgcfa.ModelFit, before: mgcfa.ModelFit | None) -> Step:
    if before is None:
        return Step(fit)
    delta_chi2 = max(fit.chi2 - before.chi2, 0.0)
    delta_df = fit.df - before.df
    return Step(
        fit,
        delta_chi2=delta_chi2,
        delta_df=delta_df,
        p_value=float(stats.chi2.sf(delta_chi2, delta_df)),
        delta_cfi=before.cfi - fit.cfi,
        delta_rmsea=fit.rmsea - before.rmsea,
    )


def _fails(step: Step) -> bool:
    """A step fails on a CFI drop over MAX_DELTA_CFI with a significant chi-square difference."""
    return step.delta_cfi > MAX_DELTA_CFI and step.p_value < DIFFERENCE_ALPHA


def check_invariance(
    scale: str, grouping: str, moments: list[mgcfa.GroupMoments]
) -> ScaleInvariance:
    """Configural, metric and scalar models in turn, and the verdict they support.

    With 3 items the configural model is just identified (df = 0, chi-square 0, CFI 1 by
    construction), so configural fit is not tested and the verdict rests on the metric and
    scalar steps, which keep (G - 1)(p - 1) degrees of freedom each. With 4 or more items the
    configural model must fit (CFI >= MIN_CONFIGURAL_CFI) before any equality is tested.
    """
    groups = {m.name: m.n for m in moments}
    items = moments[0].mean.size
    # L-BFGS-B's few-parameter linear algebra only slows down on several BLAS threads
    with threadpool_limits(limits=1):
        fits = mgcfa.fit_sequence(moments)
    steps = tuple(_step(fit, before) for fit, before in zip(fits, [None, *fits[:-1]], strict=True))
    unfinished = [fit.model for fit in fits if not fit.converged]
    if unfinished:
        reason = f"the {unfinished[0]} model did not converge"
        return ScaleInvariance(scale, grouping, items, groups, steps, NOT_TESTED, reason)
    configural, metric, scalar = steps
    if configural.fit.df > 0 and configural.fit.cfi < MIN_CONFIGURAL_CFI:
        reason = (
            f"one factor does not fit every group (configural CFI {configural.fit.cfi:.3f} "
            f"< {MIN_CONFIGURAL_CFI})"
        )
        return ScaleInvariance(scale, grouping, items, groups, steps, NOT_TESTED, reason, True)
    if _fails(metric):
        verdict = CONFIGURAL_ONLY
    elif _fails(scalar):
        verdict = METRIC
    else:
        verdict = SCALAR
    return ScaleInvariance(scale, grouping, items, groups, steps, verdict, None, verdict != SCALAR)


def _moments(
    items: pd.DataFrame, codes: np.ndarray, names: pd.Index, min_n: int, hidden: frozenset[str]
) -> tuple[list[mgcfa.GroupMoments], int]:
    """Moments of every group (`codes` into `names`, -1 for none) with at least `min_n`
    complete cases and varying items, not `hidden`, and the complete cases left out (other
    groups, or none). Sums and cross-products per group come from one bincount per item pair."""
    values = items.to_numpy(dtype="float64")
    complete = np.isfinite(values).all(axis=1)
    rows, group = values[complete], codes[complete] + 1
    size = len(names) + 1
    n = np.bincount(group, minlength=size)
    p = values.shape[1]
    sums = np.stack([np.bincount(group, rows[:, i], size) for i in range(p)], axis=1)
    cross = np.empty((size, p, p))
    for i in range(p):
        for j in range(i, p):
            cross[:, i, j] = cross[:, j, i] = np.bincount(group, rows[:, i] * rows[:, j], size)
    found = []
    for code, name in enumerate(names, start=1):
        if n[code] < min_n or str(name) in hidden:
            continue
        mean = sums[code] / n[code]
        covariance = cross[code] / n[code] - np.outer(mean, mean)
        if np.linalg.eigvalsh(covariance).min() > 1e-9 * np.trace(covariance):
            found.append(mgcfa.GroupMoments(str(name), int(n[code]), mean, covariance))
    return found, int(complete.sum()) - sum(m.n for m in found)


def scale_invariance(
    data: CampaignData, hidden: Mapping[str, frozenset[str]] | None = None
) -> list[ScaleInvariance]:
    """The invariance of every scale of 3+ items across each of GROUPINGS.

    Respondents' complete cases on the scale's items (reverse items flipped) form the groups;
    a group takes part with at least max(MIN_GROUP_N, k) of them, so no group under the
    reporting threshold enters any figure, and never when `hidden` (grouping -> names) lists
    it: a level the suppression plan hides must not get a size here that would narrow the
    other hidden level beside it. Fewer than 2 such groups: not tested.
    """
    hidden = hidden or {}
    min_n = max(MIN_GROUP_N, data.min_group_size)
    found = []
    groupings = {
        grouping: pd.factorize(data.respondents[column].reindex(data.answers.index), sort=True)
        for grouping, column in GROUPINGS.items()
    }
    for spec in data.scales:
        items = keyed_items(data.answers, spec)
        for grouping, (codes, names) in groupings.items():
            excluded = hidden.get(grouping, frozenset())
            found.append(_scale(spec, items, grouping, codes, names, min_n, excluded))
    return found


def _scale(
    spec: ScaleSpec,
    items: pd.DataFrame,
    grouping: str,
    codes: np.ndarray,
    names: pd.Index,
    min_n: int,
    hidden: frozenset[str],
) -> ScaleInvariance:
    if len(spec.items) < MIN_ITEMS:
        reason = f"fewer than {MIN_ITEMS} items"
        return ScaleInvariance(spec.key, grouping, len(spec.items), reason=reason)
    moments, left_out = _moments(items, codes, names, min_n, hidden)
    if len(moments) < 2:
        reason = f"fewer than 2 groups with {min_n} complete answers"
        return ScaleInvariance(spec.key, grouping, len(spec.items), reason=reason)
    return replace(check_invariance(spec.key, grouping, moments), left_out=left_out)
