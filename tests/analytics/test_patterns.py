"""Resistance patterns: planted archetypes are found, one population is not split, labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from surveyapp.analytics.library import Archetype, load_patterns
from surveyapp.analytics.pattern_names import AVERAGE_LABEL, descriptive_label, match
from surveyapp.analytics.patterns import PatternResult, _usable, find_patterns, pattern_shares
from surveyapp.analytics.simulation import CONSTRUCTS
from surveyapp.errors import InputError
from tests.harness import REPO_DIR

COLUMNS = [f"ai-concerns.{name}" for name in CONSTRUCTS]
PLANTED = ("champions", "job_security_anxious", "trust_and_ethics_concerned")
MIXTURE = {  # unit -> share of each planted archetype, in PLANTED order
    "u1": (0.6, 0.2, 0.2),
    "u2": (0.2, 0.6, 0.2),
    "u3": (0.2, 0.2, 0.6),
    "u4": (0.4, 0.3, 0.3),
}
PER_UNIT = 750


@pytest.fixture(scope="module")
def archetypes() -> tuple[Archetype, ...]:
    return load_patterns(REPO_DIR / "instruments" / "patterns.yaml", CONSTRUCTS)


def planted_data(archetypes: tuple[Archetype, ...], seed: int = 1):
    """3,000 respondents: raw = 3 + 1.2 * signature + N(0, 0.5), rounded to quarters, 5% NaN.

    Each unit holds exactly its MIXTURE counts, so the planted shares are known exactly.
    """
    by_id = {archetype.id: archetype for archetype in archetypes}
    profiles = np.array([[by_id[p].signature.get(c, 0.0) for c in CONSTRUCTS] for p in PLANTED])
    rng = np.random.default_rng(seed)
    truth = np.concatenate(
        [
            np.repeat([0, 1, 2], np.round(np.array(mix) * PER_UNIT).astype(int))
            for mix in MIXTURE.values()
        ]
    )
    units = np.repeat(list(MIXTURE), PER_UNIT)
    raw = 3 + 1.2 * profiles[truth] + rng.normal(0, 0.5, (len(truth), len(CONSTRUCTS)))
    raw = np.clip(np.round(raw * 4) / 4, 1, 5)
    raw[rng.random(raw.shape) < 0.05] = np.nan
    index = pd.Index([f"r{i:05d}" for i in range(len(truth))], name="response_id")
    return (
        pd.DataFrame(raw, index=index, columns=COLUMNS),
        pd.Series(truth, index=index),
        pd.Series(units, index=index),
    )


@pytest.fixture(scope="module")
def planted(archetypes):
    scores, truth, units = planted_data(archetypes)
    return scores, truth, units, find_patterns(scores, archetypes, seed=7)


def test_planted_archetypes_are_recovered(planted) -> None:
    _, truth, _, result = planted
    assert result.k == 3
    assert result.distinct
    assert result.gate.entropy >= 0.80 and min(result.gate.avepp.values()) >= 0.80
    assert result.stability_ari >= 0.75
    assert min(result.bic, key=result.bic.get) == 3 and result.covariance in ("diag", "tied")
    assert adjusted_rand_score(truth[result.labels.index], result.labels) >= 0.8
    found = pd.crosstab(truth[result.labels.index], result.labels).idxmax(axis=1)
    by_pattern = {pattern.id: pattern for pattern in result.patterns}
    for planted_index, name in enumerate(PLANTED):
        pattern = by_pattern[found[planted_index]]
        assert pattern.archetype == name
        assert pattern.similarity >= 0.70
    # ids ordered by size, shares of everyone analysed
    sizes = [pattern.size for pattern in result.patterns]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == result.n == len(result.labels)
    assert sum(pattern.share for pattern in result.patterns) == pytest.approx(1.0)


def test_unit_shares_match_the_planted_mixture(planted) -> None:
    _, truth, units, result = planted
    shares = pattern_shares(result.labels, units)
    to_planted = pd.crosstab(result.labels, truth[result.labels.index]).idxmax(axis=1)
    for unit, mix in MIXTURE.items():
        for pattern_id, planted_index in to_planted.items():
            assert shares.loc[unit, pattern_id] == pytest.approx(mix[planted_index], abs=0.05)
    assert shares.loc["organisation"].sum() == pytest.approx(1.0)


def test_centroids_in_raw_and_z_units(planted) -> None:
    scores, _, _, result = planted
    champions = next(p for p in result.patterns if p.archetype == "champions")
    members = result.labels.index[result.labels == champions.id]
    column = "ai-concerns.perceived_value"
    assert champions.centroid_raw[column] == pytest.approx(scores.loc[members, column].mean())
    assert champions.centroid_z[column] > 0.5
    assert champions.label == {"en": "Champions", "es": "Impulsores"}


def test_one_population_has_no_distinct_patterns(archetypes) -> None:
    rng = np.random.default_rng(5)
    correlation = np.full((8, 8), 0.45) + 0.55 * np.eye(8)
    raw = 3.2 + 0.7 * rng.multivariate_normal(np.zeros(8), correlation, size=3000)
    scores = pd.DataFrame(np.clip(np.round(raw * 4) / 4, 1, 5), columns=COLUMNS)
    result = find_patterns(scores, archetypes, seed=0)
    assert not result.distinct
    assert result.reason == "no distinct patterns: the best model (lowest ICL) has a single pattern"


def test_same_seed_same_result(archetypes, planted) -> None:
    scores, _, _, first = planted
    second = find_patterns(scores, archetypes, seed=7)
    assert second.labels.equals(first.labels)
    assert second.patterns == first.patterns
    assert (second.silhouette, second.stability_ari, second.bic) == (
        first.silhouette,
        first.stability_ari,
        first.bic,
    )


def test_too_few_respondents_gives_a_reason(archetypes) -> None:
    scores = pd.DataFrame(np.full((40, 8), 3.0), columns=COLUMNS)
    result = find_patterns(scores, archetypes)
    assert isinstance(result, PatternResult)
    assert (result.k, result.distinct, result.patterns, len(result.labels)) == (0, False, (), 0)
    assert result.reason == "too few respondents to detect patterns: 500 needed (40 analysed)"


def test_usable_keeps_two_thirds_and_fills_with_means() -> None:
    # 3 scales: ceil(2/3 * 3) = 2 needed. Row c has 1 -> dropped. Over the kept rows a, b the
    # mean of x is a's 1.0 alone, which fills b's gap.
    scores = pd.DataFrame(
        {"x": [1.0, np.nan, 3.0], "y": [2.0, 4.0, np.nan], "z": [5.0, 4.0, np.nan]},
        index=["a", "b", "c"],
    )
    kept = _usable(scores)
    assert list(kept.index) == ["a", "b"]
    assert kept.loc["b", "x"] == 1.0
    assert not kept.isna().any().any()


def test_match_is_one_to_one_and_skips_the_average() -> None:
    library = [
        Archetype("low_trust", {}, {}, {"trust_output": -1.0}, ()),
        Archetype("low_time", {}, {}, {"workload": -1.0}, ()),
    ]
    columns = ["c.trust_output", "c.workload", "c.autonomy"]
    centroids = np.array(
        [
            [-1.0, 0.0, 0.0],  # cosine with low_trust = 1.0
            [-0.9, -0.2, 0.3],  # cosine = 0.9 / sqrt(0.81 + 0.04 + 0.09) = 0.928
            [0.1, -0.2, 0.1],  # every |z| < 0.30: close to average, never matched
        ]
    )
    matches = match(centroids, columns, library)
    assert matches[0] == ("low_trust", pytest.approx(1.0))
    assert matches[1] == (None, pytest.approx(0.9 / np.sqrt(0.94)))
    assert matches[2] == (None, None)


def test_descriptive_labels() -> None:
    columns = ["c.trust_output", "c.workload", "c.autonomy"]
    titles = {
        "c.trust_output": {"en": "Trust in AI output", "es": "Confianza en los resultados"},
        "c.workload": {"en": "Time and capacity to learn", "es": "Tiempo para aprender"},
    }
    label = descriptive_label(np.array([-1.2, -0.6, 0.4]), columns, titles)
    assert label == {
        "en": "Low trust in AI output, low time and capacity to learn",
        "es": "Nivel bajo de confianza en los resultados, nivel bajo de tiempo para aprender",
    }
    assert descriptive_label(np.array([0.1, 0.0, 0.5]), columns, {})["en"] == "High autonomy"
    assert descriptive_label(np.array([0.1, -0.2, 0.0]), columns, {}) == AVERAGE_LABEL


def test_pattern_shares_by_hand() -> None:
    # unit a: p1, p1, p2 -> 2/3, 1/3; unit b: p2 -> 0, 1; organisation: 2/4, 2/4.
    # Respondent e has no label and counts nowhere.
    labels = pd.Series(
        pd.Categorical(["p1", "p1", "p2", "p2"], categories=["p1", "p2", "p3"]),
        index=["a1", "a2", "a3", "b1"],
    )
    groups = pd.Series(["a", "a", "a", "b", "b"], index=["a1", "a2", "a3", "b1", "e"])
    shares = pattern_shares(labels, groups)
    assert list(shares.columns) == ["p1", "p2", "p3"]
    assert shares.loc["a"].tolist() == pytest.approx([2 / 3, 1 / 3, 0.0])
    assert shares.loc["b"].tolist() == pytest.approx([0.0, 1.0, 0.0])
    assert shares.loc["organisation"].tolist() == pytest.approx([0.5, 0.5, 0.0])
    assert "organisation" not in pattern_shares(labels, groups, organisation=None).index


ARCHETYPE = """
  - id: {id}
    label: {{en: "A", es: "A"}}
    description: {{en: "A", es: "A"}}
    signature: {signature}
