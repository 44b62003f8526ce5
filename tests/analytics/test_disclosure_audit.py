"""The release audit: an LP attack over everything published narrows no small group below k."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings

from surveyapp.analytics.disclosure_audit import audit, membership, protection_interval
from surveyapp.analytics.suppression import plan_groups
from tests.analytics.attack import narrowed
from tests.analytics.strategies import organisations, published


def test_the_audit_widens_a_pinned_cell_by_hiding_a_binding_group():
    # cells a=2, b=30, c=40; shown: a+b=32 and b=30 pin a exactly
    members = membership((3, 1, 1), [([0, 1], None, None), ([1], None, None), ([0], None, None),
                                     ([2], None, None)])  # fmt: skip
    cells = np.array([2, 30, 40])
    hidden = np.array([False, False, True, False])
    counts = np.asarray(members @ cells).ravel()
    assert protection_interval(members, counts, ~hidden, np.array([1.0, 0, 0])) == (2.0, 2.0)
    result = audit(members, cells, hidden, 5)
    assert len(result.added) == 1 and result.added[0] in (0, 1) and result.targets == 2
    low, high = protection_interval(members, counts, ~result.hidden, np.array([1.0, 0, 0]))
    assert high - low >= 5


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_an_lp_attack_on_every_release_narrows_no_small_group_below_k(case):
    respondents, parents, k = case
    plans = plan_groups(respondents, parents, k)
    assert all(p.suppressed or p.n >= k for p in plans)
    assert narrowed(published(plans), respondents, parents, k) == []
