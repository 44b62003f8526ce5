"""Drivers: Shapley shares of R^2 by hand, standardized betas with CIs, and priority flags."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from surveyapp.analytics.drivers import (
    driver_analysis,
    minimum_cases,
    shapley_importance,
    subset_r_squared,
)


def orthogonal_example() -> tuple[pd.DataFrame, pd.Series]:
    """Ten copies of a 4-row block where A, B and the residual C are orthogonal, mean zero.

    A = [1, -1, 1, -1], B = [1, 1, -1, -1], C = [1, -1, -1, 1], y = 2A + B + C (+ 3 to shift).
    Per block: SS(A) = SS(B) = SS(C) = 4, SS(y) = 4*4 + 4 + 4 = 24, cov sums A.y = 8, B.y = 4.
    r_A^2 = 8^2 / (4 * 24) = 2/3, r_B^2 = 4^2 / (4 * 24) = 1/6; A and B are uncorrelated, so
    R^2 = 2/3 + 1/6 = 5/6 and each Shapley value is the predictor's own r^2.
    """
    a = np.tile([1.0, -1.0, 1.0, -1.0], 10)
    b = np.tile([1.0, 1.0, -1.0, -1.0], 10)
    c = np.tile([1.0, -1.0, -1.0, 1.0], 10)
    predictors = pd.DataFrame({"x.a": a + 2.0, "x.b": b + 4.0})
    return predictors, pd.Series(2 * a + b + c + 3.0)


def test_shapley_by_hand_on_orthogonal_predictors() -> None:
    predictors, outcome = orthogonal_example()
    result = driver_analysis(predictors, outcome)
    assert result.n == 40 == minimum_cases(2)  # 30 + 5 * 2
    assert result.r_squared == pytest.approx(5 / 6)
    first, second = result.drivers
    assert (first.construct, second.construct) == ("x.a", "x.b")
    assert first.importance == pytest.approx(2 / 3)
    assert second.importance == pytest.approx(1 / 6)
    assert first.share == pytest.approx(0.8)  # (2/3) / (5/6)
    assert second.share == pytest.approx(0.2)
    # beta_j = r_j with uncorrelated predictors; s^2 = (1 - 5/6) * 39 / 37,
    # SE = sqrt(s^2 / 39 * 1) = sqrt(1 / 222) = 0.06712; t(0.975, 37) = 2.02619
    assert first.beta == pytest.approx(math.sqrt(2 / 3))
    assert second.beta == pytest.approx(math.sqrt(1 / 6))
    margin = 2.0261925 * math.sqrt(1 / 222)
    assert (first.ci_low, first.ci_high) == pytest.approx(
        (math.sqrt(2 / 3) - margin, math.sqrt(2 / 3) + margin)
    )
    # means 2 and 4; midpoint 3 + 0.5 = 3.5. a: share 0.8 > 1/2 and 2 <= 3.5 -> priority.
    assert (first.mean, first.priority) == (2.0, True)
    assert (second.mean, second.priority) == (4.0, False)


def test_shapley_two_correlated_predictors_formula() -> None:
    # With two predictors: phi_A = 1/2 r_A^2 + 1/2 (R^2 - r_B^2), phi_B likewise, and
    # R^2 = (r_A^2 + r_B^2 - 2 r_A r_B r_AB) / (1 - r_AB^2).
    r_a, r_b, r_ab = 0.6, 0.4, 0.5
    correlations = np.array([[1, r_ab, r_a], [r_ab, 1, r_b], [r_a, r_b, 1]])
    total = (r_a**2 + r_b**2 - 2 * r_a * r_b * r_ab) / (1 - r_ab**2)  # 0.28 / 0.75 = 0.37333
    values = subset_r_squared(correlations)
    assert values.tolist() == pytest.approx([0.0, r_a**2, r_b**2, total])
    phi = shapley_importance(values, 2)
    assert phi.tolist() == pytest.approx(
        [(r_a**2 + total - r_b**2) / 2, (r_b**2 + total - r_a**2) / 2]
    )  # [0.26667, 0.10667]
    assert phi.sum() == pytest.approx(total)


def test_larger_weight_gets_the_larger_share() -> None:
    rng = np.random.default_rng(3)
    n = 2_000
    predictors = pd.DataFrame(rng.normal(3, 0.8, (n, 3)), columns=["c.a", "c.b", "c.noise"])
    outcome = 0.8 * predictors["c.a"] + 0.2 * predictors["c.b"] + rng.normal(0, 0.5, n)
    predictors.iloc[::10, 1] = np.nan  # incomplete rows are left out
    result = driver_analysis(predictors, outcome)
    assert result.n == n - n // 10
    by_name = {driver.construct: driver for driver in result.drivers}
    assert result.drivers[0].construct == "c.a"
    assert by_name["c.a"].share > 3 * by_name["c.b"].share
    assert sum(d.importance for d in result.drivers) == pytest.approx(result.r_squared)
    assert sum(d.share for d in result.drivers) == pytest.approx(1.0)
    assert by_name["c.a"].ci_low < by_name["c.a"].beta < by_name["c.a"].ci_high
    assert by_name["c.noise"].ci_low < 0 < by_name["c.noise"].ci_high
    # mean ~3 <= 3.5 and share > 1/3: only a is a priority
    assert [d.construct for d in result.drivers if d.priority] == ["c.a"]


def test_too_few_cases_gives_a_reason() -> None:
    predictors = pd.DataFrame({"a": np.arange(39.0), "b": np.arange(39.0) % 5})
    result = driver_analysis(predictors, pd.Series(np.arange(39.0)))
    assert (result.r_squared, result.drivers) == (None, ())
    assert result.reason == "39 complete answers; at least 40 needed for 2 predictors"


def test_constant_predictor_gives_a_reason() -> None:
    predictors = pd.DataFrame({"a": np.arange(50.0), "b": np.full(50, 3.0)})
    result = driver_analysis(predictors, pd.Series(np.arange(50.0)))
    assert result.reason == "no variation in b"


def test_collinear_predictors_still_sum_to_r_squared() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=200)
    predictors = pd.DataFrame({"a": a, "a_again": a, "b": rng.normal(size=200)})
    result = driver_analysis(predictors, pd.Series(a + rng.normal(size=200)))
    by_name = {driver.construct: driver for driver in result.drivers}
    assert by_name["a"].importance == pytest.approx(by_name["a_again"].importance)
    assert sum(d.importance for d in result.drivers) == pytest.approx(result.r_squared)


def test_too_many_predictors_is_refused() -> None:
    with pytest.raises(ValueError, match="1 to 12 predictors, not 13"):
        driver_analysis(pd.DataFrame(np.zeros((5, 13))), pd.Series(np.zeros(5)))


def test_driver_p_values_match_regression_and_gate_priority() -> None:
    # One predictor: the standardised beta's t-test is the slope's t-test of a plain regression.
    rng = np.random.default_rng(3)
    x = rng.normal(3.0, 1.0, 60)
    y = 0.1 * x + rng.normal(0.0, 1.0, 60)
    (driver,) = driver_analysis(pd.DataFrame({"x.a": x}), pd.Series(y)).drivers
    assert driver.p_value == pytest.approx(stats.linregress(x, y).pvalue)
    # share 1 > 1/1 and mean 3.0 <= 3.5, but the beta is no discovery (p > 0.05): no priority
    assert driver.p_value > 0.05 and driver.share == 1.0 and not driver.priority
