"""Did an action work? Difference-in-differences of unit means, with a confidence interval.

Units that took an action are compared with comparable units that did not, across the same two
measurements (two survey waves, or an outcome metric before and after the action). Units chose
their actions, so the estimate is evidence, not proof: whatever led a unit to act may also
have moved its figures.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Set
from dataclasses import dataclass

from scipy import stats

DEFAULT_CALIPER = 0.5  # comparable: a starting level within half a point of a unit that acted
MIN_COMPARISON = 2  # fewer comparison units than this leave no estimate

CAVEAT = (
    "Units chose their actions, and were not assigned them at random, so this is evidence, "
    "not proof: whatever led a unit to act may also have moved its figures."
)


@dataclass(frozen=True)
class Effect:
    """The estimate for one action across two measurements.

    `estimate` = mean change of the treated units - mean change of the comparison units,
    with the `level` confidence interval [`low`, `high`]; None (with `reason`) when too few
    units take part. `treated` and `comparison` name the units by code.
    """

    treated: tuple[str, ...]
    comparison: tuple[str, ...]
    treated_change: float | None
    comparison_change: float | None
    estimate: float | None
    low: float | None
    high: float | None
    se: float | None
    df: float | None
    level: float
    reason: str | None = None
    caveat: str = CAVEAT

    @property
    def verdict(self) -> str:
        """`better`, `worse` or `unclear`: whether the interval lies above, below or across 0."""
        if self.low is None or self.high is None:
            return "unclear"
        if self.low > 0:
            return "better"
        if self.high < 0:
            return "worse"
        return "unclear"


def comparable_units(
    before: Mapping[str, float],
    treated: Set[str],
    candidates: Set[str],
    caliper: float | None = DEFAULT_CALIPER,
) -> list[str]:
    """Candidates whose starting level lies within `caliper` of some treated unit's
    (all candidates when `caliper` is None), by code."""
    starts = [before[code] for code in treated if code in before]
    chosen = []
    for code in sorted(candidates - set(treated)):
        if code not in before:
            continue
        if caliper is None or any(abs(before[code] - start) <= caliper for start in starts):
            chosen.append(code)
    return chosen


def _interval(
    treated: list[float], comparison: list[float], level: float
) -> tuple[float, float, float]:
    """Standard error and degrees of freedom of the difference of two means of changes, and
    the critical t value.

    With two or more treated units: Welch's unequal-variance interval,
    se = sqrt(s_T²/n_T + s_C²/n_C), df by Welch-Satterthwaite. With one treated unit its
    change has no variance of its own, so the comparison units' variance stands for both:
    se = s_C · sqrt(1/n_T + 1/n_C), df = n_C - 1.
    """
    n_t, n_c = len(treated), len(comparison)
    var_c = statistics.variance(comparison) if n_c > 1 else 0.0
    if n_t >= 2:
        var_t = statistics.variance(treated)
        a, b = var_t / n_t, var_c / n_c
        se = math.sqrt(a + b)
        denominator = (a * a / (n_t - 1)) + (b * b / (n_c - 1))
        df = (a + b) ** 2 / denominator if denominator > 0 else float(n_t + n_c - 2)
    else:
        se = math.sqrt(var_c) * math.sqrt(1 / n_t + 1 / n_c)
        df = float(n_c - 1)
    return se, df, float(stats.t.ppf(0.5 + level / 2, df))


def difference_in_differences(
    before: Mapping[str, float],
    after: Mapping[str, float],
    treated: Set[str],
    candidates: Set[str],
    caliper: float | None = DEFAULT_CALIPER,
    level: float = 0.95,
) -> Effect:
    """DiD of unit means: (mean over treated of after - before) - (the same over comparison).

    `before` and `after` hold each unit's mean (only units the release shows); `treated` are
    the units that took the action, `candidates` those that did not take it and may serve as
    comparison. A unit missing from either measurement takes no part.
    """
    both = set(before) & set(after)
    acted = sorted(code for code in treated if code in both)
    comparison = comparable_units(before, set(acted), set(candidates) & both, caliper)
    changes_t = [after[c] - before[c] for c in acted]
    changes_c = [after[c] - before[c] for c in comparison]
    mean_t = sum(changes_t) / len(changes_t) if changes_t else None
    mean_c = sum(changes_c) / len(changes_c) if changes_c else None
    if not acted or len(comparison) < MIN_COMPARISON:
        reason = (
            "no unit that took the action is shown in both measurements"
            if not acted
            else f"fewer than {MIN_COMPARISON} comparable units did not take it"
        )
        return Effect(
            tuple(acted), tuple(comparison), mean_t, mean_c, None, None, None, None, None, level,
            reason,
        )  # fmt: skip
    assert mean_t is not None and mean_c is not None
    estimate = mean_t - mean_c
    se, df, t = _interval(changes_t, changes_c, level)
    return Effect(
        tuple(acted),
        tuple(comparison),
        mean_t,
        mean_c,
        estimate,
        estimate - t * se,
        estimate + t * se,
        se,
        df,
        level,
    )
