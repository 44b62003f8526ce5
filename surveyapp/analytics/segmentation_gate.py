"""Whether a mixture's patterns are distinct: classification certainty, stability, separation
and the sample size a given number of patterns needs (calibrated in docs/analysis.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

# Calibrated on seeded simulations (benchmarks/calibrate_patterns.py, docs/analysis.md).
MIN_ENTROPY = 0.80  # relative entropy of the posteriors (Celeux & Soromenho 1996); >= .80 clear
MIN_AVEPP = 0.80  # average posterior probability of each pattern's members (Nagin 2005: > .70)
MIN_STABILITY = 0.75  # mean bootstrap adjusted Rand index; commonly read as "stable" clusters
MIN_SEPARATION_D = 0.8  # Cohen's large effect: a defining scale separates a pattern from the rest
MIN_PATTERN_MEMBERS = 50  # respondents each pattern needs for its mean profile to be estimated
SMALLEST_DETECTABLE_SHARE = 0.10  # the smallest pattern the analysis promises to find
SINGLE_PATTERN = "no distinct patterns: the best model (lowest ICL) has a single pattern"
DETECTION_N = math.ceil(MIN_PATTERN_MEMBERS / SMALLEST_DETECTABLE_SHARE)  # 500


@dataclass(frozen=True)
class Separation:
    """How one pattern's members differ from everyone else on a scale (Cohen's d, pooled SD)."""

    scale: str
    d: float


@dataclass(frozen=True)
class Gate:
    """The evidence on which patterns are called distinct, and the verdict with its reason.

    `entropy` is the relative entropy 1 - sum(-p log p) / (n log K) of the pattern posteriors
    (1 = every respondent certainly assigned); `avepp` per pattern is the mean posterior of its
    members for it; `defining` per pattern the scales with |d| >= MIN_SEPARATION_D, strongest
    first; `needed` the respondents the question needs when there are too few (else None).
    """

    distinct: bool
    reason: str | None
    entropy: float | None
    avepp: Mapping[str, float] = field(default_factory=dict)
    stability: float | None = None
    defining: Mapping[str, tuple[Separation, ...]] = field(default_factory=dict)
    needed: int | None = None


def power_reason(needed: int, n: int) -> str:
    """The sentence shown when the sample cannot support the question."""
    return f"too few respondents to detect patterns: {needed:,} needed ({n:,} analysed)"


def relative_entropy(posteriors: np.ndarray) -> float:
    """1 - sum_i sum_k -p_ik log p_ik / (n log K); 1.0 with a single pattern."""
    n, k = posteriors.shape
    if k < 2 or n == 0:
        return 1.0
    p = np.clip(posteriors, 1e-300, 1.0)
    return float(1.0 + np.sum(posteriors * np.log(p)) / (n * math.log(k)))


def average_posteriors(posteriors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per pattern k, the mean posterior for k among the respondents assigned to k (NaN if none)."""
    k = posteriors.shape[1]
    return np.array(
        [posteriors[labels == c, c].mean() if (labels == c).any() else np.nan for c in range(k)]
    )


def separations(
    z: np.ndarray, labels: np.ndarray, columns: Sequence[str]
) -> list[tuple[Separation, ...]]:
    """Per pattern, the scales on which its members differ from the rest by |d| >= 0.8.

    d = (mean in - mean out) / pooled SD (sample variances), strongest first.
    """
    found = []
    for c in range(int(labels.max()) + 1):
        inside, outside = z[labels == c], z[labels != c]
        if len(inside) < 2 or len(outside) < 2:
            found.append(())
            continue
        pooled = (
            (len(inside) - 1) * inside.var(axis=0, ddof=1)
            + (len(outside) - 1) * outside.var(axis=0, ddof=1)
        ) / (len(inside) + len(outside) - 2)
        sd = np.sqrt(pooled)
        d = np.divide(
            inside.mean(axis=0) - outside.mean(axis=0), sd, out=np.zeros(sd.shape), where=sd > 0
        )
        order = np.argsort(-np.abs(d), kind="stable")
        found.append(
            tuple(
                Separation(columns[j], float(d[j])) for j in order if abs(d[j]) >= MIN_SEPARATION_D
            )
        )
    return found


def judge(
    posteriors: np.ndarray,
    labels: np.ndarray,
    z: np.ndarray,
    columns: Sequence[str],
    ids: Sequence[str],
    stability: float | None,
) -> Gate:
    """Call the patterns distinct only on model-based evidence, and say why not otherwise.

    In: the pattern posteriors (n x K, columns in `ids` order), each respondent's pattern (its
    column), the standardised scores, the scale keys, the pattern ids and the bootstrap
    stability. Distinct needs K > 1, relative entropy >= 0.80, every pattern's AvePP >= 0.80,
    stability >= 0.75, at least one defining scale per pattern and MIN_PATTERN_MEMBERS (50) in
    the smallest. With fewer than DETECTION_N (500) respondents, or a smallest pattern under 50,
    a pattern-free or failed answer is reported as a lack of power, never as "one population";
    distinct patterns found in fewer than 500 say which smaller patterns could be missed.
    """
    n, k = posteriors.shape
    if k < 2:
        if n < DETECTION_N:
            return Gate(False, power_reason(DETECTION_N, n), None, needed=DETECTION_N)
        return Gate(False, SINGLE_PATTERN, 1.0)
    entropy = relative_entropy(posteriors)
    avepp = dict(zip(ids, map(float, average_posteriors(posteriors, labels)), strict=True))
    defining = dict(zip(ids, separations(z, labels, columns), strict=True))
    smallest = int(np.bincount(labels, minlength=k).min())
    needed = max(DETECTION_N, math.ceil(MIN_PATTERN_MEMBERS * n / max(smallest, 1)))
    failures = []
    if entropy < MIN_ENTROPY:
        failures.append(f"patterns overlap: relative entropy {entropy:.2f} < {MIN_ENTROPY:.2f}")
    uncertain = [i for i, value in avepp.items() if not value >= MIN_AVEPP]
    if uncertain:
        names = ", ".join(uncertain)
        failures.append(f"uncertain assignment to {names}: mean posterior < {MIN_AVEPP:.2f}")
    if stability is None or stability < MIN_STABILITY:
        shown = "none" if stability is None else f"{stability:.2f}"
        failures.append(f"unstable under resampling: adjusted Rand {shown} < {MIN_STABILITY:.2f}")
    flat = [i for i, scales in defining.items() if not scales]
    if flat:
        failures.append(f"no scale separates {', '.join(flat)} (|d| >= {MIN_SEPARATION_D})")
    if not failures and smallest >= MIN_PATTERN_MEMBERS:
        caveat = None
        if n < DETECTION_N:
            smaller = f"patterns under {MIN_PATTERN_MEMBERS / n:.0%}"
            caveat = power_reason(DETECTION_N, n).replace("patterns", smaller, 1)
        return Gate(
            True, caveat, entropy, avepp, stability, defining, DETECTION_N if caveat else None
        )
    if smallest < MIN_PATTERN_MEMBERS or n < DETECTION_N:
        return Gate(False, power_reason(needed, n), entropy, avepp, stability, defining, needed)
    return Gate(False, "; ".join(failures), entropy, avepp, stability, defining)
