"""Names of resistance patterns: archetype matching on the relative profile, checked against
the absolute one, or a descriptive label from the most distinctive constructs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from surveyapp.analytics.library import Archetype

MATCH_SIMILARITY = 0.70  # cosine between centroid and archetype signature to claim a match
NEAR_AVERAGE_Z = 0.30  # centroid within ±0.30 SD on every construct: "close to the average"
LABEL_CONSTRUCTS = 2  # constructs named in a descriptive label
# Absolute reading of a raw mean on a 1..points scale (midpoint m = (1 + points) / 2):
# favourable at m + 0.5 or above (the agree side, the margin drivers use), unfavourable at m or
# below (Prosci's barrier rule: 3 or below on 1-5). Between the two a mean is neither.
FAVOURABLE_MARGIN = 0.5
AVERAGE_LABEL = {
    "en": "Close to the organisation average",
    "es": "Cerca de la media de la organización",
}


def construct_of(column: str) -> str:
    """The construct name of a scale key: `ai-concerns.job_security` -> `job_security`."""
    return column.split(".", 1)[-1]


def favourable(raw: float, points: int = 5) -> bool:
    """A raw mean on the agree side of the scale: at least the midpoint + 0.5 (3.5 on 1-5)."""
    return raw >= (1 + points) / 2 + FAVOURABLE_MARGIN


def unfavourable(raw: float, points: int = 5) -> bool:
    """A raw mean at or below the midpoint (3 on 1-5): neutral or worse, as Prosci reads it."""
    return raw <= (1 + points) / 2


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


def nearest_archetypes(
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


def absolutely_fits(
    archetype: Archetype, raw: Mapping[str, float], columns: list[str], points: int = 5
) -> bool:
    """Whether a pattern's raw means sit where the archetype says, not only relative to others.

    The signature-weighted mean of the raw means over the archetype's positive constructs must
    be favourable, and over its negative constructs unfavourable: "Champions" must actually
    agree (3.5 or more on 1-5), "Broadly sceptical" must actually be at 3 or below. Without raw
    means (None) only the relative match counts.
    """
    sides = {True: [0.0, 0.0], False: [0.0, 0.0]}
    for column in columns:
        weight = archetype.signature.get(construct_of(column), 0.0)
        value = raw.get(column)
        if weight == 0 or value is None or np.isnan(value):
            continue
        side = sides[weight > 0]
        side[0] += abs(weight) * value
        side[1] += abs(weight)
    high, low = sides[True], sides[False]
    if high[1] > 0 and not favourable(high[0] / high[1], points):
        return False
    return not (low[1] > 0 and not unfavourable(low[0] / low[1], points))


def match(
    centroids: np.ndarray,
    columns: list[str],
    archetypes: Sequence[Archetype],
    raw: Sequence[Mapping[str, float]] | None = None,
) -> list[tuple[str | None, float | None]]:
    """One-to-one matching of centroids to archetypes by cosine similarity (Hungarian method).

    Signatures are vectors over all cluster scales (an omitted construct weighs 0). A pattern
    near the average on every construct is never matched, nor one whose raw means (`raw`, one
    mapping per centroid) contradict the archetype (`absolutely_fits`). Each archetype is
    claimed by at most one pattern: the assignment maximising the total similarity over pairs
    >= 0.70, so of two patterns close to the same archetype the closer one gets it and the
    other keeps a descriptive label.
    """
    from scipy.optimize import linear_sum_assignment

    result: list[tuple[str | None, float | None]] = [(None, None)] * len(centroids)
    library, similarity, far = _similarities(centroids, columns, archetypes)
    if not library:
        return result
    for row in np.flatnonzero(far):
        result[row] = (None, float(similarity[row].max()))
    allowed = (similarity >= MATCH_SIMILARITY) & far[:, None]
    if raw is not None:
        fits = [[absolutely_fits(a, raw[row], columns) for a in library] for row in range(len(raw))]
        allowed &= np.array(fits, dtype=bool)
    gain = np.where(allowed, similarity, 0.0)
    for row, col in zip(*linear_sum_assignment(-gain), strict=True):
        if gain[row, col] > 0:
            result[row] = (library[col].id, float(similarity[row, col]))
    return result


def descriptive_label(
    centroid: np.ndarray,
    columns: list[str],
    titles: Mapping[str, Mapping[str, str]],
    raw: Mapping[str, float] | None = None,
    points: int = 5,
) -> dict[str, str]:
    """`Low <scale>, high <scale>` from the most distinctive constructs (|z| >= 0.30).

    "Low" and "high" are said only when the raw mean agrees (unfavourable, favourable); a
    pattern that is only below or above the others is "below-average" / "above-average".
    Without raw means the relative words are used.
    """
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
        value = None if raw is None else raw.get(columns[i])
        absolute = value is None or (
            unfavourable(value, points) if low else favourable(value, points)
        )
        if absolute:
            en_word, es_word = ("low", "bajo") if low else ("high", "alto")
        else:
            en_word, es_word = (
                ("below-average", "inferior a la media")
                if low
                else (
                    "above-average",
                    "superior a la media",
                )
            )
        english.append(f"{en_word} {_lower_first(names.get('en', fallback))}")
        spanish.append(f"nivel {es_word} de {_lower_first(names.get('es', fallback))}")
    return {"en": _upper_first(", ".join(english)), "es": _upper_first(", ".join(spanish))}


def _lower_first(text: str) -> str:
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
