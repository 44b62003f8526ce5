"""Resistance patterns: Gaussian-mixture segments of the concern scales, matched to archetypes."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from surveyapp.analytics.library import Archetype

if TYPE_CHECKING:
    from sklearn.mixture import GaussianMixture

MIN_RESPONDENTS = 100  # fewer usable respondents: no segmentation at all
MIN_PRESENT_SHARE = 2 / 3  # a respondent needs scores on at least 2/3 of the cluster scales
MAX_K = 8
RESPONDENTS_PER_COMPONENT = 50  # k is tried up to min(MAX_K, n // 50)
SELECTION_SAMPLE = 20_000  # rows on which k is chosen and stability is measured
SILHOUETTE_SAMPLE = 3_000  # silhouette is quadratic in rows
BOOTSTRAPS = 5
N_INIT = 2
REG_COVAR = 1e-3  # variance floor (z units squared) so discrete Likert means cannot collapse
MIN_SILHOUETTE = 0.25  # Kaufman & Rousseeuw (1990): below 0.25 "no substantial structure"
MIN_STABILITY = 0.75  # mean bootstrap adjusted Rand index; commonly read as "stable" clusters
MATCH_SIMILARITY = 0.70  # cosine between centroid and archetype signature to claim a match
NEAR_AVERAGE_Z = 0.30  # centroid within ±0.30 SD on every construct: "close to the average"
LABEL_CONSTRUCTS = 2  # constructs named in a descriptive label
AVERAGE_LABEL = {
    "en": "Close to the organisation average",
    "es": "Cerca de la media de la organización",
}


@dataclass(frozen=True)
class Pattern:
    """One segment: size, centroid (per scale key, in z units and raw means) and its label.

    `archetype` is the matched library archetype id or None; `similarity` is the cosine to the
    matched archetype, or for an unmatched pattern to the nearest one (None when near average).
    """

    id: str
    size: int
    share: float
    centroid_z: Mapping[str, float]
    centroid_raw: Mapping[str, float]
    archetype: str | None
    similarity: float | None
    label: Mapping[str, str]


@dataclass(frozen=True)
class PatternResult:
    """The segmentation of one campaign; `labels` maps response_id to pattern id."""

    distinct: bool
    k: int
    n: int
    silhouette: float | None
    stability_ari: float | None
    bic: Mapping[int, float]
    patterns: tuple[Pattern, ...]
    labels: pd.Series
    reason: str | None = None


def construct_of(column: str) -> str:
    """The construct name of a scale key: `ai-concerns.job_security` -> `job_security`."""
    return column.split(".", 1)[-1]


def _fit(
    data: np.ndarray, k: int, seed: int, n_init: int = N_INIT, start: GaussianMixture | None = None
) -> GaussianMixture:
    """Fit a full-covariance mixture; `start` warm-starts from another fit's parameters."""
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
        covariance_type="full",
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


def _empty(n: int, reason: str, index: pd.Index) -> PatternResult:
    labels = pd.Series(pd.Categorical([], categories=[]), index=index[:0], dtype="category")
    return PatternResult(False, 0, n, None, None, {}, (), labels, reason)


