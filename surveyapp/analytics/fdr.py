"""False-discovery control for families of flags: Benjamini-Hochberg, Welch and ANOVA p-values
from group moments, and Hedges' g with its interval for the method section."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

FDR_LEVEL = 0.05  # Benjamini-Hochberg q: at most 5% of a family's flags expected to be false
CONFIDENCE = 0.95


def benjamini_hochberg(p_values: np.ndarray, q: float = FDR_LEVEL) -> np.ndarray:
    """Which hypotheses of one family are rejected at false-discovery rate q.

    Benjamini & Hochberg (1995): order the m p-values, find the largest i with
    p_(i) <= i q / m and reject the i smallest. NaN p-values (tests that could not be run) are
    neither rejected nor counted in m. Valid under independence and positive dependence (PRDS),
    which one-sided shifts of positively correlated scales satisfy.
    """
    p = np.asarray(p_values, dtype="float64")
    rejected = np.zeros(p.shape, dtype=bool)
    tested = np.flatnonzero(~np.isnan(p))
    if not len(tested):
        return rejected
    order = tested[np.argsort(p[tested], kind="stable")]
    m = len(order)
    passing = np.flatnonzero(p[order] <= q * np.arange(1, m + 1) / m)
    if len(passing):
        rejected[order[: passing[-1] + 1]] = True
    return rejected


@dataclass(frozen=True)
class TwoSamples:
    """Two independent samples as their moments (mean, sample variance, count), elementwise
    over arrays of one shape: what every two-group test and effect size here reads. Each
    compares the second sample with the first (mean2 - mean1)."""

    mean1: np.ndarray
    var1: np.ndarray
    n1: np.ndarray
    mean2: np.ndarray
    var2: np.ndarray
    n2: np.ndarray

    @classmethod
    def of(
        cls,
        mean1: ArrayLike,
        var1: ArrayLike,
        n1: ArrayLike,
        mean2: ArrayLike,
        var2: ArrayLike,
        n2: ArrayLike,
    ) -> TwoSamples:
        """The moments as float arrays broadcast to one shape."""
        values = (mean1, var1, n1, mean2, var2, n2)
        return cls(*np.broadcast_arrays(*(np.asarray(a, dtype="float64") for a in values)))

    @property
    def usable(self) -> np.ndarray:
        """Where both samples have at least 2 values (a variance)."""
        return (self.n1 >= 2) & (self.n2 >= 2)


def welch_test(samples: TwoSamples) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Welch's test of mean2 - mean1 from moments, elementwise: standard error, df, p-value.

    se = sqrt(var1/n1 + var2/n2); Welch-Satterthwaite df; two-sided p from Student's t. Where a
    side has fewer than 2 values: NaN everywhere. Where nobody varies: se 0, df 1 and p 1 for
    equal means, 0 otherwise.
    """
    m1, v1, k1 = samples.mean1, samples.var1, samples.n1
    m2, v2, k2 = samples.mean2, samples.var2, samples.n2
    usable = samples.usable
    a = np.divide(v1, k1, out=np.zeros(k1.shape), where=usable)
    b = np.divide(v2, k2, out=np.zeros(k2.shape), where=usable)
    se2 = a + b
    spread = np.divide(a * a, k1 - 1, out=np.zeros(k1.shape), where=usable) + np.divide(
        b * b, k2 - 1, out=np.zeros(k2.shape), where=usable
    )
    varies = usable & (se2 > 0)
    dof = np.divide(se2 * se2, spread, out=np.ones(se2.shape), where=varies & (spread > 0))
    se = np.sqrt(se2)
    t = np.divide(m2 - m1, se, out=np.zeros(se.shape), where=varies)
    p = np.where(varies, 2 * stats.t.sf(np.abs(t), dof), np.where(m1 == m2, 1.0, 0.0))
    nan = np.full(se.shape, np.nan)
    return np.where(usable, se, nan), np.where(usable, dof, nan), np.where(usable, p, nan)


def anova_p(counts: np.ndarray, means: np.ndarray, variances: np.ndarray) -> float:
    """One-way ANOVA p-value that the groups' means differ, from their n, mean and variance.

    F = [sum n_i (m_i - m)^2 / (g - 1)] / [sum (n_i - 1) v_i / (N - g)] on (g - 1, N - g) df.
    Groups with no values are left out; NaN with fewer than 2 groups or no within-group df.
    """
    n = np.asarray(counts, dtype="float64")
    keep = n > 0
    n, m = n[keep], np.asarray(means, dtype="float64")[keep]
    v = np.where(n > 1, np.asarray(variances, dtype="float64")[keep], 0.0)
    groups, total = len(n), n.sum()
    if groups < 2 or total - groups < 1:
        return float("nan")
    grand = (n * m).sum() / total
    between = (n * (m - grand) ** 2).sum() / (groups - 1)
    within = ((n - 1) * v).sum() / (total - groups)
    if within <= 0:
        return 0.0 if between > 0 else 1.0
    return float(stats.f.sf(between / within, groups - 1, total - groups))


def hedges_g(
    samples: TwoSamples, confidence: float = CONFIDENCE
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hedges' g of mean2 - mean1 with its normal-approximation interval, elementwise.

    d = (mean2 - mean1) / pooled SD; g = J d with J = 1 - 3 / (4 (n1 + n2) - 9) (Hedges 1981);
    se(g) = sqrt((n1 + n2) / (n1 n2) + g^2 / (2 (n1 + n2))) (Hedges & Olkin 1985).
    NaN where either side has fewer than 2 values or the pooled SD is 0.
    """
    m1, v1, k1 = samples.mean1, samples.var1, samples.n1
    m2, v2, k2 = samples.mean2, samples.var2, samples.n2
    usable = samples.usable
    total = np.where(usable, k1 + k2, np.nan)
    pooled = ((k1 - 1) * v1 + (k2 - 1) * v2) / (total - 2)
    defined = usable & (pooled > 0)
    d = np.divide(m2 - m1, np.sqrt(np.where(defined, pooled, 1.0)))
    g = np.where(defined, (1 - 3 / (4 * total - 9)) * d, np.nan)
    se = np.sqrt(total / (k1 * k2) + g * g / (2 * total))
    z = stats.norm.ppf((1 + confidence) / 2)
    return g, g - z * se, g + z * se
