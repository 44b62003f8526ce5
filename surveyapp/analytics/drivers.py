"""Drivers of adoption: Shapley shares of R^2 and standardized OLS coefficients per construct."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveyapp.analytics.fdr import benjamini_hochberg

MIN_N_BASE, MIN_N_PER_PREDICTOR = 30, 5  # complete cases needed: 30 + 5 per predictor
MAX_PREDICTORS = 12  # 2^12 = 4,096 subsets: still instant
CONFIDENCE = 0.95
PRIORITY_MARGIN = 0.5  # a priority driver's mean is at most the scale midpoint + 0.5


@dataclass(frozen=True)
class Driver:
    """One predictor: its share of R^2, standardized coefficient with 95% CI, and mean score.

    `importance` is its Shapley value (the importances sum to R^2); `share` is importance / R^2
    (the shares sum to 1). `p_value` tests beta = 0 (t on n - p - 1 df). `priority`: share
    above the even share 1/p, mean <= midpoint + 0.5, and beta a discovery under
    Benjamini-Hochberg at 5% among the model's predictors.
    """

    construct: str
    importance: float
    share: float
    beta: float
    ci_low: float
    ci_high: float
    mean: float
    priority: bool
    p_value: float = float("nan")


@dataclass(frozen=True)
class DriverResult:
    """Drivers ordered by importance; with too few cases, no drivers and the reason why."""

    n: int
    r_squared: float | None
    drivers: tuple[Driver, ...]
    reason: str | None = None


def minimum_cases(predictors: int) -> int:
    """Complete cases needed for a driver analysis: 30 + 5 per predictor."""
    return MIN_N_BASE + MIN_N_PER_PREDICTOR * predictors


def subset_r_squared(correlations: np.ndarray) -> np.ndarray:
    """R^2 of the OLS of the last variable on every subset of the others, indexed by bit mask.

    In: the (p+1) x (p+1) correlation matrix, outcome last. R^2(S) = r_yS' R_SS^-1 r_yS
    (pseudo-inverse, so collinear subsets are handled); R^2(empty set) = 0.
    """
    p = correlations.shape[0] - 1
    r_xy = correlations[:p, p]
    values = np.zeros(1 << p)
    for mask in range(1, 1 << p):
        chosen = [j for j in range(p) if mask >> j & 1]
        r = r_xy[chosen]
        values[mask] = r @ np.linalg.pinv(correlations[np.ix_(chosen, chosen)]) @ r
    return values


def shapley_importance(r_squared: np.ndarray, p: int) -> np.ndarray:
    """Shapley decomposition of R^2 (general dominance; Budescu 1993, Azen & Budescu 2003).

    phi_j = sum over subsets S without j of |S|! (p - |S| - 1)! / p! * (R^2(S + j) - R^2(S));
    the phi_j sum to R^2 of the full model.
    """
    masks = np.arange(1 << p)
    sizes = np.array([bin(mask).count("1") for mask in masks])
    factorial = np.cumprod([1.0, *range(1, p + 1)])
    weights = factorial[sizes] * factorial[np.maximum(p - sizes - 1, 0)] / factorial[p]
    importance = np.zeros(p)
    for j in range(p):
        without = masks[(masks >> j & 1) == 0]
        importance[j] = np.sum(
            weights[without] * (r_squared[without | 1 << j] - r_squared[without])
        )
    return importance


def driver_analysis(predictors: pd.DataFrame, outcome: pd.Series, points: int = 5) -> DriverResult:
    """Which constructs most explain the outcome (e.g. intention to use AI).

    In: per-respondent predictor scale scores (columns = constructs), the outcome score (same
    index), the number of scale points. On complete cases, standardized: R^2 and its Shapley
    decomposition over all 2^p subsets of the correlation matrix; OLS standardized coefficients
    beta = R_xx^-1 r_xy with standard errors sqrt(s^2 / (n - 1) * [R_xx^-1]_jj), where
    s^2 = (1 - R^2)(n - 1)/(n - p - 1), t(n - p - 1) 95% intervals and p-values (BH-controlled
    for `priority`). `mean` is the
    construct's mean over everyone who has a score on it. Needs 30 + 5p complete cases.
    """
    from scipy.special import stdtr, stdtrit

    p = predictors.shape[1]
    if not 1 <= p <= MAX_PREDICTORS:
        raise ValueError(f"a driver analysis takes 1 to {MAX_PREDICTORS} predictors, not {p}")
    data = predictors.join(outcome.rename("__outcome__"), how="inner").dropna()
    n = len(data)
    if n < minimum_cases(p):
        reason = f"{n} complete answers; at least {minimum_cases(p)} needed for {p} predictors"
        return DriverResult(n, None, (), reason)
    values = data.to_numpy(dtype=float)
    spread = values.std(axis=0)
    flat = [str(name) for name, sd in zip(predictors.columns, spread[:p], strict=True) if sd == 0]
    if spread[p] == 0 or flat:
        names = ", ".join(flat) if flat else "the outcome"
        return DriverResult(n, None, (), f"no variation in {names}")
    correlations = np.corrcoef(values, rowvar=False)
    r_squared = subset_r_squared(correlations)
    total = float(r_squared[-1])
    importance = shapley_importance(r_squared, p)
    inverse = np.linalg.pinv(correlations[:p, :p])
    beta = inverse @ correlations[:p, p]
    residual = max(1.0 - total, 0.0) * (n - 1) / (n - p - 1)
    error = np.sqrt(residual / (n - 1) * np.diag(inverse))
    margin = stdtrit(n - p - 1, 0.5 + CONFIDENCE / 2) * error
    t = np.divide(beta, error, out=np.full(p, np.inf), where=error > 0)
    p_values = 2 * stdtr(n - p - 1, -np.abs(t))
    discovered = benjamini_hochberg(p_values)
    means = predictors.mean()
    midpoint = (1 + points) / 2
    drivers = []
    for j, name in enumerate(predictors.columns):
        share = float(importance[j] / total) if total > 0 else 0.0
        drivers.append(
            Driver(
                construct=str(name),
                importance=float(importance[j]),
                share=share,
                beta=float(beta[j]),
                ci_low=float(beta[j] - margin[j]),
                ci_high=float(beta[j] + margin[j]),
                mean=float(means[name]),
                priority=bool(
                    share > 1 / p and means[name] <= midpoint + PRIORITY_MARGIN and discovered[j]
                ),
                p_value=float(p_values[j]),
            )
        )
    drivers.sort(key=lambda driver: -driver.importance)
    return DriverResult(n, total, tuple(drivers))
