"""McDonald's omega: reliability of a scale from a one-factor model of its items."""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_OMEGA_ITEMS = 3  # a one-factor model of fewer items is not identified
MIN_OMEGA_CASES = 10  # complete cases needed to estimate the item covariances
MAX_ITERATIONS = 1000
TOLERANCE = 1e-12


def one_factor(items: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One-factor model of the item covariances (complete cases, ddof = 1) by iterated
    principal axes, the least-squares (MINRES) solution that R's psych::omega also uses.

    Start from the squared multiple correlations in covariance units (s_ii - 1 / [S^-1]_ii);
    repeat: replace the diagonal of S by the communalities, take the first eigenpair,
    loadings = v sqrt(e), communalities = loadings^2 (at most s_ii: no Heywood case), until they
    move by less than 1e-12. Returns the loadings lambda and unique variances psi, in item
    units, the loadings' sign making their sum positive.
    """
    covariance = np.cov(items.dropna().to_numpy(dtype="float64"), rowvar=False)
    variances = np.diag(covariance).copy()
    communality = variances - 1.0 / np.diag(np.linalg.pinv(covariance))
    loadings = np.sqrt(np.clip(communality, 0.0, None))
    for _ in range(MAX_ITERATIONS):
        reduced = covariance.copy()
        np.fill_diagonal(reduced, communality)
        values, vectors = np.linalg.eigh(reduced)
        loadings = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        updated = np.minimum(loadings**2, variances)
        done = np.max(np.abs(updated - communality)) < TOLERANCE
        communality = updated
        if done:
            break
    if loadings.sum() < 0:
        loadings = -loadings
    return loadings, variances - communality


def mcdonald_omega(items: pd.DataFrame) -> float:
    """omega_total = (sum lambda)^2 / ((sum lambda)^2 + sum psi) of a one-factor model.

    Unlike alpha it does not assume every item loads equally (tau-equivalence), so it is the
    better lower bound when loadings differ. Reverse keying must already be applied. NaN with
    fewer than 3 items or 10 complete cases, or when no item varies.
    """
    complete = items.dropna()
    if items.shape[1] < MIN_OMEGA_ITEMS or len(complete) < MIN_OMEGA_CASES:
        return float("nan")
    if not (complete.var(ddof=0) > 0).all():
        return float("nan")
    loadings, unique = one_factor(complete)
    common = loadings.sum() ** 2
    return float(common / (common + unique.sum()))
