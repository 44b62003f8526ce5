"""False-discovery control: Benjamini-Hochberg, Welch and ANOVA p-values, Hedges' g, and two
waves of one population flagging (almost) nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from surveyapp.analytics.fdr import TwoSamples, anova_p, benjamini_hochberg, hedges_g, welch_test
from surveyapp.analytics.suppression import plan_groups
from surveyapp.analytics.waves import Wave, compare_waves

FIRST = [1.0, 2.0, 3.0, 4.0]
SECOND = [3.0, 4.0, 5.0, 6.0, 7.0]


def moments(values: list[float]) -> tuple[float, float, int]:
    return float(np.mean(values)), float(np.var(values, ddof=1)), len(values)


def test_benjamini_hochberg_by_hand() -> None:
    # m = 4 tested (NaN is not a test): sorted .01 .03 .04 .20 against i q / m = .0125 .025
    # .0375 .05: only .01 passes, so only it is rejected.
    p = np.array([0.04, 0.01, 0.03, 0.20, np.nan])
    assert benjamini_hochberg(p).tolist() == [False, True, False, False, False]
    # .01 .02 .03 .04 all sit under .0125 .025 .0375 .05: the step-up rejects all four, and a
    # p-value above its own line (.045 > .0375 at i = 3) still goes when a larger i passes.
    assert benjamini_hochberg(np.array([0.04, 0.01, 0.02, 0.03])).all()
    assert benjamini_hochberg(np.array([0.01, 0.02, 0.045, 0.05])).all()
    assert not benjamini_hochberg(np.array([np.nan])).any()


def test_welch_and_anova_p_values_agree_with_scipy() -> None:
    (m1, v1, n1), (m2, v2, n2) = moments(FIRST), moments(SECOND)
    se, _, p = welch_test(TwoSamples.of(m1, v1, n1, m2, v2, n2))
    assert float(p) == pytest.approx(stats.ttest_ind(SECOND, FIRST, equal_var=False).pvalue)
    assert float(p) == pytest.approx(0.0349388, abs=1e-6)
    assert float(se) == pytest.approx(np.sqrt(11 / 12))
    assert np.isnan(welch_test(TwoSamples.of(1.0, 0.0, 1, 2.0, 1.0, 5))[2])
    groups = [FIRST, SECOND, [2.0, 2.0, 3.0]]
    m, v, n = (np.array(a) for a in zip(*(moments(g) for g in groups), strict=True))
    assert anova_p(n, m, v) == pytest.approx(stats.f_oneway(*groups).pvalue)
    assert anova_p(n, m, v) == pytest.approx(0.0268589, abs=1e-6)


def test_hedges_g_by_hand() -> None:
    # pooled variance (3 * 5/3 + 4 * 2.5) / 7 = 15/7; d = 2.5 / sqrt(15/7) = 1.707825;
    # J = 1 - 3 / (4 * 9 - 9) = 0.888889; g = 1.518067; se = sqrt(9/20 + g^2/18) = 0.760282;
    # interval g -/+ 1.959964 se = (0.027941, 3.008193)
    (m1, v1, n1), (m2, v2, n2) = moments(FIRST), moments(SECOND)
    g, low, high = hedges_g(TwoSamples.of(m1, v1, n1, m2, v2, n2))
    assert (float(g), float(low), float(high)) == pytest.approx(
        (1.518067, 0.027941, 3.008193), abs=1e-6
    )
    assert np.isnan(hedges_g(TwoSamples.of(1.0, 0.0, 3, 1.0, 0.0, 3))[0])


UNITS = {"R": None, **{code: "R" for code in "ABCDEFGH"}}
SCALES = [f"s{j}" for j in range(8)]
CHANGED = SCALES[:3]  # wave 2 moves these by 0.3 SD everywhere; the other five do not move


def synthetic_wave(seed: int, shift: float) -> Wave:
    """8 units of 60, 8 correlated scales (r = .3); `shift` SDs added to CHANGED."""
    rng = np.random.default_rng(seed)
    units = np.repeat(list("ABCDEFGH"), 60)
    correlation = np.full((8, 8), 0.3) + 0.7 * np.eye(8)
    values = rng.multivariate_normal(np.zeros(8), correlation, len(units))
    values[:, : len(CHANGED)] += shift
    index = pd.Index([f"r{seed}-{i}" for i in range(len(units))], name="response_id")
    respondents = pd.DataFrame({"unit": units, "function": "hr", "level": "frontline"}, index)
    scores = pd.DataFrame(values, index=index, columns=SCALES)
    return Wave(scores, respondents, plan_groups(respondents, UNITS, 5))


def test_two_waves_keep_false_discoveries_under_five_percent() -> None:
    # 60 seeded pairs of waves, 10 groups x 8 scales = 80 changes each. Flags on the five
    # unchanged scales are false; the false-discovery rate E[false / flagged] stays under 5%
    # (BH promises 5% x 5/8), where the unadjusted "interval excludes 0" rule flags about 5% of
    # every unchanged comparison.
    ratios, unadjusted_false, nulls = [], 0, 0
    for seed in range(60):
        changes = compare_waves(synthetic_wave(2 * seed, 0.0), synthetic_wave(2 * seed + 1, 0.3))
        assert len(changes) == 80
        flagged = [c for c in changes if c.significant]
        false = [c for c in flagged if c.scale not in CHANGED]
        ratios.append(len(false) / max(len(flagged), 1))
        unchanged = [c for c in changes if c.scale not in CHANGED]
        nulls += len(unchanged)
        unadjusted_false += sum(c.ci_low > 0 or c.ci_high < 0 for c in unchanged)
        assert len(flagged) >= 3  # the real change is found (organisation level at least)
    assert np.mean(ratios) <= 0.05
    assert unadjusted_false / nulls > 0.03


def test_two_waves_of_one_population_flag_almost_nothing() -> None:
    # No true change anywhere, so any flag is false and the false-discovery rate is the share of
    # documents with a flag: at most 5% under BH. Over 100 seeds the observed share must be
    # consistent with that (below 5% + 2 binomial SE = 9.4%); seeds 0-199 give 11/200 = 5.5%.
    # The unadjusted rule flags about 5% of all 80 changes of every document.
    documents_with_flags = unadjusted = 0
    for seed in range(100):
        changes = compare_waves(synthetic_wave(2 * seed, 0.0), synthetic_wave(2 * seed + 1, 0.0))
        documents_with_flags += any(c.significant for c in changes)
        unadjusted += sum(c.ci_low > 0 or c.ci_high < 0 for c in changes)
    assert documents_with_flags / 100 <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / 100)
    assert unadjusted > 100 * 80 * 0.03
