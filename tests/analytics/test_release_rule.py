"""Result releases: between two releases every published count moves by 0 or >= k, and an LP
attack over two consecutive releases read together narrows no small group or step below k."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyapp.analytics.release_audit import next_release
from surveyapp.analytics.release_rule import group_ids, releasable
from surveyapp.analytics.suppression import plan_groups
from tests.analytics.attack import narrowed_across
from tests.analytics.strategies import published, unit_trees


def test_a_step_of_one_person_waits_and_goes_with_k_more():
    parents = {"P": None, "A": "P"}
    rows = [("A", "f1", "frontline")] * 6
    frame = pd.DataFrame(rows, columns=["unit", "function", "level"])
    groups = group_ids(frame, parents)
    answered = np.ones((6, 0), dtype=bool)
    assert not releasable(groups[:1], answered[:1], 5).any()
    assert releasable(groups[:5], answered[:5], 5).all()
    assert releasable(groups, answered, 5).all()


def test_a_figure_answered_by_fewer_than_k_new_people_holds_them_back():
    # six new frontline people and one manager: the manager-only scale moves by one
    frame = pd.DataFrame(
        [("A", "f1", "frontline")] * 6 + [("A", "f1", "manager")] * 6,
        columns=["unit", "function", "level"],
    )
    groups = group_ids(frame, {"A": None})
    answered = np.zeros((12, 1), dtype=bool)
    answered[6, 0] = True  # one manager answered the scale only managers are asked
    kept = releasable(groups, answered, 5)
    assert kept[:6].all() and not kept[6] and kept[7:].all()


def _counts(plans, frame: pd.DataFrame, answered: np.ndarray) -> dict:
    """Every group's respondent count and per-figure answered counts."""
    return {
        (p.kind, p.key): (int(p.mask(frame).sum()), *answered[p.mask(frame)].sum(axis=0).tolist())
        for p in plans
    }


@st.composite
def arrivals(draw):
    """A random organisation, responses arriving in a random order, a random answered pattern
    of two figures (one only managers are asked), and the days releases are made (the last
    one at close). Few units and functions and many people, so that most runs make several
    releases."""
    parents = draw(unit_trees(4))
    codes = list(parents)
    rows = draw(
        st.lists(
            st.tuples(st.sampled_from(codes), st.sampled_from(["f1", "f2"]),
                      st.sampled_from(["frontline", "manager", "senior_leader"]), st.booleans()),
            min_size=10, max_size=160,
        )
    )  # fmt: skip
    respondents = pd.DataFrame([r[:3] for r in rows], columns=["unit", "function", "level"])
    respondents.index = pd.Index([f"r{i}" for i in range(len(rows))], name="response_id")
    managers = (respondents["level"] == "manager").to_numpy()
    answered = np.column_stack([managers, [r[3] for r in rows]]).astype(bool)
    n = len(rows)
    cuts = sorted(draw(st.lists(st.integers(1, n), min_size=1, max_size=5)))
    return respondents, parents, draw(st.integers(2, 5)), answered, [*cuts, n]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrivals())
def test_consecutive_releases_move_every_count_by_0_or_k_and_an_attack_across_them_fails(case):
    respondents, parents, k, answered, days = case
    in_release = np.zeros(len(respondents), dtype=bool)
    withheld: frozenset = frozenset()
    history = []
    for day, arrived in enumerate(days):
        final = day == len(days) - 1
        waiting = np.flatnonzero(~in_release[:arrived])
        release = next_release(
            respondents[in_release],
            withheld,
            respondents.iloc[waiting],
            answered[waiting],
            parents,
            k,
            final and not history,
        )
        if not release.added.any():
            continue
        in_release[waiting[release.added]] = True
        withheld = release.withheld
        frame = respondents[in_release]
        plans = plan_groups(frame, parents, k, withheld)
        history.append((frame, plans, _counts(plans, frame, answered[in_release])))
    for (before, first, old), (after, second, new) in itertools.pairwise(history):
        for group, counts in new.items():
            steps = np.subtract(counts, old.get(group, (0,) * len(counts)))
            assert ((steps == 0) | (steps >= k)).all(), (group, steps)
        found = narrowed_across(published(first), published(second), before, after, parents, k)
        assert found == []
