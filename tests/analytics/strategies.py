"""Hypothesis strategies of organisations, and what a release publishes: shared by the
analytics tests."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from surveyapp.analytics.suppression import (
    GroupPlan,
)


@st.composite
def unit_trees(draw, most: int) -> dict[str, str | None]:
    """A random unit tree of 1 to `most` units: unit code -> parent code."""
    count = draw(st.integers(1, most))
    codes = [f"U{i}" for i in range(count)]
    parents = {codes[0]: None}
    for i in range(1, count):
        parents[codes[i]] = draw(st.sampled_from([None, *codes[:i]]))
    return parents


@st.composite
def organisations(draw):
    """A random unit tree of 1-6 units and 0-70 respondents over 3 functions and 3 levels."""
    parents = draw(unit_trees(6))
    codes = list(parents)
    rows = draw(
        st.lists(
            st.tuples(st.sampled_from(codes), st.sampled_from(["f1", "f2", "f3"]),
                      st.sampled_from(["frontline", "manager", "senior_leader"])),
            max_size=70,
        )
    )  # fmt: skip
    respondents = pd.DataFrame(rows, columns=["unit", "function", "level"], dtype=object)
    respondents.index = pd.Index([f"r{i}" for i in range(len(rows))], name="response_id")
    return respondents, parents, draw(st.integers(2, 6))


def published(plans: list[GroupPlan]) -> list[dict]:
    """What a release shows of each group: its identity, and its size when shown."""
    return [
        {
            "kind": p.kind,
            "key": p.key,
            "suppressed": p.suppressed,
            "n": None if p.suppressed else p.n,
        }
        for p in plans
    ]
