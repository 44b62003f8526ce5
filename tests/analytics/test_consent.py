"""The consent remainder: no reader of per-person rows sees a group whose rest is under k."""

from __future__ import annotations

import pandas as pd

from surveyapp.analytics.consent import small_remainders, withhold
from surveyapp.analytics.suppression import HIDDEN_REASON

PARENTS = {"R": None, "A": "R", "B": "R", "C": None}


def people(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    """(unit, consenting, not consenting) blocks as respondents."""
    records = [
        (unit, agreed, f"E{unit}{i}" if agreed else None)
        for unit, yes, no in rows
        for agreed, count in ((True, yes), (False, no))
        for i in range(count)
    ]
    return pd.DataFrame(records, columns=["unit", "consent", "employee_id"])


def test_a_remainder_of_one_withholds_the_unit_its_ancestors_and_the_organisation():
    respondents = people([("A", 5, 1), ("B", 4, 0), ("C", 3, 7)])
    assert small_remainders(respondents, PARENTS, 5) == {
        ("unit", "A"),
        ("unit", "R"),
        ("organisation", "all"),
    }


def test_remainders_of_zero_or_at_least_k_withhold_nothing():
    respondents = people([("A", 5, 0), ("B", 4, 5), ("C", 3, 7)])
    assert small_remainders(respondents, PARENTS, 5) == set()
    # consent without an employee id is no per-person row: it counts in the remainder
    no_id = people([("A", 5, 0), ("B", 0, 9), ("C", 0, 9)])
    no_id.loc[0, "employee_id"] = None
    assert small_remainders(no_id, PARENTS, 5) == {
        ("unit", "A"),
        ("unit", "R"),
        ("organisation", "all"),
    }


def test_withheld_groups_look_like_any_hidden_group():
    document = {"campaign": "c", "groups": [
        {"kind": "organisation", "key": "all", "n": 30, "suppressed": False, "scales": {}},
        {"kind": "unit", "key": "A", "n": 6, "suppressed": False, "scales": {}},
    ]}  # fmt: skip
    shown = withhold(document, {("unit", "A")})
    assert shown["groups"][0] == document["groups"][0]
    assert shown["groups"][1] == {
        "kind": "unit", "key": "A", "n": None, "suppressed": True, "reason": HIDDEN_REASON
    }  # fmt: skip
    assert document["groups"][1]["n"] == 6
