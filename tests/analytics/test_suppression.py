"""Group planning, small-group and complementary suppression, aggregation, differencing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from surveyapp.analytics.aggregation import aggregate
from surveyapp.analytics.suppression import (
    FUNCTION,
    FUNCTION_LEVEL,
    HIDDEN_REASON,
    LEVEL,
    ORGANISATION,
    UNIT,
    UNIT_FUNCTION,
    UNIT_LEVEL,
    GroupPlan,
    plan_groups,
    refuse_differencing,
)
from tests.analytics.strategies import organisations


def people(*blocks: tuple[str, str, str, int]) -> pd.DataFrame:
    """Respondents from (unit, function, level, count) blocks, ids r0, r1, ..."""
    rows = [(u, f, lv) for u, f, lv, count in blocks for _ in range(count)]
    index = pd.Index([f"r{i}" for i in range(len(rows))], name="response_id")
    return pd.DataFrame(rows, columns=["unit", "function", "level"], index=index)


def by_key(plans: list[GroupPlan]) -> dict[tuple[str, str], GroupPlan]:
    return {(p.kind, p.key): p for p in plans}


def test_child_of_three_hidden_for_size_and_child_of_nine_to_protect_it():
    respondents = people(("A", "hr", "frontline", 12), ("B", "hr", "frontline", 9),
                         ("C", "hr", "frontline", 3))  # fmt: skip
    plans = by_key(plan_groups(respondents, {"P": None, "A": "P", "B": "P", "C": "P"}, 5))
    assert plans[(UNIT, "C")].suppressed and plans[(UNIT, "C")].reason == HIDDEN_REASON
    # P (24) minus A (12) would give C: B, the smallest shown sibling, is hidden as well
    assert plans[(UNIT, "B")].suppressed and plans[(UNIT, "B")].reason == HIDDEN_REASON
    assert not plans[(UNIT, "A")].suppressed and not plans[(UNIT, "P")].suppressed
    assert plans[(UNIT, "P")].n == 24 and plans[(ORGANISATION, "all")].n == 24
    # the crossings of B and C equal B and C here and are hidden with them
    assert (
        plans[(UNIT_FUNCTION, "B/hr")].suppressed and plans[(UNIT_LEVEL, "C/frontline")].suppressed
    )


def test_function_crossings_are_protected_too():
    respondents = people(("U", "sales", "frontline", 20), ("U", "finance", "frontline", 12),
                         ("U", "legal", "frontline", 3))  # fmt: skip
    plans = by_key(plan_groups(respondents, {"U": None}, 5))
    assert plans[(FUNCTION, "legal")].reason == HIDDEN_REASON
    assert plans[(FUNCTION, "finance")].reason == HIDDEN_REASON
    assert not plans[(FUNCTION, "sales")].suppressed
    assert plans[(UNIT_FUNCTION, "U/legal")].suppressed
    assert plans[(UNIT_FUNCTION, "U/finance")].suppressed
    assert plans[(FUNCTION_LEVEL, "legal/frontline")].suppressed
    assert plans[(FUNCTION_LEVEL, "finance/frontline")].reason == HIDDEN_REASON
    assert not plans[(LEVEL, "frontline")].suppressed


def test_a_small_remainder_of_direct_respondents_is_protected():
    # P has 3 respondents of its own: P (53) - A - B would give them, so a child is hidden; one
    # hidden child would then be P - other child - 3 people, so the second child goes too.
    respondents = people(("P", "hr", "frontline", 3), ("A", "hr", "frontline", 20),
                         ("B", "hr", "frontline", 30))  # fmt: skip
    plans = by_key(plan_groups(respondents, {"P": None, "A": "P", "B": "P"}, 5))
    assert not plans[(UNIT, "P")].suppressed and plans[(UNIT, "P")].n == 53
    assert plans[(UNIT, "A")].reason == HIDDEN_REASON
    assert plans[(UNIT, "B")].reason == HIDDEN_REASON


def test_a_remainder_of_at_least_k_needs_no_protection():
    respondents = people(("P", "hr", "frontline", 6), ("A", "hr", "frontline", 20),
                         ("B", "hr", "frontline", 30))  # fmt: skip
    plans = plan_groups(respondents, {"P": None, "A": "P", "B": "P"}, 5)
    assert not any(p.suppressed for p in plans if p.n > 0)


def test_a_hidden_group_is_not_left_as_the_sum_of_shown_parts():
    # B (40) is hidden to protect A (3); its two function crossings must not both stay shown
    respondents = people(("A", "hr", "frontline", 3), ("B", "hr", "frontline", 20),
                         ("B", "sales", "frontline", 25))  # fmt: skip
    plans = by_key(plan_groups(respondents, {"R": None, "A": "R", "B": "R"}, 5))
    assert plans[(UNIT, "B")].suppressed
    assert plans[(UNIT_FUNCTION, "B/hr")].suppressed or plans[(UNIT_FUNCTION, "B/sales")].suppressed


def test_empty_groups_look_like_hidden_ones_and_masks_select_members():
    respondents = people(("A", "hr", "frontline", 6), ("B", "sales", "manager", 7))
    plans = plan_groups(respondents, {"R": None, "A": "R", "B": "R", "EMPTY": "R"}, 5)
    found = by_key(plans)
    for key in [(UNIT, "EMPTY"), (UNIT_FUNCTION, "A/sales"), (FUNCTION_LEVEL, "hr/manager"),
                (LEVEL, "senior_leader")]:  # fmt: skip
        assert found[key].n == 0 and found[key].suppressed and found[key].reason == HIDDEN_REASON
    for plan in plans:
        assert plan.mask(respondents).sum() == plan.n
    r = by_key(plans)[(UNIT, "R")]
    assert list(r.index(respondents)) == list(respondents.index)
    assert plan_groups(respondents.iloc[:0], {"R": None}, 5) == []


def test_a_cycle_in_the_unit_tree_is_an_error():
    with pytest.raises(ValueError, match="cycle"):
        plan_groups(people(("A", "hr", "frontline", 5)), {"A": "B", "B": "A"}, 5)


def test_aggregate_rolls_up_and_hides_numbers_of_suppressed_groups():
    respondents = people(("A", "hr", "frontline", 10), ("A", "hr", "manager", 10),
                         ("B", "hr", "frontline", 8), ("B", "hr", "manager", 8),
                         ("C", "hr", "frontline", 2))  # fmt: skip
    rng = np.random.default_rng(3)
    scores = pd.DataFrame(
        {"s": rng.normal(size=38), "t": np.r_[np.nan, rng.normal(size=37)]},
        index=respondents.index,
    )
    plans = plan_groups(respondents, {"R": None, "A": "R", "B": "R", "C": "R"}, 5)
    results = {(g.kind, g.key): g for g in aggregate(scores, respondents, plans, ["s", "t"])}
    root = results[(UNIT, "R")]
    assert root.n == 38 and root.answered == {"s": 38, "t": 37}
    assert root.means["s"] == pytest.approx(scores["s"].mean())
    assert root.means["t"] == pytest.approx(scores["t"].mean())
    assert results[(FUNCTION, "hr")].means == pytest.approx(root.means)
    unit_a = results[(UNIT, "A")]
    assert unit_a.n == 20 and unit_a.means["s"] == pytest.approx(scores["s"].iloc[:20].mean())
    managers = results[(UNIT_LEVEL, "R/manager")]
    expected = scores["t"][respondents["level"] == "manager"].mean()
    assert managers.n == 18 and managers.means["t"] == pytest.approx(expected)
    hidden = results[(UNIT, "C")]
    assert hidden.suppressed and hidden.n is None and not hidden.means and not hidden.answered
    assert hidden.reason == HIDDEN_REASON
    # B (16) hides with C (2); so does B/frontline (8) beside C/frontline within R/frontline
    for key in [(UNIT, "B"), (UNIT_LEVEL, "B/frontline")]:
        assert results[key].suppressed and results[key].reason == HIDDEN_REASON
        assert results[key].n is None


def test_refuse_differencing():
    assert refuse_differencing(4, 40, 5) == "fewer than 5 respondents"
    assert "rest of the group" in refuse_differencing(37, 40, 5)
    assert refuse_differencing(35, 40, 5) is None
    assert refuse_differencing(40, 40, 5) is None  # the whole parent: nothing to subtract


# --- property: over random small organisations the plan is safe -------------------------


def sibling_sets(plans: list[GroupPlan], parents: dict[str, str | None]):
    """Every (parent, members) set the privacy rule protects, built from the plan's keys."""
    index = by_key(plans)
    units = [u for u in parents if (UNIT, u) in index]
    functions = [p.key for p in plans if p.kind == FUNCTION]
    levels = [p.key for p in plans if p.kind == LEVEL]
    roots = [u for u in units if parents[u] is None]

    def kids(u: str) -> list[str]:
        return [c for c in units if parents[c] == u]

    raw = [
        ((ORGANISATION, "all"), [(UNIT, r) for r in roots]),
        ((ORGANISATION, "all"), [(FUNCTION, f) for f in functions]),
        ((ORGANISATION, "all"), [(LEVEL, lv) for lv in levels]),
    ]
    for f in functions:
        raw.append(((FUNCTION, f), [(FUNCTION_LEVEL, f"{f}/{lv}") for lv in levels]))
        raw.append(((FUNCTION, f), [(UNIT_FUNCTION, f"{r}/{f}") for r in roots]))
    for lv in levels:
        raw.append(((LEVEL, lv), [(FUNCTION_LEVEL, f"{f}/{lv}") for f in functions]))
        raw.append(((LEVEL, lv), [(UNIT_LEVEL, f"{r}/{lv}") for r in roots]))
    for u in units:
        raw.append(((UNIT, u), [(UNIT, c) for c in kids(u)]))
        raw.append(((UNIT, u), [(UNIT_FUNCTION, f"{u}/{f}") for f in functions]))
        raw.append(((UNIT, u), [(UNIT_LEVEL, f"{u}/{lv}") for lv in levels]))
        for f in functions:
            raw.append(
                ((UNIT_FUNCTION, f"{u}/{f}"), [(UNIT_FUNCTION, f"{c}/{f}") for c in kids(u)])
            )
        for lv in levels:
            raw.append(((UNIT_LEVEL, f"{u}/{lv}"), [(UNIT_LEVEL, f"{c}/{lv}") for c in kids(u)]))
    for parent, members in raw:
        present = [index[m] for m in members if m in index]
        if parent in index and present:
            yield index[parent], present


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_no_shown_group_is_small_and_no_hidden_group_can_be_worked_out(case):
    respondents, parents, k = case
    plans = plan_groups(respondents, parents, k)
    for plan in plans:
        assert plan.mask(respondents).sum() == plan.n
        assert not plan.suppressed or plan.reason == HIDDEN_REASON
        assert plan.suppressed or plan.n >= k
    for parent, members in sibling_sets(plans, parents):
        masks = [m.mask(respondents) for m in members]
        assert not (np.sum(masks, axis=0) > 1).any()  # members are disjoint
        assert not (np.any(masks, axis=0) & ~parent.mask(respondents)).any()
        hidden = [m for m in members if m.suppressed and m.n > 0]
        remainder = parent.n - sum(m.n for m in members)
        if not parent.suppressed:
            covered = remainder + sum(m.n for m in hidden)
            assert covered == 0 or covered >= k, (parent.key, covered)
        else:
            assert parent.n == 0 or hidden or remainder > 0, (parent.key, "rebuilt")


def test_a_figure_answered_by_fewer_than_k_members_is_not_shown():
    respondents = people(("A", "hr", "frontline", 20), ("B", "hr", "frontline", 20))
    scores = pd.DataFrame(
        {"all": np.arange(40.0), "one": [7.0] + [np.nan] * 39, "five": [1.0] * 5 + [np.nan] * 35},
        index=respondents.index,
    )
    plans = plan_groups(respondents, {"A": None, "B": None}, 5)
    results = {(g.kind, g.key): g for g in aggregate(scores, respondents, plans, list(scores))}
    unit_a = results[(UNIT, "A")]
    assert unit_a.n == 20 and unit_a.answered == {"all": 20, "one": 0, "five": 5}
    assert np.isnan(unit_a.means["one"]) and unit_a.means["five"] == 1.0
    unit_b = results[(UNIT, "B")]
    assert unit_b.answered["five"] == 0 and np.isnan(unit_b.means["five"])
