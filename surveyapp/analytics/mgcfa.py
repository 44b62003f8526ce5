"""Multi-group confirmatory factor analysis of one scale: a one-factor model fitted by maximum
likelihood to each group's item means and covariances, with the configural, metric and scalar
equality constraints of a measurement-invariance test."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

CONFIGURAL, METRIC, SCALAR = "configural", "metric", "scalar"
MODELS = (CONFIGURAL, METRIC, SCALAR)
MIN_VARIANCE = 1e-6  # lower bound of unique and factor variances (no Heywood case)
MAX_ITERATIONS = 5000
GRADIENT_TOLERANCE = 1e-8
VALUE_TOLERANCE = 1e-12  # of F = chi2 / N: chi2 to about 1e-7 at 100,000 respondents
STATIONARY = 1e-5  # largest gradient (of F = chi2 / N) a converged fit may leave
OPTIONS = {"maxiter": MAX_ITERATIONS, "gtol": GRADIENT_TOLERANCE, "ftol": VALUE_TOLERANCE}
ATTEMPTS = 3  # L-BFGS-B runs, each from where the last stopped, before giving up


@dataclass(frozen=True)
class GroupMoments:
    """A group's complete-case item means and covariances (divisor n, the ML estimate)."""

    name: str
    n: int
    mean: np.ndarray
    covariance: np.ndarray


@dataclass(frozen=True)
class ModelFit:
    """One fitted model: its chi-square against the saturated model, degrees of freedom, CFI
    and RMSEA, and per group the estimates (loadings, unique variances, intercepts, factor
    variance and mean)."""

    model: str
    chi2: float
    df: int
    cfi: float
    rmsea: float
    converged: bool
    parameters: np.ndarray  # per group: loadings, unique variances, intercepts, phi, kappa

    @property
    def loadings(self) -> np.ndarray:
        return self.parameters[:, : self.items]

    @property
    def intercepts(self) -> np.ndarray:
        return self.parameters[:, 2 * self.items : 3 * self.items]

    @property
    def factor_means(self) -> np.ndarray:
        return self.parameters[:, 3 * self.items + 1]

    @property
    def items(self) -> int:
        return (self.parameters.shape[1] - 2) // 3


def group_moments(name: str, values: np.ndarray) -> GroupMoments:
    """Means and ML covariances (divisor n) of a (respondents x items) complete-case array."""
    return GroupMoments(
        name, len(values), values.mean(axis=0), np.cov(values, rowvar=False, ddof=0)
    )


def _layout(model: str, groups: int, items: int) -> tuple[np.ndarray, np.ndarray]:
    """Which free parameter each group's (loadings, unique variances, intercepts, factor
    variance, factor mean) takes (-1: fixed), and the fixed values.

    The factor is identified by a variance of 1 and a mean of 0 in every group (configural),
    in the first group only once loadings are equal (metric), and its mean is free in the
    other groups once intercepts are equal too (scalar). Chi-square, df, CFI and RMSEA do not
    depend on this choice of scale (a marker item, as lavaan uses, gives the same figures).
    """
    width = 3 * items + 2
    index = np.full((groups, width), -1)
    fixed = np.zeros((groups, width))
    fixed[:, 3 * items] = 1.0
    count = 0

    def assign(members: range, columns: range, shared: bool) -> None:
        nonlocal count
        for g in members:
            if not shared or g == members.start:
                first = count
                count += len(columns)
            index[g, columns.start : columns.stop] = np.arange(first, first + len(columns))

    loadings, unique, intercepts = (range(k * items, (k + 1) * items) for k in range(3))
    everyone, others = range(groups), range(1, groups)
    assign(everyone, loadings, shared=model != CONFIGURAL)
    assign(everyone, unique, shared=False)
    assign(everyone, intercepts, shared=model == SCALAR)
    if model != CONFIGURAL:
        assign(others, range(3 * items, 3 * items + 1), shared=False)
    if model == SCALAR:
        assign(others, range(3 * items + 1, 3 * items + 2), shared=False)
    return index, fixed


