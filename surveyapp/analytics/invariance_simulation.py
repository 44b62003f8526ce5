"""Seeded answers of a three-item scale in several groups, drawn from a known one-factor
model, for calibrating the invariance check: invariant groups, a shifted intercept, a changed
loading. Used by benchmarks/calibrate_invariance.py and the tests; never by the analysis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from surveyapp.analytics import invariance, mgcfa

LOADINGS = (0.8, 0.7, 0.6)  # raw points per SD of the factor
INTERCEPTS = (3.4, 3.3, 3.5)
UNIQUE = (0.45, 0.55, 0.65)  # unique variances (raw points squared)
# Real differences that invariance must not mistake for bias: the second group sits 0.3 SD
# higher on the factor with 1.2 times its variance, a third 0.3 SD lower.
FACTOR_MEANS = (0.0, 0.3, -0.3)
FACTOR_VARIANCES = (1.0, 1.2, 0.9)


@dataclass(frozen=True)
class Scenario:
    """Groups of these sizes; the last group's item `item` has its intercept moved by
    `intercept_shift` raw points and its loading multiplied by `loading_ratio`. `points`
    rounds answers onto a 1..points scale (None: continuous)."""

    sizes: Sequence[int]
    intercept_shift: float = 0.0
    loading_ratio: float = 1.0
    item: int = 2
    points: int | None = 5

    @property
    def label(self) -> str:
        if self.intercept_shift:
            return f"intercept of item {self.item + 1} {self.intercept_shift:+.2f} in one group"
        if self.loading_ratio != 1.0:
            return f"loading of item {self.item + 1} x {self.loading_ratio:g} in one group"
        return "invariant"


def simulate(scenario: Scenario, seed: int) -> list[np.ndarray]:
    """Each group's (respondents x 3) answers under the scenario's model."""
    rng = np.random.default_rng(seed)
    groups = []
    for g, size in enumerate(scenario.sizes):
        loadings, intercepts = np.array(LOADINGS), np.array(INTERCEPTS)
        if g == len(scenario.sizes) - 1 and g > 0:
            loadings[scenario.item] *= scenario.loading_ratio
            intercepts[scenario.item] += scenario.intercept_shift
        factor = FACTOR_MEANS[g % 3] + np.sqrt(FACTOR_VARIANCES[g % 3]) * rng.standard_normal(size)
        noise = rng.standard_normal((size, len(LOADINGS))) * np.sqrt(UNIQUE)
        answers = intercepts + np.outer(factor, loadings) + noise
        if scenario.points is not None:
            answers = np.clip(np.rint(answers), 1, scenario.points)
        groups.append(answers)
    return groups


def check(scenario: Scenario, seed: int) -> invariance.ScaleInvariance:
    """The invariance verdict on one seeded draw of the scenario."""
    moments = [mgcfa.group_moments(f"g{g}", a) for g, a in enumerate(simulate(scenario, seed))]
    return invariance.check_invariance("simulated", "group", moments)
