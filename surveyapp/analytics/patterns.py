"""Resistance patterns: Gaussian-mixture segments of the concern scales, matched to archetypes."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from surveyapp.analytics import segmentation_gate
from surveyapp.analytics.library import Archetype
from surveyapp.analytics.pattern_names import (
    construct_of,
    descriptive_label,
    match,
    nearest_archetypes,
)

if TYPE_CHECKING:
    from sklearn.mixture import GaussianMixture

__all__ = ["Pattern", "PatternResult", "construct_of", "find_patterns", "pattern_shares"]

MIN_RESPONDENTS = 100  # fewer usable respondents: no mixture is fitted at all
MIN_PRESENT_SHARE = 2 / 3  # a respondent needs scores on at least 2/3 of the cluster scales
MAX_K = 8
RESPONDENTS_PER_COMPONENT = 50  # k is tried up to min(MAX_K, n // 50)
COVARIANCE_TYPES = ("diag", "tied", "full")  # chosen together with k by BIC
SELECTION_SAMPLE = 10_000  # rows on which k is chosen and stability is measured
SILHOUETTE_SAMPLE = 3_000  # silhouette is quadratic in rows
BOOTSTRAPS = 5
N_INIT = 2
REG_COVAR = 1e-3  # variance floor (z units squared) so discrete Likert means cannot collapse


@dataclass(frozen=True)
class Pattern:
    """One segment: size, centroid (per scale key, in z units and raw means) and its label.

    `archetype` is the matched library archetype id or None; `similarity` is the cosine to the
    matched archetype, or for an unmatched pattern to the nearest one (None when near average).
    `avepp` is the mean posterior probability of its members; `defining` the scales that
    separate it from everyone else (scale key -> Cohen's d, |d| >= 0.8).
    """

    id: str
    size: int
    share: float
    centroid_z: Mapping[str, float]
    centroid_raw: Mapping[str, float]
    archetype: str | None
    similarity: float | None
    label: Mapping[str, str]
    avepp: float | None = None
    defining: Mapping[str, float] | None = None


@dataclass(frozen=True)
class PatternResult:
    """The segmentation of one campaign; `labels` maps response_id to pattern id.

    `bic` is per k for the chosen `covariance` type (k itself is chosen by ICL); `gate` holds
    the evidence behind `distinct` (entropy, AvePP, separation, the respondents needed).
    """

    distinct: bool
    k: int
    n: int
    silhouette: float | None
    stability_ari: float | None
    bic: Mapping[int, float]
    patterns: tuple[Pattern, ...]
    labels: pd.Series
    reason: str | None = None
    covariance: str | None = None
    gate: segmentation_gate.Gate | None = None


def _fit(
    data: np.ndarray,
    k: int,
    seed: int,
    covariance: str,
    n_init: int = N_INIT,
    start: GaussianMixture | None = None,
) -> GaussianMixture:
    """Fit a mixture of the given covariance type; `start` warm-starts from another fit."""
    from sklearn.mixture import GaussianMixture

    start_params = {}
    if start is not None:
        start_params = {
            "weights_init": start.weights_,
            "means_init": start.means_,
            "precisions_init": start.precisions_,
        }
    model = GaussianMixture(
        n_components=k,
        covariance_type=covariance,
        reg_covar=REG_COVAR,
        n_init=1 if start is not None else n_init,
        max_iter=300,
        random_state=seed,
        **start_params,
    )
    return model.fit(data)


def _usable(scores: pd.DataFrame) -> pd.DataFrame:
    """Respondents with >= 2/3 of the scales present, remaining gaps filled with column means."""
    scores = scores.dropna(axis=1, how="all")
    needed = math.ceil(MIN_PRESENT_SHARE * scores.shape[1] - 1e-9)
    kept = scores[scores.notna().sum(axis=1) >= needed]
    return kept.fillna(kept.mean())


def _empty(n: int, index: pd.Index) -> PatternResult:
    labels = pd.Series(pd.Categorical([], categories=[]), index=index[:0], dtype="category")
    needed = segmentation_gate.DETECTION_N
    gate = segmentation_gate.Gate(
        False, segmentation_gate.power_reason(needed, n), None, needed=needed
    )
    return PatternResult(False, 0, n, None, None, {}, (), labels, gate.reason, None, gate)


def _select(
    sample: np.ndarray, k_max: int, seed: int
) -> tuple[str, int, dict[tuple[str, int], GaussianMixture], dict[tuple[str, int], float]]:
    """Covariance type by the lowest BIC over all k, then k within that type by the lowest ICL.

    Diagonal and tied covariances cost far fewer parameters than full ones (8 scales: 16 or 8
    per component against 44), so a small sample can still support several patterns; a full
    single Gaussian still wins for one population with a general factor. BIC alone fits the
    density: Likert means piled up at the end of the scale make it spend two Gaussians on one
    group, or several on one skewed population. ICL (Biernacki, Celeux & Govaert 2000) is BIC
    plus twice the classification entropy, so it counts only components that separate.
    """
    models = {
        (covariance, k): _fit(sample, k, seed, covariance)
        for covariance in COVARIANCE_TYPES
        for k in range(1, k_max + 1)
    }
    bic = {key: float(model.bic(sample)) for key, model in models.items()}
    covariance = min(bic, key=bic.__getitem__)[0]
    icl = {
        k: bic[(covariance, k)] + 2 * _entropy(models[(covariance, k)].predict_proba(sample))
        for k in range(1, k_max + 1)
    }
    return covariance, min(icl, key=icl.__getitem__), models, bic


def _entropy(posteriors: np.ndarray) -> float:
    """Classification entropy -sum p log p over respondents and components (0 when certain)."""
    return float(-np.sum(posteriors * np.log(np.clip(posteriors, 1e-300, 1.0))))


def find_patterns(
    scores: pd.DataFrame,
    archetypes: Sequence[Archetype],
    seed: int = 0,
    titles: Mapping[str, Mapping[str, str]] | None = None,
    bootstraps: int = BOOTSTRAPS,
) -> PatternResult:
    """Segment respondents on the cluster scales, judge whether the segments are real, name them.

    In: per-respondent scale scores (columns = scale keys, 1..5, high = favourable, NaN allowed),
    the archetype library, a seed, optional scale titles (key -> locale -> title).
    Method: z-standardise over the campaign; Gaussian mixtures with diagonal, tied and full
    covariances for k = 1..8 on a subsample, the type by lowest BIC and k by lowest ICL; refit on
    everyone; components nearest to the same archetype are merged into one pattern and each
    respondent goes to the pattern of highest posterior. `distinct` is decided by
    `segmentation_gate.judge` (entropy, AvePP, bootstrap stability, separation, power). The
    silhouette is reported for reference only: it dilutes differences on a few of many scales.
    Deterministic under `seed`.
    """
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    frame = _usable(scores)
    n = len(frame)
    if frame.shape[1] < 2 or n < MIN_RESPONDENTS:
        return _empty(n, scores.index)
    values = frame.to_numpy(dtype=float)
    spread = values.std(axis=0)
    z = (values - values.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    rng = np.random.default_rng(seed)
    sample = z[np.sort(rng.choice(n, min(n, SELECTION_SAMPLE), replace=False))]
    k_max = max(1, min(MAX_K, n // RESPONDENTS_PER_COMPONENT))
    columns = list(frame.columns)
    # One BLAS/OpenMP thread: faster for these small matrices on 2 cores, and reproducible.
    # An EM run that stops at max_iter is still a usable fit; its warning is not an error here.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        covariance, k, models, bic = _select(sample, k_max, seed)
        chosen = models[(covariance, k)]
        model = chosen if len(sample) == n else _fit(z, k, seed, covariance, start=chosen)
        merge = _merge_map(model, columns, archetypes)
        posteriors = _merged_posteriors(model.predict_proba(z), merge)
        components = posteriors.argmax(axis=1)
        sample_labels = _merged_posteriors(model.predict_proba(sample), merge).argmax(axis=1)
        silhouette, stability = _quality(
            sample, sample_labels, k, covariance, seed, rng, columns, archetypes, bootstraps
        )
    order = _by_size(components)
    ids = [f"p{rank + 1}" for rank in range(len(order))]
    ranked = np.argsort(order)[components] if len(order) else components
    gate = segmentation_gate.judge(posteriors[:, order], ranked, z, columns, ids, stability)
    bic_of_type = {kk: value for (cov, kk), value in bic.items() if cov == covariance}
    if not gate.distinct and gate.needed is not None:
        labels = pd.Series(pd.Categorical([], categories=[]), index=frame.index[:0])
        return PatternResult(
            False,
            0,
            n,
            silhouette,
            stability,
            bic_of_type,
            (),
            labels,
            gate.reason,
            covariance,
            gate,
        )
    patterns, labels = _describe(frame, scores, z, ranked, ids, gate, archetypes, titles or {})
    return PatternResult(
        gate.distinct,
        len(patterns),
        n,
        silhouette,
        stability,
        bic_of_type,
        patterns,
        labels,
        gate.reason,
        covariance,
        gate,
    )


def _merged_posteriors(posteriors: np.ndarray, merge: np.ndarray) -> np.ndarray:
    """Component posteriors summed into pattern posteriors (columns = merged pattern index)."""
    merged = np.zeros((posteriors.shape[0], int(merge.max()) + 1))
    for component, pattern in enumerate(merge):
        merged[:, pattern] += posteriors[:, component]
    return merged


def _by_size(components: np.ndarray) -> list[int]:
    """Pattern indices that hold anyone, largest first."""
    sizes = np.bincount(components)
    return [int(c) for c in np.argsort(-sizes, kind="stable") if sizes[c] > 0]


def _merge_map(
    model: GaussianMixture, columns: list[str], archetypes: Sequence[Archetype]
) -> np.ndarray:
    """Map mixture components to patterns: components closest to the same archetype are one.

    A mixture often spends two Gaussians on one skewed profile (Likert answers pile up at the
    ends of the scale), which would show one archetype as two patterns; they are merged here,
    before quality is measured, so the gate judges the patterns reported.
    """
    best = nearest_archetypes(model.means_, columns, archetypes)
    first: dict[str, int] = {}
    merged = np.arange(len(best))
    for component, archetype in enumerate(best):
        if archetype is not None:
            merged[component] = first.setdefault(archetype, component)
    return np.unique(merged, return_inverse=True)[1]


def _quality(
    sample: np.ndarray,
    reference: np.ndarray,
    k: int,
    covariance: str,
    seed: int,
    rng: np.random.Generator,
    columns: list[str],
    archetypes: Sequence[Archetype],
    bootstraps: int,
) -> tuple[float | None, float | None]:
    """Silhouette on <= 3,000 sample rows; mean ARI of B bootstrap refits predicting the sample.

    Each refit's components are merged by archetype as the reference's were.
    """
    from sklearn.metrics import adjusted_rand_score, silhouette_score

    if len(np.unique(reference)) == 1:
        return None, None
    silhouette = None
    rows = rng.choice(len(sample), min(len(sample), SILHOUETTE_SAMPLE), replace=False)
    if 1 < len(np.unique(reference[rows])) < len(rows):
        silhouette = float(silhouette_score(sample[rows], reference[rows]))
    agreement = []
    for b in range(bootstraps):
        draw = rng.integers(0, len(sample), len(sample))
        refit = _fit(sample[draw], k, seed + b + 1, covariance, n_init=1)
        merged = _merge_map(refit, columns, archetypes)[refit.predict(sample)]
        agreement.append(adjusted_rand_score(reference, merged))
    return silhouette, float(np.mean(agreement)) if agreement else None


def _describe(
    frame: pd.DataFrame,
    scores: pd.DataFrame,
    z: np.ndarray,
    ranked: np.ndarray,
    ids: list[str],
    gate: segmentation_gate.Gate,
    archetypes: Sequence[Archetype],
    titles: Mapping[str, Mapping[str, str]],
) -> tuple[tuple[Pattern, ...], pd.Series]:
    """Centroids of the patterns p1.. (largest first), archetype matches and labels.

    A pattern matches an archetype by its profile relative to everyone (cosine) and only if
    its raw means agree with the archetype's direction on the 1-5 scale.
    """
    labels = pd.Series(pd.Categorical(np.asarray(ids)[ranked], categories=ids), index=frame.index)
    sizes = np.bincount(ranked, minlength=len(ids))
    columns = list(frame.columns)
    centroids_z = np.array([z[ranked == c].mean(axis=0) for c in range(len(ids))])
    raw_means = scores.loc[frame.index, columns].groupby(labels, observed=False).mean()
    raw = [{c: float(raw_means.loc[i, c]) for c in columns} for i in ids]
    matches = match(centroids_z, columns, archetypes, raw)
    by_id = {archetype.id: archetype for archetype in archetypes}
    patterns = []
    for row, pattern_id in enumerate(ids):
        archetype_id, similarity = matches[row]
        if archetype_id is not None:
            label = dict(by_id[archetype_id].label)
        else:
            label = descriptive_label(centroids_z[row], columns, titles, raw[row])
        patterns.append(
            Pattern(
                id=pattern_id,
                size=int(sizes[row]),
                share=float(sizes[row] / len(ranked)),
                centroid_z=dict(zip(columns, map(float, centroids_z[row]), strict=True)),
                centroid_raw=raw[row],
                archetype=archetype_id,
                similarity=similarity,
                label=label,
                avepp=gate.avepp.get(pattern_id),
                defining={s.scale: s.d for s in gate.defining.get(pattern_id, ())},
            )
        )
    return tuple(patterns), labels


def pattern_shares(
    labels: pd.Series, groups: pd.Series, organisation: str | None = "organisation"
) -> pd.DataFrame:
    """Share of each pattern among the labelled respondents of each group (rows sum to 1).

    In: `labels` (response_id -> pattern id, as in PatternResult.labels) and `groups`
    (response_id -> group key, e.g. unit). Out: one row per group, and first a row named
    `organisation` for all labelled respondents (unless None); columns = pattern ids.
    Respondents without a label (too few concern answers) count in no denominator.
    """
    if isinstance(labels.dtype, pd.CategoricalDtype):
        ids = list(labels.cat.categories)
    else:
        ids = sorted(labels.dropna().unique(), key=lambda v: (len(str(v)), str(v)))
    data = pd.DataFrame({"group": groups.reindex(labels.index), "pattern": labels.astype(object)})
    counts = (
        data.dropna()
        .groupby(["group", "pattern"], observed=True)
        .size()
        .unstack(fill_value=0)
        .reindex(columns=ids, fill_value=0)
    )
    if organisation is not None:
        total = counts.sum(axis=0).to_frame(organisation).T
        counts = pd.concat([total, counts])
    totals = counts.sum(axis=1)
    return counts.div(totals.where(totals > 0), axis=0).fillna(0.0)
