"""The segmentation gate: its statistics by hand, and the seeded calibration cases of the docs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from surveyapp.analytics import segmentation_gate as gate
from surveyapp.analytics.library import Archetype, load_patterns
from surveyapp.analytics.pattern_names import absolutely_fits, descriptive_label, match
from surveyapp.analytics.simulation import (
    CONSTRUCTS,
    REFERENCE_SCENARIOS,
    TABLE_HEADER,
    Scenario,
    run,
    table_row,
)
from tests.harness import REPO_DIR


@pytest.fixture(scope="module")
def archetypes() -> tuple[Archetype, ...]:
    return load_patterns(REPO_DIR / "instruments" / "patterns.yaml", CONSTRUCTS)


@pytest.fixture(scope="module")
def reference(archetypes):
    """Every reference case of docs/analysis.md at seed 0: scenario -> (result, truth)."""
    return {scenario: run(scenario, archetypes) for scenario in REFERENCE_SCENARIOS}


def test_relative_entropy_and_average_posteriors_by_hand() -> None:
    # Row 1 certain, row 2 a coin toss: sum p ln p = 0 + 2 * 0.5 ln 0.5 = -ln 2;
    # entropy = 1 - ln 2 / (2 ln 2) = 0.5. Both rows go to pattern 0: AvePP = (1 + .5) / 2.
    posteriors = np.array([[1.0, 0.0], [0.5, 0.5]])
    assert gate.relative_entropy(posteriors) == pytest.approx(0.5)
    avepp = gate.average_posteriors(posteriors, np.array([0, 0]))
    assert avepp[0] == pytest.approx(0.75) and math.isnan(avepp[1])
    assert gate.relative_entropy(np.ones((3, 1))) == 1.0


def test_separation_is_cohens_d_against_everyone_else() -> None:
    # Scale a: pattern 0 = [0, 2] (mean 1, var 2), rest = [4, 6] (mean 5, var 2): d = -4/sqrt 2.
    # Scale b: identical in both: d = 0, not defining.
    z = np.array([[0.0, 1.0], [2.0, 2.0], [4.0, 1.0], [6.0, 2.0]])
    first, second = gate.separations(z, np.array([0, 0, 1, 1]), ["a", "b"])
    assert first == (gate.Separation("a", pytest.approx(-4 / math.sqrt(2))),)
    assert second[0].d == pytest.approx(4 / math.sqrt(2))


def test_judge_separates_one_population_from_too_few_respondents() -> None:
    z = np.zeros((600, 2))
    powered = gate.judge(np.ones((600, 1)), np.zeros(600, int), z, ["a", "b"], ["p1"], None)
    assert not powered.distinct and powered.needed is None
    assert powered.reason == gate.SINGLE_PATTERN
    small = gate.judge(np.ones((150, 1)), np.zeros(150, int), z[:150], ["a", "b"], ["p1"], None)
    assert small.needed == 500
    assert small.reason == "too few respondents to detect patterns: 500 needed (150 analysed)"


def test_judge_asks_for_fifty_in_the_smallest_pattern() -> None:
    # 1,000 respondents, certain assignment, 40 in the smallest pattern: 50 * 1000 / 40 = 1,250.
    labels = np.repeat([0, 1], [960, 40])
    posteriors = np.eye(2)[labels]
    z = np.column_stack([labels * 3.0 + np.tile([0.0, 1.0], 500), np.tile([0.0, 1.0], 500)])
    verdict = gate.judge(posteriors, labels, z, ["a", "b"], ["p1", "p2"], 0.95)
    assert verdict.entropy == 1.0 and verdict.avepp == {"p1": 1.0, "p2": 1.0}
    assert (verdict.distinct, verdict.needed) == (False, 1250)


def test_four_planted_patterns_are_distinct_and_recovered(reference) -> None:
    result, truth = reference[Scenario("planted", 2000, 2.0)]
    assert result.distinct and result.reason is None and result.k == 4
    assert adjusted_rand_score(truth, result.labels.astype(str)) >= 0.8
    assert result.gate.entropy >= gate.MIN_ENTROPY
    assert min(result.gate.avepp.values()) >= gate.MIN_AVEPP
    for pattern in result.patterns:
        assert pattern.defining, pattern.id
    shares = sorted((p.share for p in result.patterns), reverse=True)
    assert shares == pytest.approx([0.50, 0.25, 0.15, 0.10], abs=0.03)


@pytest.mark.parametrize("kind", ["uniform", "skewed", "factor"])
def test_single_populations_are_not_distinct(reference, kind) -> None:
    result, _ = reference[Scenario(kind, 1000)]
    assert not result.distinct and result.reason


def test_a_small_sample_gets_the_power_message_not_one_pattern(reference) -> None:
    result, _ = reference[Scenario("planted", 150, 2.0)]
    assert (result.distinct, result.k, result.patterns) == (False, 0, ())
    assert result.reason == "too few respondents to detect patterns: 500 needed (150 analysed)"


def test_distinct_patterns_in_a_small_sample_say_what_may_be_missed() -> None:
    # 300 respondents, two certain halves far apart: distinct, but patterns under 50/300 = 17%
    # cannot be seen.
    labels = np.repeat([0, 1], 150)
    z = np.column_stack([labels * 4.0 + np.tile([0.0, 1.0], 150), np.tile([0.0, 1.0], 150)])
    verdict = gate.judge(np.eye(2)[labels], labels, z, ["a", "b"], ["p1", "p2"], 1.0)
    assert verdict.distinct and verdict.needed == 500
    assert verdict.reason == (
        "too few respondents to detect patterns under 17%: 500 needed (300 analysed)"
    )


def test_docs_calibration_table_matches_the_runs(reference) -> None:
    text = (REPO_DIR / "docs" / "analysis.md").read_text(encoding="utf-8")
    assert TABLE_HEADER in text
    table = text.split(TABLE_HEADER, 1)[1].strip().split("\n\n", 1)[0].splitlines()
    expected = [table_row(s, *reference[s]) for s in REFERENCE_SCENARIOS]
    assert table == expected


def test_archetype_names_need_the_absolute_profile_too() -> None:
    champions = Archetype("champions", {}, {}, {"perceived_value": 1.0, "trust_output": 0.5}, ())
    sceptics = Archetype("broadly_sceptical", {}, {}, {"perceived_value": -1.0}, ())
    columns = ["c.perceived_value", "c.trust_output"]
    # weighted mean of the positive side: (1 * 3.8 + 0.5 * 3.2) / 1.5 = 3.6 >= 3.5: favourable
    assert absolutely_fits(champions, {"c.perceived_value": 3.8, "c.trust_output": 3.2}, columns)
    # (1 * 3.6 + 0.5 * 3.2) / 1.5 = 3.47 < 3.5: above the others, but not favourable
    assert not absolutely_fits(
        champions, {"c.perceived_value": 3.6, "c.trust_output": 3.2}, columns
    )
    assert absolutely_fits(sceptics, {"c.perceived_value": 3.0}, columns)
    assert not absolutely_fits(sceptics, {"c.perceived_value": 3.5}, columns)
    # A centroid pointing at "sceptical" relative to a favourable organisation is not named so.
    centroid = np.array([[-1.0, 0.0]])
    assert match(centroid, columns, [sceptics])[0][0] == "broadly_sceptical"
    raw = [{"c.perceived_value": 3.5, "c.trust_output": 4.0}]
    assert match(centroid, columns, [sceptics], raw) == [(None, pytest.approx(1.0))]
    label = descriptive_label(centroid[0], columns, {}, raw[0])
    assert label["en"] == "Below-average perceived value"
    assert descriptive_label(centroid[0], columns, {}, {"c.perceived_value": 2.5})["en"] == (
        "Low perceived value"
    )


def test_a_favourable_population_is_not_called_sceptical(reference, archetypes) -> None:
    # Issue 20, case 3: one population skewed high (mean 4.2). Whatever the mixture splits off,
    # a pattern carries an archetype's name only where its raw means agree with it.
    result, _ = reference[Scenario("skewed", 1000)]
    by_id = {archetype.id: archetype for archetype in archetypes}
    columns = list(result.patterns[0].centroid_raw)
    named = [p for p in result.patterns if p.archetype is not None]
    for pattern in named:
        assert absolutely_fits(by_id[pattern.archetype], pattern.centroid_raw, columns)
    assert "broadly_sceptical" not in {p.archetype for p in named}
