"""The consent remainder: group figures a reader of per-person rows may not see.

Whoever reads both the per-person rows of the people who consented and a group's figure
(n x mean) can subtract the rows from the figure and learn the sum, hence the mean, of the
group's people who did not consent. So a group is shown to such a reader only when that
remainder is 0 or at least k people.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from surveyapp.analytics.suppression import HIDDEN_REASON, ORGANISATION, ORGANISATION_KEY, UNIT


def _ancestors(unit_parents: Mapping[str, str | None], code: str) -> list[str]:
    found, parent = [], unit_parents.get(code)
    while parent is not None and parent not in found:
        found.append(parent)
        parent = unit_parents.get(parent)
    return found


def small_remainders(
    respondents: pd.DataFrame, unit_parents: Mapping[str, str | None], min_size: int
) -> set[tuple[str, str]]:
    """The organisation and unit groups to withhold from readers of per-person rows.

    A unit whose non-consenting remainder has 1 to k - 1 people is withheld, and so are all its
    ancestors and the organisation: otherwise the unit's figure would follow from its parent
    minus its shown siblings. Consenting means consent given and an employee id, as in the
    per-person export.
    """
    agreed = respondents["consent"].astype(bool) & respondents["employee_id"].notna()
    own = pd.DataFrame({"n": 1, "rest": ~agreed}).groupby(respondents["unit"]).sum()
    totals: dict[str, list[int]] = {}
    for code, row in own.iterrows():
        for unit in [str(code), *_ancestors(unit_parents, str(code))]:
            total = totals.setdefault(unit, [0, 0])
            total[0] += int(row["n"])
            total[1] += int(row["rest"])
    withheld: set[tuple[str, str]] = set()
    for code, (_, rest) in totals.items():
        if 0 < rest < min_size:
            withheld |= {(UNIT, unit) for unit in [code, *_ancestors(unit_parents, code)]}
    rest = int((~agreed).sum())
    if withheld or 0 < rest < min_size:
        withheld.add((ORGANISATION, ORGANISATION_KEY))
    return withheld


def withhold(document: Mapping[str, Any], groups: set[tuple[str, str]]) -> dict[str, Any]:
    """The analysis document with `groups` hidden the way every hidden group is."""
    return dict(document) | {
        "groups": [
            {
                "kind": g["kind"],
                "key": g["key"],
                "n": None,
                "suppressed": True,
                "reason": HIDDEN_REASON,
            }
            if (g["kind"], g["key"]) in groups
            else g
            for g in document["groups"]
        ]
    }
