"""Omega, the slightly skewed r_wg null, AD_M and ICC-based aggregation, worked by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from surveyapp.analytics.agreement import (
    MIN_ICC2,
    ad_threshold,
    average_deviation,
    skewed_null_variance,
    unit_aggregation,
)
from surveyapp.analytics.omega import mcdonald_omega, one_factor
from surveyapp.analytics.psychometrics import cronbach_alpha, rwg_j_rows


def test_omega_equals_alpha_when_items_are_exchangeable() -> None:
    # Every permutation of (1, 2, 3), each shifted by 0 and by 3: 12 rows whose columns are
    # exchangeable. Population variance per column 2/3 + 9/4 = 35/12; covariance between two
    # columns -1/3 + 9/4 = 23/12. Equal loadings sqrt(c), uniquenesses v - c, so
    # omega = 3c / (3c + v - c) = 69 / 81 = 23/27, and alpha = 3c / (v + 2c) is the same.
    rows = [np.add(p, t) for t in (0, 3) for p in itertools.permutations((1, 2, 3))]
    items = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=float)
    assert mcdonald_omega(items) == pytest.approx(23 / 27)
    assert cronbach_alpha(items) == pytest.approx(23 / 27)


def test_one_factor_of_three_items_is_the_closed_form() -> None:
    # Three items identify one factor exactly: lambda_1^2 = s12 s13 / s23, lambda_2 = s12 /
    # lambda_1, lambda_3 = s13 / lambda_1, psi = s_ii - lambda_i^2.
    rng = np.random.default_rng(0)
    factor = rng.normal(size=400)
    data = np.column_stack(
        [w * factor + rng.normal(0, e, 400) for w, e in ((0.9, 0.5), (0.6, 0.8), (0.3, 1.0))]
    )
    s = np.cov(data, rowvar=False)
    first = np.sqrt(s[0, 1] * s[0, 2] / s[1, 2])
    expected = np.array([first, s[0, 1] / first, s[0, 2] / first])
    loadings, unique = one_factor(pd.DataFrame(data))
    assert loadings == pytest.approx(expected, abs=1e-9)
    assert unique == pytest.approx(np.diag(s) - expected**2, abs=1e-9)
    omega = expected.sum() ** 2 / (expected.sum() ** 2 + unique.sum())
    assert mcdonald_omega(pd.DataFrame(data)) == pytest.approx(omega)
    # unequal loadings: alpha (which assumes equal ones) is below omega
    assert cronbach_alpha(pd.DataFrame(data)) < omega


def test_omega_needs_three_items_and_ten_cases() -> None:
    assert np.isnan(mcdonald_omega(pd.DataFrame({"a": [1.0, 2.0] * 6, "b": [2.0, 1.0] * 6})))
    assert np.isnan(mcdonald_omega(pd.DataFrame(np.eye(3)[[0, 1, 2] * 3])))  # 9 cases


def test_skewed_null_and_rwg_against_it() -> None:
    # proportions .05 .15 .20 .35 .25 on 1..5: mean 3.6, E[x^2] 14.3, variance 14.3 - 12.96
    assert skewed_null_variance(5) == pytest.approx(1.34)
    assert np.isnan(skewed_null_variance(7))
    # J = 3, mean variance 0.67: uniform ratio .335 -> 3(.665)/(3(.665) + .335) = 0.856223;
    # skewed ratio .5 -> 3(.5)/(3(.5) + .5) = 0.75
    variances = np.array([[0.67, 0.67, 0.67]])
    assert rwg_j_rows(variances, 5)[0] == pytest.approx(1.995 / 2.33)
    assert rwg_j_rows(variances, 5, skewed_null_variance(5))[0] == pytest.approx(0.75)


def test_average_deviation_by_hand() -> None:
    # item 1: 1 3 5 (mean 3: 2 0 2 -> 4/3); item 2: 2 2 5 (mean 3: 1 1 2 -> 4/3); NaN skipped
    items = np.array([[1.0, 2.0], [3.0, 2.0], [5.0, 5.0], [np.nan, np.nan]])
    assert average_deviation(items) == pytest.approx(4 / 3)
    assert ad_threshold(5) == pytest.approx(5 / 6)
    assert np.isnan(average_deviation(np.full((2, 2), np.nan)))


def test_unit_aggregation_by_hand() -> None:
    # A 1 2 3, B 4 5 6; C (2 people) is under k = 3 and left out. Grand mean 3.5;
    # MSB = 3 (1.5^2) * 2 / 1 = 13.5; MSW = (2 + 2) / 4 = 1; n0 = 3;
    # ICC(1) = 12.5 / (13.5 + 2) = 0.806452; ICC(2) = 12.5 / 13.5 = 0.925926
    scores = pd.DataFrame({"s": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 9.0, 9.0]})
    units = pd.Series(list("AAABBBCC"))
    (result,) = unit_aggregation(scores, units, ["s"], 3)
    assert (result.scale, result.units) == ("s", 2)
    assert result.icc1 == pytest.approx(12.5 / 15.5)
    assert result.icc2 == pytest.approx(12.5 / 13.5)
    assert result.justified and MIN_ICC2 == 0.70
    # equal unit means: MSB = 0, ICC(1) = (0 - 1) / (0 + 2) = -0.5, ICC(2) undefined: no
    flat = pd.DataFrame({"s": [1.0, 2.0, 3.0, 3.0, 2.0, 1.0, 9.0, 9.0]})
    (none,) = unit_aggregation(flat, units, ["s"], 3)
    assert none.icc1 == pytest.approx(-0.5) and np.isnan(none.icc2) and not none.justified
