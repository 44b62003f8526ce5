"""Reliability and agreement: Cronbach's alpha, item-total correlations, r_wg(j), ICC(1)/ICC(2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveyapp.analytics.frames import ScaleSpec
from surveyapp.analytics.omega import mcdonald_omega
from surveyapp.analytics.scoring import keyed_items

ACCEPTABLE_ALPHA = 0.70  # alpha below this flags a scale as too unreliable for group reporting
GOOD_ALPHA = 0.80
WEAK_ITEM_R = 0.30  # corrected item-total correlation below this marks a weak item
MIN_ALPHA_ITEMS = 3
AGREEMENT_THRESHOLD = 0.70  # r_wg(j) at or above this: the group agrees enough to aggregate


@dataclass(frozen=True)
class ScaleReliability:
    """Internal consistency of one scale over the respondents who answered all its items.

    `alpha` is NaN when it cannot be computed (fewer than 3 items or 2 complete cases, or no
    variance); `flagged` is True only for a computed alpha below ACCEPTABLE_ALPHA. `omega` is
    McDonald's omega from a one-factor model (NaN under 3 items or 10 complete cases).
    """

    scale: str
    n_complete: int
    alpha: float
    item_total: Mapping[str, float] = field(default_factory=dict)
    flagged: bool = False
    weak_items: tuple[str, ...] = ()
    omega: float = float("nan")


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of the item columns (reverse keying already applied), complete cases.

    alpha = k / (k - 1) * (1 - sum(item variances) / variance(total score)), with sample
    variances (ddof=1). NaN with fewer than 3 items, fewer than 2 complete cases, or a total
    score without variance.
    """
    complete = items.dropna().to_numpy(dtype="float64")
    cases, k = complete.shape
    if k < MIN_ALPHA_ITEMS or cases < 2:
        return float("nan")
    total_variance = complete.sum(axis=1).var(ddof=1)
    if total_variance <= 0:
        return float("nan")
    item_variance = complete.var(axis=0, ddof=1).sum()
    return float(k / (k - 1) * (1 - item_variance / total_variance))


def corrected_item_total(items: pd.DataFrame) -> pd.Series:
    """Each item's Pearson correlation with the sum of the other items, over complete cases.

    NaN for an item (or its rest score) without variance, and for every item when there are
    fewer than 2 complete cases or fewer than 2 items.
    """
    complete = items.dropna().to_numpy(dtype="float64")
    result = np.full(items.shape[1], np.nan)
    if complete.shape[0] >= 2 and complete.shape[1] >= 2:
        rest = complete.sum(axis=1, keepdims=True) - complete
        item_dev = complete - complete.mean(axis=0)
        rest_dev = rest - rest.mean(axis=0)
        cross = (item_dev * rest_dev).sum(axis=0)
        scale = np.sqrt((item_dev**2).sum(axis=0) * (rest_dev**2).sum(axis=0))
        defined = scale > 0
        result[defined] = cross[defined] / scale[defined]
    return pd.Series(result, index=items.columns, name="corrected_item_total")


def scale_reliability(answers: pd.DataFrame, scales: list[ScaleSpec]) -> list[ScaleReliability]:
    """Alpha, omega and corrected item-total correlations of each scale, reverse items flipped.

    A scale is `flagged` when its alpha is below ACCEPTABLE_ALPHA (0.70); items whose corrected
    item-total r is below WEAK_ITEM_R (0.30) are listed as `weak_items`.
    """
    results = []
    for scale in scales:
        items = keyed_items(answers, scale)
        alpha = cronbach_alpha(items)
        item_total = corrected_item_total(items)
        results.append(
            ScaleReliability(
                scale=scale.key,
                n_complete=int(items.notna().all(axis=1).sum()),
                alpha=alpha,
                item_total={item: float(r) for item, r in item_total.items()},
                flagged=bool(not np.isnan(alpha) and alpha < ACCEPTABLE_ALPHA),
                weak_items=tuple(str(i) for i, r in item_total.items() if r < WEAK_ITEM_R),
                omega=mcdonald_omega(items),
            )
        )
    return results


def uniform_null_variance(points: int) -> float:
    """Variance of a uniform answer over `points` options: sigma2_EU = (A^2 - 1) / 12."""
    if points < 2:
        raise ValueError(f"a response scale needs at least 2 points, not {points}")
    return (points**2 - 1) / 12.0


