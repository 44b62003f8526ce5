"""The say-do quadrants on a planted organisation, and the correlation's interval."""

from __future__ import annotations

import math

import pytest

from surveyapp.analytics.say_do import QUADRANTS, correlation, say_do

SAY = {"A": 4.2, "B": 4.0, "C": 3.9, "D": 2.1, "E": 2.4, "F": 2.0, "G": 2.2, "H": 3.6}
DO = {"A": 80.0, "B": 75.0, "C": 20.0, "D": 70.0, "E": 15.0, "F": 10.0, "G": 12.0, "H": 90.0}


def test_each_planted_unit_lands_in_its_quadrant():
    result = say_do(SAY, DO | {"ONLY-DO": 50.0}, say_cut=3.0, do_cut=50.0)
    assert {q: [p.code for p in result.in_quadrant(q)] for q in QUADRANTS} == {
        "ready_and_using": ["A", "B", "H"],
        "say_not_do": ["C"],
        "do_not_say": ["D"],
        "neither": ["E", "F", "G"],
    }


def test_the_lines_are_the_medians_unless_given():
    result = say_do(SAY, DO)
    assert result.say_cut == pytest.approx((2.4 + 3.6) / 2)
    assert result.do_cut == pytest.approx((20.0 + 70.0) / 2)


def test_the_correlation_has_a_fisher_interval():
    says, dos = list(SAY.values()), list(DO.values())
    found = correlation(says, dos)
    assert found is not None and found.n == 8
    centre, half = math.atanh(found.r), 1.959964 / math.sqrt(8 - 3)
    assert found.low == pytest.approx(math.tanh(centre - half), abs=1e-5)
    assert found.high == pytest.approx(math.tanh(centre + half), abs=1e-5)
    assert found.low < found.r < found.high


def test_three_units_are_too_few_for_a_correlation():
    assert correlation([1.0, 2.0, 3.0], [3.0, 1.0, 2.0]) is None
