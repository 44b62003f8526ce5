"""Function gaps, within-unit agreement and the leader-versus-frontline gap, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from surveyapp.analytics.alignment import (
    FUNCTION_GAP_D,
    cohens_d,
    function_gaps,
    leader_frontline_gaps,
    unit_agreement,
)
from surveyapp.analytics.frames import ScaleSpec
from surveyapp.analytics.psychometrics import rwg_j
from surveyapp.analytics.suppression import ORGANISATION, UNIT, plan_groups


def frame(rows: list[tuple[str, str, str, float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondents and a one-column score frame ("x") from (unit, function, level, x) rows."""
    index = pd.Index([f"r{i}" for i in range(len(rows))], name="response_id")
    data = pd.DataFrame(rows, columns=["unit", "function", "level", "x"], index=index)
    return data[["unit", "function", "level"]], data[["x"]].astype(float)


def test_cohens_d_by_hand():
    # a = 2, 4, 6 (mean 4, variance 4); b = 1, 2, 3 (mean 2, variance 1)
    # pooled SD = sqrt((2*4 + 2*1) / 4) = sqrt(2.5); d = 2 / sqrt(2.5) = 1.2649
    assert cohens_d(4, 4, 3, 2, 1, 3) == pytest.approx(2 / np.sqrt(2.5))
    assert np.isnan(cohens_d(4, 0, 3, 2, 0, 3))  # no spread at all
    assert np.isnan(cohens_d(4, 0, 1, 2, 0, 1))  # no degrees of freedom


def test_function_gap_between_the_reportable_extremes():
    rows = (
        [("U", "sales", "frontline", x) for x in (2, 4, 6, 4)]
        + [("U", "finance", "frontline", x) for x in (1, 2, 3, 2)]
        + [("U", "hr", "frontline", x) for x in (3, 3, 3)]
        + [("U", "legal", "frontline", x) for x in (10, 10)]
    )
    respondents, scores = frame(rows)
    plans = plan_groups(respondents, {"U": None}, 3)
    # legal (2) is hidden for size, hr (3) to protect it: only sales and finance take part
    (gap,) = function_gaps(scores, respondents, plans, ["x"])
    assert dict(gap.means) == {"sales": 4.0, "finance": 2.0}
    assert (gap.high, gap.low, gap.spread, gap.unit) == ("sales", "finance", 2.0, None)
    # sales variance (4 + 0 + 4 + 0)/3 = 8/3, finance (1 + 0 + 1 + 0)/3 = 2/3
    # pooled SD = sqrt((3 * 8/3 + 3 * 2/3) / 6) = sqrt(10/6); d = 2 / sqrt(5/3) = 1.549
    assert gap.d == pytest.approx(2 / np.sqrt(5 / 3))
    # a large effect, but 4 against 4: ANOVA (= pooled t, t = 2 / sqrt(5/3 * 1/2) = 2.19 on 6
    # df) p = 0.071 is not a discovery, so the gap is not flagged
    sales, finance = [2, 4, 6, 4], [1, 2, 3, 2]
    assert gap.p_value == pytest.approx(stats.ttest_ind(sales, finance).pvalue)
    assert gap.p_value == pytest.approx(0.070988, abs=1e-6)
    assert not gap.flagged and FUNCTION_GAP_D == 0.5
    # Hedges' g = J d, J = 1 - 3 / (4 * 8 - 9) = 20/23
    assert gap.g == pytest.approx(20 / 23 * gap.d)
    # the same within unit U, through its unit+function groups
    (in_unit,) = function_gaps(scores, respondents, plans, ["x"], unit="U")
    assert in_unit.unit == "U" and in_unit.d == pytest.approx(gap.d)
    # three times the people with the same answers: p = 0.0005, flagged
    respondents, scores = frame(rows[:8] * 3)
    (larger,) = function_gaps(scores, respondents, plan_groups(respondents, {"U": None}, 3), ["x"])
    assert larger.p_value < 0.001 and larger.flagged


def test_a_small_function_gap_is_not_flagged_and_one_function_is_no_gap():
    rows = [("U", "sales", "frontline", x) for x in (1, 3, 5)] + [
        ("U", "hr", "frontline", x) for x in (1.5, 3, 4.5)
    ]
    respondents, scores = frame(rows)
    plans = plan_groups(respondents, {"U": None}, 3)
    # means 3 and 3: d = 0
    (gap,) = function_gaps(scores, respondents, plans, ["x"])
    assert gap.d == pytest.approx(0.0) and not gap.flagged
    only_sales = respondents["function"] == "sales"
    one = plan_groups(respondents[only_sales], {"U": None}, 3)
    assert function_gaps(scores[only_sales], respondents[only_sales], one, ["x"]) == []