"""


def write_library(tmp_path, *entries: str):
    path = tmp_path / "patterns.yaml"
    path.write_text("archetypes:" + "".join(entries), encoding="utf-8")
    return path


def test_shipped_library_signatures_are_distinct(archetypes) -> None:
    assert {"champions", "overloaded", "unsupported", "value_sceptics"} <= {
        a.id for a in archetypes
    }
    for first in archetypes:
        for second in archetypes:
            if first is not second:
                similarity = match(
                    np.array([[first.signature.get(c, 0.0) for c in CONSTRUCTS]]),
                    COLUMNS,
                    [second],
                )[0][1]
                assert similarity < 0.6


def test_library_errors_name_file_and_entry(tmp_path) -> None:
    path = write_library(
        tmp_path,
        ARCHETYPE.format(id="fine", signature="{workload: -1.0}"),
        ARCHETYPE.format(id="typo", signature="{worklod: -1.0, trust_output: high}"),
        ARCHETYPE.format(id="fine", signature="{autonomy: 0}").replace('es: "A"}', "}", 1),
    )
    with pytest.raises(InputError) as error:
        load_patterns(path, CONSTRUCTS)
    lines = str(error.value).splitlines()
    assert lines[0] == "5 problems, nothing was changed:"
    assert lines[1].startswith(f"{path}: archetypes[1](typo).signature.worklod: unknown construct")
    assert lines[2:] == [
        f"{path}: archetypes[1](typo).signature.trust_output: weight 'high' is not a number",
        f"{path}: archetypes[2](fine).id: duplicate id 'fine'",
        f"{path}: archetypes[2](fine).label: missing the 'es' translation",
        f"{path}: archetypes[2](fine).signature.autonomy: weight must be non-zero and within ±2.0",
    ]


def test_library_rejects_look_alike_archetypes(tmp_path) -> None:
    # cosine([-1, -0.2], [-1, 0]) = 1 / sqrt(1.04) = 0.98 >= 0.70
    path = write_library(
        tmp_path,
        ARCHETYPE.format(id="busy", signature="{workload: -1.0}"),
        ARCHETYPE.format(id="swamped", signature="{workload: -1.0, autonomy: -0.2}"),
    )
    with pytest.raises(InputError, match=r"archetypes\(busy, swamped\).signature: signatures too"):
        load_patterns(path)


def test_library_file_must_hold_a_list(tmp_path) -> None:
    path = tmp_path / "patterns.yaml"
    path.write_text("archetypes: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"patterns\.yaml: archetypes: must be a non-empty list"):
        load_patterns(path)
    path.write_text("archetypes: [\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"patterns\.yaml: not valid YAML"):
        load_patterns(path)
