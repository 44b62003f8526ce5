"""Change between waves: Welch intervals by hand, and only groups shown in both waves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from surveyapp.analytics.fdr import TwoSamples
from surveyapp.analytics.suppression import ORGANISATION, UNIT, plan_groups
from surveyapp.analytics.waves import Wave, compare_waves, welch_bounds, welch_interval

FIRST = [1.0, 2.0, 3.0, 4.0]
SECOND = [3.0, 4.0, 5.0, 6.0, 7.0]


def test_welch_interval_by_hand():
    # first: mean 2.5, variance 5/3, n 4; second: mean 5, variance 2.5, n 5; change 2.5
    # a = (5/3)/4 = 5/12, b = 2.5/5 = 1/2; se = sqrt(11/12) = 0.957427
    # df = (11/12)^2 / ((5/12)^2/3 + (1/2)^2/4) = 0.840278 / 0.120370 = 6.98077
    # t(0.975, 6.98077) = 2.36595 (tables: 2.3646 at 7 df); half = 2.36595 * 0.957427 = 2.26522
    # interval 2.5 -/+ 2.26522 = (0.23478, 4.76522)
    low, high = welch_interval(TwoSamples.of(2.5, 5 / 3, 4, 5.0, 2.5, 5))
    dof = (11 / 12) ** 2 / ((5 / 12) ** 2 / 3 + 0.25 / 4)
    assert dof == pytest.approx(6.98077, abs=1e-5)
    half = stats.t.ppf(0.975, dof) * np.sqrt(11 / 12)
    assert half == pytest.approx(2.26522, abs=1e-5)
    assert (low, high) == pytest.approx((0.23478, 4.76522), abs=1e-5)
    # scipy's own Welch test gives the same interval for second - first
    scipy_ci = stats.ttest_ind(SECOND, FIRST, equal_var=False).confidence_interval(0.95)
    assert (low, high) == pytest.approx((scipy_ci.low, scipy_ci.high))


def test_welch_edge_cases():
    assert all(
        np.isnan(welch_interval(TwoSamples.of(1.0, 0.0, 1, 2.0, 1.0, 5)))
    )  # one value in a wave
    assert welch_interval(TwoSamples.of(1.0, 0.0, 3, 2.0, 0.0, 3)) == (1.0, 1.0)  # nobody varies
    low, high = welch_bounds(
        TwoSamples.of(np.array([2.5, 0.0]), 5 / 3, 4, np.array([5.0, 0.1]), 2.5, 5)
    )
    assert low[0] == pytest.approx(welch_interval(TwoSamples.of(2.5, 5 / 3, 4, 5.0, 2.5, 5))[0])
    assert low[1] < 0 < high[1]


def wave(units: list[str], values: list[float], parents: dict[str, str | None], k: int) -> Wave:
    index = pd.Index([f"r{i}" for i in range(len(units))], name="response_id")
    respondents = pd.DataFrame({"unit": units, "function": "hr", "level": "frontline"}, index=index)
    scores = pd.DataFrame({"s": values, "label": "x"}, index=index)
    return Wave(scores, respondents, plan_groups(respondents, parents, k))


def test_compare_waves_overall_and_for_units_shown_in_both():
    parents = {"R": None, "A": "R", "B": "R", "C": "R"}
    # wave 1: A = FIRST, B = 4 respondents at 3, C = 4 at 3; all shown (k = 4)
    first = wave(["A"] * 4 + ["B"] * 4 + ["C"] * 4, FIRST + [3.0] * 8, parents, 4)
    # wave 2: A = SECOND, B = 4 at 4, C = 2 (hidden for size, so B is hidden too)
    second = wave(["A"] * 5 + ["B"] * 4 + ["C"] * 2, SECOND + [4.0] * 6, parents, 4)
    changes = {(c.kind, c.key): c for c in compare_waves(first, second)}
    assert set(changes) == {(ORGANISATION, "all"), (UNIT, "R"), (UNIT, "A")}
    a = changes[(UNIT, "A")]
    assert (a.scale, a.n1, a.n2, a.mean1, a.mean2, a.change) == ("s", 4, 5, 2.5, 5.0, 2.5)
    assert (a.ci_low, a.ci_high) == pytest.approx(
        welch_interval(TwoSamples.of(2.5, 5 / 3, 4, 5.0, 2.5, 5))
    )
    assert a.significant  # the interval (0.23478, 4.76522) excludes 0
    overall = changes[(ORGANISATION, "all")]
    values1, values2 = np.array(FIRST + [3.0] * 8), np.array(SECOND + [4.0] * 6)
    assert (overall.n1, overall.n2) == (12, 11)
    assert overall.change == pytest.approx(values2.mean() - values1.mean())
    expected = stats.ttest_ind(values2, values1, equal_var=False).confidence_interval(0.95)
    assert (overall.ci_low, overall.ci_high) == pytest.approx((expected.low, expected.high))


def test_a_change_whose_interval_spans_zero_is_not_significant():
    parents = {"A": None}
    first = wave(["A"] * 4, FIRST, parents, 3)
    second = wave(["A"] * 4, [1.5, 2.0, 3.5, 3.5], parents, 3)
    (overall, unit) = compare_waves(first, second, ["s"])
    assert overall.change == pytest.approx(0.125) and not overall.significant
    assert overall.ci_low < 0 < overall.ci_high
    assert unit.key == "A" and unit.change == overall.change
