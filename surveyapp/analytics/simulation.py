"""Seeded synthetic concern-scale scores for calibrating the segmentation gate: planted
patterns at a chosen effect size and mixture, or one population (uniform, skewed, general
factor). Used by benchmarks/calibrate_patterns.py and the tests; never by the analysis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveyapp.analytics.library import Archetype
from surveyapp.analytics.patterns import PatternResult, find_patterns

CONSTRUCTS = (
    "job_security",
    "trust_output",
    "workload",
    "autonomy",
    "fairness_ethics",
    "perceived_value",
    "ease_of_use",
    "leader_support",
)
COLUMNS = tuple(f"ai-concerns.{name}" for name in CONSTRUCTS)
BASELINE = 3.4  # raw mean of every scale where a pattern does not depart
SPREAD = 0.6  # within-pattern SD of a scale score (raw points)
# The scales on which each planted pattern sits lower than the baseline: 2-3 of the 8 each.
DEPARTURES = (
    ("job_security", "autonomy"),
    ("perceived_value", "trust_output"),
    ("workload", "ease_of_use"),
    ("trust_output", "fairness_ethics", "leader_support"),
)
FOUR_PATTERNS = (0.50, 0.25, 0.15, 0.10)
SINGLE_KINDS = ("uniform", "skewed", "factor")


@dataclass(frozen=True)
class Scenario:
    """One calibration case: planted patterns (`mixture` shares, departure `d` in within-pattern
    SDs) when `kind` is "planted", else one population of that kind."""

    kind: str
    n: int
    d: float = 0.0
    mixture: tuple[float, ...] = FOUR_PATTERNS

    @property
    def name(self) -> str:
        if self.kind != "planted":
            return f"one population, {self.kind}"
        shares = "/".join(f"{share:.0%}".rstrip("%") for share in self.mixture)
        return f"{len(self.mixture)} patterns {shares}%, d = {self.d:g}"


def _likert_means(raw: np.ndarray) -> np.ndarray:
    """Scale means as a 4-item scale yields them: quarters, within 1..5."""
    return np.clip(np.round(raw * 4) / 4, 1, 5)


def simulate(scenario: Scenario, seed: int) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Scores (columns COLUMNS) and the planted pattern of each respondent (None for one
    population).

    planted: pattern p sits `d` SDs (d * SPREAD raw points) below BASELINE on DEPARTURES[p],
    each scale adds N(0, SPREAD); counts are the mixture's shares of n exactly.
    uniform: each scale the mean of 4 items drawn uniformly from 1..5.
    skewed: 5.2 - Gamma(2, 0.5) per scale (mean 4.2, a long tail towards disagreement).
    factor: 3.2 + 0.7 N(0, R) with every correlation 0.45 (a general factor).
    """
    rng = np.random.default_rng(seed)
    width = len(CONSTRUCTS)
    truth = None
    if scenario.kind == "planted":
        profiles = np.full((len(scenario.mixture), width), BASELINE)
        for pattern, scales in enumerate(DEPARTURES[: len(scenario.mixture)]):
            for scale in scales:
                profiles[pattern, CONSTRUCTS.index(scale)] -= scenario.d * SPREAD
        counts = _counts(scenario.mixture, scenario.n)
        truth = np.repeat(np.arange(len(counts)), counts)
        raw = profiles[truth] + rng.normal(0, SPREAD, (scenario.n, width))
    elif scenario.kind == "uniform":
        raw = rng.integers(1, 6, (scenario.n, width, 4)).mean(axis=2)
    elif scenario.kind == "skewed":
        raw = 5.2 - rng.gamma(2.0, 0.5, (scenario.n, width))
    elif scenario.kind == "factor":
        correlation = np.full((width, width), 0.45) + 0.55 * np.eye(width)
        raw = 3.2 + 0.7 * rng.multivariate_normal(np.zeros(width), correlation, scenario.n)
    else:
        raise ValueError(f"unknown scenario kind {scenario.kind!r}")
    return pd.DataFrame(_likert_means(raw), columns=list(COLUMNS)), truth


def _counts(mixture: Sequence[float], n: int) -> np.ndarray:
    counts = np.floor(np.asarray(mixture) * n).astype(int)
    counts[0] += n - counts.sum()
    return counts


# The seeded cases whose results docs/analysis.md lists and tests/analytics re-run.
REFERENCE_SCENARIOS = (
    Scenario("planted", 2000, 2.0),
    Scenario("planted", 2000, 1.5),
    Scenario("planted", 2000, 2.5),
    Scenario("planted", 1000, 2.0, (0.25, 0.25, 0.25, 0.25)),
    Scenario("planted", 150, 2.0),
    Scenario("uniform", 1000),
    Scenario("skewed", 1000),
    Scenario("factor", 1000),
)
TABLE_HEADER = (
    "| case | n | covariance | k | entropy | min AvePP | stability | ARI | verdict |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def run(
    scenario: Scenario, archetypes: Sequence[Archetype], seed: int = 0
) -> tuple[PatternResult, np.ndarray | None]:
    """Simulate a case and segment it with the analysis's own settings."""
    scores, truth = simulate(scenario, seed)
    return find_patterns(scores, archetypes, seed=seed), truth


def table_row(scenario: Scenario, result: PatternResult, truth: np.ndarray | None) -> str:
    """One Markdown row of the calibration table: the gate's evidence and verdict for a case."""
    from sklearn.metrics import adjusted_rand_score

    gate = result.gate
    ari = "-"
    if truth is not None and len(result.labels):
        ari = f"{adjusted_rand_score(truth, result.labels.astype(str)):.2f}"
    verdict = "distinct" if result.distinct else "not distinct"
    if gate is not None and gate.needed is not None:
        verdict += f"; too few: {gate.needed:,} needed"
    avepp = min(gate.avepp.values()) if gate is not None and gate.avepp else None
    cells = [
        scenario.name,
        f"{scenario.n:,}",
        result.covariance or "-",
        str(len(gate.avepp) if gate is not None and gate.avepp else result.k),
        _two(gate.entropy if gate is not None else None),
        _two(avepp),
        _two(result.stability_ari),
        ari,
        verdict,
    ]
    return "| " + " | ".join(cells) + " |"


def _two(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