def test_unit_agreement_by_hand_and_only_for_shown_units():
    answers = pd.DataFrame(
        {
            "a": [4, 4, 5, 3, 1, 5, 1, 2, 3],
            "b": [4, 5, 4, 5, 5, 1, 2, 2, 1],
            "c": [3, 4, 4, 5, 1, 5, 3, 3, 1],
        },
        index=pd.Index([f"r{i}" for i in range(9)], name="response_id"),
        dtype=float,
    )
    respondents = pd.DataFrame(
        {"unit": ["A"] * 4 + ["B"] * 2 + ["C"] * 3, "function": "hr", "level": "frontline"},
        index=answers.index,
    )
    plans = plan_groups(respondents, {"R": None, "A": "R", "B": "R", "C": "R"}, 3)
    scale = ScaleSpec("i.s", "i", "s", ("a", "b", "c"), 5)
    results = {r.unit: r for r in unit_agreement(answers, respondents, plans, [scale])}
    # B (2) is hidden for size and C (3) to protect it: only R and A are shown
    assert set(results) == {"R", "A"}
    # A: variances 2/3, 1/3, 2/3 -> s2 = 5/9; sEU = 2; rwg = (3 * 13/18) / (3 * 13/18 + 5/18)
    a = results["A"]
    assert (a.scale, a.n) == ("i.s", 4)
    assert a.rwg == pytest.approx(39 / 44) and a.agrees
    # against the slightly skewed null (1.34): ratio (5/9) / 1.34 = 0.414594,
    # rwg = 3 * 0.585406 / (3 * 0.585406 + 0.414594) = 0.809015
    assert a.rwg_skewed == pytest.approx(0.809015, abs=1e-6)
    # AD_M: a 4 4 5 3 (mean 4: 0 0 1 1), b 4 5 4 5 (mean 4.5: all .5), c 3 4 4 5 (1 0 0 1)
    assert a.ad_m == pytest.approx(0.5)
    assert results["R"].n == 9 and results["R"].rwg == pytest.approx(rwg_j(answers, 5))


def test_leader_frontline_gap_by_hand():
    rows = (
        [("A", "hr", "frontline", x) for x in (40, 50, 60)]
        + [("A", "hr", "manager", x) for x in (70, 80)]
        + [("A", "hr", "senior_leader", 90)]
    )
    respondents, scores = frame(rows)
    plans = plan_groups(respondents, {"A": None}, 3)
    gaps = {(g.kind, g.key): g for g in leader_frontline_gaps(scores, respondents, plans, 3, "x")}
    assert set(gaps) == {(ORGANISATION, "all"), (UNIT, "A")}
    a = gaps[(UNIT, "A")]
    # leaders 70, 80, 90 (mean 80, variance 100); frontline 40, 50, 60 (mean 50, variance 100)
    # difference 30; pooled SD sqrt((2*100 + 2*100)/4) = 10; d = 30/10 = 3
    assert a.reportable and (a.n_leaders, a.n_frontline) == (3, 3)
    assert (a.leader_mean, a.frontline_mean, a.difference) == (80.0, 50.0, 30.0)
    # Welch: se = sqrt(100/3 + 100/3), t = 30 / se = 3.674 on 4 df, p = 0.0213; BH over the
    # two groups (both p = 0.0213 <= 0.05) keeps both
    assert a.p_value == pytest.approx(stats.ttest_ind([70, 80, 90], [40, 50, 60]).pvalue)
    assert a.d == pytest.approx(3.0) and a.flagged
    assert gaps[(ORGANISATION, "all")].d == pytest.approx(3.0)


def test_leader_frontline_gap_is_not_reportable_for_small_or_hidden_subgroups():
    rows = [("A", "hr", "frontline", x) for x in (40, 50, np.nan)] + [
        ("A", "hr", "manager", x) for x in (70, 80, 90)
    ]
    respondents, scores = frame(rows)
    plans = plan_groups(respondents, {"A": None}, 3)
    gaps = {g.key: g for g in leader_frontline_gaps(scores, respondents, plans, 3, "x")}
    # A's frontline group (3) is shown, but only 2 of them have a score
    assert not gaps["A"].reportable and not gaps["all"].reportable
    assert gaps["A"].reason == "not reportable: the leaders or the frontline are hidden"
    # with two frontline respondents their group is hidden for size
    respondents, scores = frame(rows[1:])
    plans = plan_groups(respondents, {"A": None}, 3)
    gaps = {g.key: g for g in leader_frontline_gaps(scores, respondents, plans, 3, "x")}
    assert gaps["A"].reason == "not reportable: the frontline is hidden"
    assert gaps["A"].difference is None and gaps["A"].n_leaders is None and not gaps["A"].flagged