@dataclass(frozen=True)
class _Stacked:
    """The groups' moments as arrays: sizes (G), means (G, p), covariances (G, p, p) and the
    log-determinants of the covariances (G)."""

    n: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    logdets: np.ndarray

    @classmethod
    def of(cls, moments: list[GroupMoments]) -> _Stacked:
        covariances = np.stack([m.covariance for m in moments])
        return cls(
            np.array([m.n for m in moments], dtype="float64"),
            np.stack([m.mean for m in moments]),
            covariances,
            np.linalg.slogdet(covariances)[1],
        )


def _parameters(free: np.ndarray, index: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    return np.where(index >= 0, free[np.maximum(index, 0)], fixed)


def _discrepancy(
    free: np.ndarray, index: np.ndarray, fixed: np.ndarray, groups: _Stacked
) -> tuple[float, np.ndarray]:
    """The ML discrepancy sum_g n_g F_g / N and its gradient in the free parameters, with
    F_g = log|Sigma| + tr(S Sigma^-1) - log|S| - p + (m - mu)' Sigma^-1 (m - mu),
    Sigma = phi lambda lambda' + diag(theta) and mu = nu + kappa lambda. With
    W = Sigma^-1 - Sigma^-1 S Sigma^-1 - b b' and b = Sigma^-1 (m - mu), dF = tr(W dSigma)
    - 2 b' dmu, so dF/dlambda = 2 phi W lambda - 2 kappa b, dF/dtheta = diag(W),
    dF/dnu = -2 b, dF/dphi = lambda' W lambda and dF/dkappa = -2 lambda' b."""
    params = _parameters(free, index, fixed)
    items = groups.means.shape[1]
    lam, theta, nu = (params[:, k * items : (k + 1) * items] for k in range(3))
    phi, kappa = params[:, 3 * items], params[:, 3 * items + 1]
    sigma = phi[:, None, None] * lam[:, :, None] * lam[:, None, :]
    sigma[:, range(items), range(items)] += theta
    inverse = np.linalg.inv(sigma)
    gap = groups.means - nu - kappa[:, None] * lam
    b = np.einsum("gij,gj->gi", inverse, gap)
    spread = groups.covariances @ inverse
    misfit = (
        np.linalg.slogdet(sigma)[1]
        + np.einsum("gii->g", spread)
        - groups.logdets
        - items
        + (gap * b).sum(axis=1)
    )
    w = inverse - inverse @ spread - b[:, :, None] * b[:, None, :]
    wl = np.einsum("gij,gj->gi", w, lam)
    partial = np.concatenate(
        [
            2 * phi[:, None] * wl - 2 * kappa[:, None] * b,
            w[:, range(items), range(items)],
            -2 * b,
            (lam * wl).sum(axis=1)[:, None],
            -2 * (lam * b).sum(axis=1)[:, None],
        ],
        axis=1,
    )
    used = index >= 0
    weights = (groups.n[:, None] * partial)[used]
    gradient = np.bincount(index[used], weights=weights, minlength=free.size)
    total = groups.n.sum()
    return float(groups.n @ misfit) / total, gradient / total


def _start(index: np.ndarray, source: np.ndarray) -> np.ndarray:
    """Starting values: each free parameter at the mean of the values it takes over from
    `source`, (G, 3p + 2) parameters of a previous model or the groups' own starts."""
    used = index >= 0
    counts = np.bincount(index[used], minlength=index.max() + 1)
    return np.bincount(index[used], weights=source[used], minlength=counts.size) / counts


def _bounds(index: np.ndarray, items: int) -> list[tuple[float | None, float | None]]:
    bounded = {int(i) for i in index[:, items : 2 * items].ravel()}
    bounded |= {int(i) for i in index[:, 3 * items] if i >= 0}
    return [(MIN_VARIANCE, None) if i in bounded else (None, None) for i in range(index.max() + 1)]


def _stationary(
    free: np.ndarray, gradient: np.ndarray, bounds: list[tuple[float | None, float | None]]
) -> bool:
    """Whether the fit stopped at a minimum: every gradient component is about zero, except
    one pushing a variance below its bound (a boundary solution). L-BFGS-B's own flag also
    reports a line search that could make no more progress at the minimum as a failure."""
    lower = np.array([-np.inf if low is None else low for low, _ in bounds])
    at_bound = (free <= lower + 1e-9) & (gradient > 0)
    return bool(np.abs(np.where(at_bound, 0.0, gradient)).max() < STATIONARY)


def _baseline(groups: _Stacked) -> tuple[float, int]:
    """Chi-square and df of the independence model (free means and variances per group)."""
    count, items = groups.means.shape
    variances = groups.covariances[:, range(items), range(items)]
    chi2 = groups.n @ (np.log(variances).sum(axis=1) - groups.logdets)
    return float(chi2), count * items * (items - 1) // 2


def _initial(groups: _Stacked) -> np.ndarray:
    """Each group's own starts: intercepts at the means, half of each variance unique and half
    common (loadings sqrt(s_ii / 2)), factor variance 1 and mean 0."""
    variances = groups.covariances[:, range(groups.means.shape[1]), range(groups.means.shape[1])]
    ones = np.ones((len(groups.n), 1))
    return np.hstack([np.sqrt(variances / 2), variances / 2, groups.means, ones, 0 * ones])


def fit_model(
    model: str, moments: list[GroupMoments], previous: ModelFit | None = None
) -> ModelFit:
    """Fit one model (CONFIGURAL, METRIC or SCALAR) to the groups' moments by ML, starting
    from the `previous` model's estimates when given.

    chi2 = sum_g n_g F_g at the minimum (lavaan's default ML statistic); df = G (p(p+1)/2 + p)
    minus the free parameters; CFI = 1 - max(chi2 - df, 0) / max(chi2 - df, chi2_b - df_b, 0)
    against the independence model; RMSEA = sqrt(G) sqrt(max(chi2 - df, 0) / (df N)), the
    multi-group form lavaan reports (Steiger 1998), 0 when df = 0.
    """
    groups = _Stacked.of(moments)
    count, items = groups.means.shape
    index, fixed = _layout(model, count, items)
    source = _initial(groups) if previous is None else previous.parameters
    start, bounds = _start(index, source), _bounds(index, items)
    for _ in range(ATTEMPTS):
        found = optimize.minimize(
            _discrepancy,
            start,
            args=(index, fixed, groups),
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options=OPTIONS,
        )
        converged = _stationary(found.x, found.jac, bounds)
        if converged:
            break
        start = found.x  # a fresh start drops a curvature estimate that stalled the search
    total = float(groups.n.sum())
    chi2 = max(float(found.fun) * total, 0.0)
    df = count * (items * (items + 1) // 2 + items) - (index.max() + 1)
    baseline, baseline_df = _baseline(groups)
    excess = max(chi2 - df, 0.0)
    worst = max(chi2 - df, baseline - baseline_df, 0.0)
    return ModelFit(
        model=model,
        chi2=chi2,
        df=int(df),
        cfi=1.0 - excess / worst if worst > 0 else 1.0,
        rmsea=float(np.sqrt(count * excess / (df * total))) if df > 0 else 0.0,
        converged=converged,
        parameters=_parameters(found.x, index, fixed),
    )


def fit_sequence(moments: list[GroupMoments]) -> list[ModelFit]:
    """The configural, metric and scalar models in turn, each started from the one before."""
    fits: list[ModelFit] = []
    for model in MODELS:
        fits.append(fit_model(model, moments, fits[-1] if fits else None))
    return fits