def find_patterns(
    scores: pd.DataFrame,
    archetypes: Sequence[Archetype],
    seed: int = 0,
    titles: Mapping[str, Mapping[str, str]] | None = None,
) -> PatternResult:
    """Segment respondents on the cluster scales and label each segment.

    In: per-respondent scale scores (columns = scale keys, 1..5, high = favourable, NaN allowed),
    the archetype library, a seed, optional scale titles (key -> locale -> title).
    Method: z-standardise over the campaign; full-covariance Gaussian mixtures for k = 1..8 on a
    subsample, k by lowest BIC (k = 1: no distinct patterns); refit the chosen k on everyone and
    label with predict; components nearest to the same archetype are merged into one pattern.
    Quality: silhouette (Kaufman & Rousseeuw) on <= 3,000 rows; stability =
    mean adjusted Rand index between the labels and those of B bootstrap refits.
    `distinct` = k > 1, silhouette >= 0.25 and stability >= 0.75. Deterministic under `seed`.
    """
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    frame = _usable(scores)
    n = len(frame)
    if frame.shape[1] < 2 or n < MIN_RESPONDENTS:
        reason = f"{n} respondents with enough concern scores; at least {MIN_RESPONDENTS} needed"
        return _empty(n, reason, scores.index)
    values = frame.to_numpy(dtype=float)
    spread = values.std(axis=0)
    z = (values - values.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    rng = np.random.default_rng(seed)
    sample = z[np.sort(rng.choice(n, min(n, SELECTION_SAMPLE), replace=False))]
    k_max = max(1, min(MAX_K, n // RESPONDENTS_PER_COMPONENT))
    # One BLAS/OpenMP thread: faster for these small matrices on 2 cores, and reproducible.
    # An EM run that stops at max_iter is still a usable fit; its warning is not an error here.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        models = {k: _fit(sample, k, seed) for k in range(1, k_max + 1)}
        bic = {k: float(model.bic(sample)) for k, model in models.items()}
        k = min(bic, key=bic.__getitem__)
        model = models[k] if len(sample) == n else _fit(z, k, seed, start=models[k])
        merge = _merge_map(model, list(frame.columns), archetypes)
        components = merge[model.predict(z)]
        silhouette, stability = _quality(
            sample, merge[model.predict(sample)], k, seed, rng, list(frame.columns), archetypes
        )
    patterns, labels = _describe(frame, scores, z, components, archetypes, titles or {})
    distinct = (
        len(patterns) > 1
        and silhouette is not None
        and silhouette >= MIN_SILHOUETTE
        and stability is not None
        and stability >= MIN_STABILITY
    )
    return PatternResult(distinct, len(patterns), n, silhouette, stability, bic, patterns, labels)


def _merge_map(
    model: GaussianMixture, columns: list[str], archetypes: Sequence[Archetype]
) -> np.ndarray:
    """Map mixture components to patterns: components closest to the same archetype are one.

    A mixture often spends two Gaussians on one skewed profile (Likert answers pile up at the
    ends of the scale), which would show one archetype as two patterns; they are merged here,
    before quality is measured, so silhouette and stability judge the patterns reported.
    """
    best = _nearest_archetypes(model.means_, columns, archetypes)
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
    seed: int,
    rng: np.random.Generator,
    columns: list[str],
    archetypes: Sequence[Archetype],
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
    for b in range(BOOTSTRAPS):
        draw = rng.integers(0, len(sample), len(sample))
        refit = _fit(sample[draw], k, seed + b + 1, n_init=1)
        merged = _merge_map(refit, columns, archetypes)[refit.predict(sample)]
        agreement.append(adjusted_rand_score(reference, merged))
    return silhouette, float(np.mean(agreement))


def _describe(
    frame: pd.DataFrame,
    scores: pd.DataFrame,
    z: np.ndarray,
    components: np.ndarray,
    archetypes: Sequence[Archetype],
    titles: Mapping[str, Mapping[str, str]],
) -> tuple[tuple[Pattern, ...], pd.Series]:
    """Order components by size into p1.., compute centroids, match archetypes, build labels."""
    sizes = np.bincount(components)
    order = [c for c in np.argsort(-sizes, kind="stable") if sizes[c] > 0]
    ids = [f"p{rank + 1}" for rank in range(len(order))]
    rename = dict(zip(order, ids, strict=True))
    labels = pd.Series(
        pd.Categorical([rename[c] for c in components], categories=ids), index=frame.index
    )
    columns = list(frame.columns)
    centroids_z = np.array([z[components == c].mean(axis=0) for c in order])
    raw_means = scores.loc[frame.index, columns].groupby(labels, observed=False).mean()
    matches = _match(centroids_z, columns, archetypes)
    by_id = {archetype.id: archetype for archetype in archetypes}
    patterns = []
    for row, component in enumerate(order):
        archetype_id, similarity = matches[row]
        if archetype_id is not None:
            label = dict(by_id[archetype_id].label)
        else:
            label = _descriptive_label(centroids_z[row], columns, titles)
        patterns.append(
            Pattern(
                id=ids[row],
                size=int(sizes[component]),
                share=float(sizes[component] / len(components)),
                centroid_z=dict(zip(columns, map(float, centroids_z[row]), strict=True)),
                centroid_raw={c: float(raw_means.loc[ids[row], c]) for c in columns},
                archetype=archetype_id,
                similarity=similarity,
                label=label,
            )
        )
    return tuple(patterns), labels


def _similarities(
    centroids: np.ndarray, columns: list[str], archetypes: Sequence[Archetype]
) -> tuple[list[Archetype], np.ndarray, np.ndarray]:
    """The archetypes that speak of these constructs, the cosine of every centroid to each,
    and which centroids are far enough from the average to be matched at all."""
    names = [construct_of(column) for column in columns]
    library = [a for a in archetypes if any(name in a.signature for name in names)]
    if not library:
        return [], np.zeros((len(centroids), 0)), np.zeros(len(centroids), dtype=bool)
    signatures = np.array([[a.signature.get(name, 0.0) for name in names] for a in library])
    signatures /= np.linalg.norm(signatures, axis=1, keepdims=True)
    far = np.abs(centroids).max(axis=1) >= NEAR_AVERAGE_Z
    lengths = np.linalg.norm(centroids, axis=1, keepdims=True)
    similarity = (centroids / np.where(lengths > 0, lengths, 1.0)) @ signatures.T
    return library, similarity, far


def _nearest_archetypes(
    centroids: np.ndarray, columns: list[str], archetypes: Sequence[Archetype]
) -> list[str | None]:
    """Each centroid's most similar archetype when the similarity reaches 0.70, else None."""
    library, similarity, far = _similarities(centroids, columns, archetypes)
    if not library:
        return [None] * len(centroids)
    best = similarity.argmax(axis=1)
    return [
        library[best[row]].id
        if far[row] and similarity[row, best[row]] >= MATCH_SIMILARITY
        else None
        for row in range(len(centroids))
    ]


def _match(
    centroids: np.ndarray, columns: list[str], archetypes: Sequence[Archetype]
) -> list[tuple[str | None, float | None]]:
    """One-to-one matching of centroids to archetypes by cosine similarity (Hungarian method).

    Signatures are vectors over all cluster scales (an omitted construct weighs 0). A pattern
    near the average on every construct is never matched. Each archetype is claimed by at most
    one pattern: the assignment maximising the total similarity over pairs >= 0.70, so of two
    patterns close to the same archetype the closer one gets it and the other keeps a
    descriptive label.
    """
    from scipy.optimize import linear_sum_assignment

    result: list[tuple[str | None, float | None]] = [(None, None)] * len(centroids)
    library, similarity, far = _similarities(centroids, columns, archetypes)
    if not library:
        return result
    for row in np.flatnonzero(far):
        result[row] = (None, float(similarity[row].max()))
    gain = np.where((similarity >= MATCH_SIMILARITY) & far[:, None], similarity, 0.0)
    for row, col in zip(*linear_sum_assignment(-gain), strict=True):
        if gain[row, col] > 0:
            result[row] = (library[col].id, float(similarity[row, col]))
    return result


def _descriptive_label(
    centroid: np.ndarray, columns: list[str], titles: Mapping[str, Mapping[str, str]]
) -> dict[str, str]:
    """`Low <scale>, high <scale>` from the most distinctive constructs (|z| >= 0.30)."""
    ranked = [
        i
        for i in np.argsort(-np.abs(centroid), kind="stable")
        if abs(centroid[i]) >= NEAR_AVERAGE_Z
    ]
    if not ranked:
        return dict(AVERAGE_LABEL)
    english, spanish = [], []
    for i in ranked[:LABEL_CONSTRUCTS]:
        fallback = construct_of(columns[i]).replace("_", " ")
        names = titles.get(columns[i], {})
        low = centroid[i] < 0
        english.append(f"{'low' if low else 'high'} {_lower_first(names.get('en', fallback))}")
        spanish.append(
            f"nivel {'bajo' if low else 'alto'} de {_lower_first(names.get('es', fallback))}"
        )
    return {"en": _upper_first(", ".join(english)), "es": _upper_first(", ".join(spanish))}


def _lower_first(text: str) -> str:
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


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
