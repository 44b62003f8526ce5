"""Difference-in-differences of unit means, checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from surveyapp.analytics.action_effects import CAVEAT, difference_in_differences

BEFORE = {"T1": 2.0, "T2": 2.4, "C1": 2.2, "C2": 2.4, "C3": 2.1, "FAR": 4.5}
AFTER = {"T1": 2.8, "T2": 3.0, "C1": 2.3, "C2": 2.6, "C3": 2.1, "FAR": 4.0}
UNTREATED = {"C1", "C2", "C3", "FAR", "GONE"}


def test_one_unit_that_acted_is_compared_with_the_comparable_units_that_did_not():
    # T1 changed by 0.8; C1, C2, C3 by 0.1, 0.2, 0.0 (mean 0.1, variance 0.01); FAR starts
    # 2.5 points away (outside the 0.5 caliper) and GONE has no figures: neither takes part.
    # se = sqrt(0.01) * sqrt(1/1 + 1/3) = 0.11547, df = 2, t(0.975, 2) = 4.302653.
    effect = difference_in_differences(BEFORE, AFTER, {"T1"}, UNTREATED)
    assert effect.treated == ("T1",)
    assert effect.comparison == ("C1", "C2", "C3")
    assert effect.treated_change == pytest.approx(0.8)
    assert effect.comparison_change == pytest.approx(0.1)
    assert effect.estimate == pytest.approx(0.7)
    assert effect.se == pytest.approx(0.115470, abs=1e-6)
    assert effect.df == 2
    assert effect.low == pytest.approx(0.7 - 4.302653 * 0.115470, abs=1e-5)
    assert effect.high == pytest.approx(0.7 + 4.302653 * 0.115470, abs=1e-5)
    assert effect.verdict == "better"
    assert effect.caveat == CAVEAT and "evidence, not proof" in CAVEAT


def test_two_units_that_acted_use_welchs_interval():
    # changes 0.8 and 0.6: mean 0.7, variance 0.02; comparison mean 0.1, variance 0.01.
    # a = 0.02/2 = 0.01, b = 0.01/3; se = sqrt(a + b) = 0.115470;
    # df = (a + b)^2 / (a^2/1 + b^2/2) = 1.684211.
    effect = difference_in_differences(BEFORE, AFTER, {"T1", "T2"}, UNTREATED)
    assert effect.estimate == pytest.approx(0.6)
    assert effect.se == pytest.approx(0.115470, abs=1e-6)
    assert effect.df == pytest.approx(1.684211, abs=1e-6)
    assert effect.low < 0.6 < effect.high


def test_an_action_after_which_the_unit_fell_behind_reads_worse():
    after = AFTER | {"T1": 1.6}
    effect = difference_in_differences(BEFORE, after, {"T1"}, UNTREATED)
    assert effect.estimate == pytest.approx(-0.5)
    assert effect.verdict == "worse"


def test_too_few_comparable_units_give_no_estimate_and_say_why():
    effect = difference_in_differences(BEFORE, AFTER, {"FAR"}, UNTREATED)
    assert effect.estimate is None and effect.low is None
    assert effect.reason == "fewer than 2 comparable units did not take it"
    assert effect.verdict == "unclear"
    hidden = difference_in_differences(BEFORE, AFTER, {"GONE"}, UNTREATED)
    assert hidden.reason == "no unit that took the action is shown in both measurements"


def test_without_a_caliper_every_unit_that_did_not_act_compares():
    effect = difference_in_differences(BEFORE, AFTER, {"T1"}, UNTREATED, caliper=None)
    assert effect.comparison == ("C1", "C2", "C3", "FAR")