def rwg_j_rows(
    item_variances: np.ndarray, points: int, null_variance: float | None = None
) -> np.ndarray:
    """r_wg(j) of each row of a (groups x items) array of observed item variances.

    Against the uniform null of `points` options, or the given `null_variance` (e.g. the
    slightly skewed null of `agreement.skewed_null_variance`).

    NaN variances (items nobody in the group could vary on) are left out of that row. With
    J items, s2 their mean variance and sEU = uniform_null_variance(points):
    r_wg(j) = J(1 - s2/sEU) / (J(1 - s2/sEU) + s2/sEU) (James, Demaree & Wolf 1984). When
    s2 >= sEU (more spread than random answering) the result is truncated to 0, as usual.
    NaN for a row without any variance.
    """
    variances = np.atleast_2d(np.asarray(item_variances, dtype="float64"))
    present = ~np.isnan(variances)
    j = present.sum(axis=1)
    total = np.where(present, variances, 0.0).sum(axis=1)
    ratio = np.divide(total, j, out=np.full(j.shape, np.nan), where=j > 0)
    ratio = ratio / (uniform_null_variance(points) if null_variance is None else null_variance)
    agreement = j * (1 - ratio)
    result = np.divide(agreement, agreement + ratio, out=np.zeros(j.shape), where=ratio < 1)
    return np.where(j > 0, result, np.nan)


def rwg_j_from_variances(item_variances: np.ndarray, points: int) -> float:
    """r_wg(j) of one group from the observed variance of each item (see `rwg_j_rows`)."""
    return float(rwg_j_rows(np.asarray(item_variances, dtype="float64")[None, :], points)[0])


def rwg_j(items: pd.DataFrame, points: int) -> float:
    """Within-group agreement r_wg(j) of one group's answers to a scale's items.

    Each item's sample variance (ddof=1) over the members who answered it, averaged; then
    `rwg_j_from_variances`. Reverse keying does not change a variance. Agreement is read as
    sufficient at AGREEMENT_THRESHOLD (0.70).
    """
    values = items.to_numpy(dtype="float64")
    answered = (~np.isnan(values)).sum(axis=0)
    usable = answered >= 2
    if not usable.any():
        return float("nan")
    variances = items.loc[:, usable].var(ddof=1).to_numpy()
    return rwg_j_from_variances(variances, points)


def icc1_icc2(scores: pd.Series, groups: pd.Series) -> tuple[float, float]:
    """ICC(1) and ICC(2) of a score across groups, from a one-way ANOVA (Bliese 2000).

    Over respondents with both a score and a group; see `icc_from_moments`.
    """
    frame = pd.DataFrame({"score": scores, "group": groups}).dropna()
    stats = frame.groupby("group", observed=True)["score"].agg(["count", "mean", "var"])
    return icc_from_moments(
        stats["count"].to_numpy(float), stats["mean"].to_numpy(), stats["var"].to_numpy()
    )


def icc_from_moments(
    counts: np.ndarray, means: np.ndarray, variances: np.ndarray
) -> tuple[float, float]:
    """ICC(1) and ICC(2) from each group's size, mean and sample variance (one-way ANOVA).

    MSB and MSW are the between- and within-group mean squares; ICC(1) = (MSB - MSW) /
    (MSB + (n0 - 1) MSW) with n0 the adjusted mean group size (N - sum(n_g^2)/N) / (G - 1)
    (the plain group size when groups are equal); ICC(2) = (MSB - MSW) / MSB. Groups without
    members are left out. Either is NaN when undefined (fewer than 2 groups, no within-group
    degrees of freedom, or a zero denominator); negative values are not truncated.
    """
    keep = np.asarray(counts, dtype="float64") > 0
    n = np.asarray(counts, dtype="float64")[keep]
    m = np.asarray(means, dtype="float64")[keep]
    v = np.where(n > 1, np.asarray(variances, dtype="float64")[keep], 0.0)
    total, group_count = n.sum(), len(n)
    if group_count < 2 or total - group_count < 1:
        return float("nan"), float("nan")
    grand = (n * m).sum() / total
    msb = float((n * (m - grand) ** 2).sum()) / (group_count - 1)
    msw = float(((n - 1) * v).sum()) / (total - group_count)
    n0 = (total - float((n**2).sum()) / total) / (group_count - 1)
    denominator1 = msb + (n0 - 1) * msw
    icc1 = (msb - msw) / denominator1 if denominator1 > 0 else float("nan")
    icc2 = (msb - msw) / msb if msb > 0 else float("nan")
    return float(icc1), float(icc2)
