"""Cronbach's alpha, corrected item-total r, r_wg(j) and ICC(1)/ICC(2) on hand-worked data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveyapp.analytics.frames import ScaleSpec
from surveyapp.analytics.psychometrics import (
    AGREEMENT_THRESHOLD,
    corrected_item_total,
    cronbach_alpha,
    icc1_icc2,
    rwg_j,
    rwg_j_from_variances,
    scale_reliability,
    uniform_null_variance,
)

NAN = np.nan
# Four respondents, three items.
ITEMS = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 5], "c": [2, 3, 4, 4]}, dtype=float)


def test_alpha_by_hand():
    # item variances (ddof=1): a 5/3, b 4.75/3, c 2.75/3 -> sum 12.5/3
    # totals 5, 8, 10, 13 (mean 9): squares 16 + 1 + 1 + 16 = 34 -> variance 34/3
    # alpha = 3/2 * (1 - 12.5/34) = 1.5 * 21.5/34 = 32.25/34 = 0.948529...
    assert cronbach_alpha(ITEMS) == pytest.approx(32.25 / 34)


def test_alpha_uses_complete_cases_only():
    with_gaps = pd.concat([ITEMS, pd.DataFrame({"a": [NAN, 1.0], "b": [5.0, NAN], "c": [1, 1]})])
    assert cronbach_alpha(with_gaps) == pytest.approx(32.25 / 34)


def test_alpha_is_undefined_when_it_cannot_be_computed():
    assert np.isnan(cronbach_alpha(ITEMS[["a", "b"]]))  # fewer than 3 items
    assert np.isnan(cronbach_alpha(ITEMS.iloc[:1]))  # one complete case
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [3, 3], "b": [2, 2], "c": [1, 1]})))


def test_corrected_item_total_by_hand():
    r = corrected_item_total(ITEMS)
    # a = 1,2,3,4 against b + c = 4,6,7,9: deviations -1.5,-.5,.5,1.5 and -2.5,-.5,.5,2.5
    # cross products 3.75 + .25 + .25 + 3.75 = 8; sums of squares 5 and 13 -> 8 / sqrt(65)
    assert r["a"] == pytest.approx(8 / np.sqrt(65))
    # check the others against numpy's Pearson r
    assert r["c"] == pytest.approx(np.corrcoef(ITEMS["c"], ITEMS["a"] + ITEMS["b"])[0, 1])
    constant = ITEMS.assign(d=1.0)
    assert np.isnan(corrected_item_total(constant)["d"])


def test_scale_reliability_flips_reverse_items_and_flags():
    answers = pd.DataFrame(
        {
            "i.a": ITEMS["a"],
            "i.b": ITEMS["b"],
            "i.c": 6 - ITEMS["c"],  # stored raw; reverse keyed back to ITEMS["c"]
            "i.x": [1.0, 5.0, 2.0, 4.0],
            "i.y": [4.0, 2.0, 5.0, 1.0],
            "i.z": [2.0, 2.0, 3.0, 3.0],
        }
    )
    scales = [
        ScaleSpec("i.good", "i", "good", ("i.a", "i.b", "i.c"), 5, frozenset({"i.c"})),
        ScaleSpec("i.poor", "i", "poor", ("i.x", "i.y", "i.z"), 5),
    ]
    good, poor = scale_reliability(answers, scales)
    assert good.scale == "i.good" and good.n_complete == 4
    assert good.alpha == pytest.approx(32.25 / 34)
    assert not good.flagged and good.weak_items == ()
    assert good.item_total["i.a"] == pytest.approx(8 / np.sqrt(65))
    # x and y run against each other: alpha is far below 0.70 and both are weak items
    assert poor.flagged and poor.alpha < 0.70
    assert {"i.x", "i.y"} <= set(poor.weak_items)


def test_rwg_j_by_hand():
    group = pd.DataFrame({"a": [4, 4, 5, 3], "b": [4, 5, 4, 5], "c": [3, 4, 4, 5]}, dtype=float)
    # variances (ddof=1): a 2/3, b 1/3, c 2/3 -> mean s2 = 5/9; sigma2_EU = (25 - 1)/12 = 2
    # s2/sEU = 5/18; J(1 - 5/18) = 3 * 13/18 = 39/18; rwg = (39/18) / (39/18 + 5/18) = 39/44
    assert uniform_null_variance(5) == 2.0
    assert rwg_j(group, 5) == pytest.approx(39 / 44)
    assert rwg_j(group, 5) >= AGREEMENT_THRESHOLD


def test_rwg_j_is_truncated_to_zero_beyond_random_spread():
    split = pd.DataFrame({"a": [1, 5, 1, 5], "b": [5, 1, 5, 1]}, dtype=float)
    # variances 16/3 > sigma2_EU = 2: the raw formula would give nonsense, so 0
    assert rwg_j(split, 5) == 0.0
    assert rwg_j_from_variances(np.array([2.0, 2.0]), 5) == 0.0


def test_rwg_j_ignores_missing_answers_and_needs_two():
    group = pd.DataFrame({"a": [4, 4, 5, 3], "b": [4, NAN, NAN, NAN]}, dtype=float)
    # only a has a variance (2/3): ratio 1/3, J = 1 -> (2/3) / (2/3 + 1/3) = 2/3
    assert rwg_j(group, 5) == pytest.approx(2 / 3)
    assert np.isnan(rwg_j(group.iloc[:1], 5))
    with pytest.raises(ValueError):
        uniform_null_variance(1)


def test_icc_with_equal_groups_by_hand():
    scores = pd.Series([1, 2, 3, 4, 5, 6], dtype=float)
    groups = pd.Series(["g1"] * 3 + ["g2"] * 3)
    # group means 2 and 5, grand 3.5: SSB = 3 * 1.5^2 * 2 = 13.5, MSB = 13.5 / 1
    # SSW = (1 + 0 + 1) * 2 = 4, MSW = 4 / (6 - 2) = 1; n0 = 3
    # ICC(1) = (13.5 - 1) / (13.5 + 2 * 1) = 12.5 / 15.5; ICC(2) = 12.5 / 13.5
    icc1, icc2 = icc1_icc2(scores, groups)
    assert icc1 == pytest.approx(12.5 / 15.5)
    assert icc2 == pytest.approx(12.5 / 13.5)


def test_icc_with_unequal_groups_uses_adjusted_group_size():
    scores = pd.Series([1, 3, 4, 5, 6, 5, NAN], dtype=float)
    groups = pd.Series(["g1", "g1", "g2", "g2", "g2", "g2", "g3"])
    # g1 mean 2 (n 2), g2 mean 5 (n 4), grand 4; g3 has no score and drops out
    # SSB = 2*4 + 4*1 = 12 -> MSB 12; SSW = 2 + 2 = 4 -> MSW 4/4 = 1
    # n0 = (6 - (4 + 16)/6) / 1 = 8/3; ICC(1) = 11 / (12 + 5/3) = 33/41; ICC(2) = 11/12
    icc1, icc2 = icc1_icc2(scores, groups)
    assert icc1 == pytest.approx(33 / 41)
    assert icc2 == pytest.approx(11 / 12)
    assert all(np.isnan(icc1_icc2(scores[:2], groups[:2])))  # one group only
