"""An attacker with everything a release publishes: LP bounds on every small hidden quantity.

Written apart from `disclosure_audit` on purpose: it reads only the published groups (kind,
key, n when shown) and the unit tree, builds its own cells and constraints, and solves its
own linear programs, so the tests check the audit rather than repeat it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy.optimize import linprog

LEVELS = ("frontline", "manager", "senior_leader")


def _subtree(parents: Mapping[str, str | None], code: str) -> set[str]:
    found, pending = set(), [code]
    while pending:
        unit = pending.pop()
        found.add(unit)
        pending += [child for child, parent in parents.items() if parent == unit]
    return found


def _contains(kind: str, key: str, cell: tuple[str, str, str], parents) -> bool:
    unit, function, level = cell
    parts = key.split("/")
    if kind == "organisation":
        return True
    if kind == "unit":
        return unit in _subtree(parents, key)
    if kind == "function":
        return function == key
    if kind == "level":
        return level == key
    if kind == "unit+function":
        return unit in _subtree(parents, parts[0]) and function == parts[1]
    if kind == "unit+level":
        return unit in _subtree(parents, parts[0]) and level == parts[1]
    return function == parts[0] and level == parts[1]  # function+level


def narrowed(
    published: Iterable[Mapping],
    respondents: pd.DataFrame,
    parents: Mapping[str, str | None],
    k: int,
) -> list[tuple[str, str, int, float, float]]:
    """Every small hidden group or (unit, function, level) cell of 1..k-1 people whose
    interval, over all counts consistent with the shown ones, is narrower than k."""
    published = list(published)
    functions = sorted(
        set(respondents["function"]) | {g["key"] for g in published if g["kind"] == "function"}
    )
    cells = list(itertools.product(sorted(parents), functions, LEVELS))
    truth = respondents.groupby(["unit", "function", "level"]).size()
    x0 = np.array([truth.get(cell, 0) for cell in cells], dtype=float)
    rows = {
        (g["kind"], g["key"]): np.array(
            [_contains(g["kind"], g["key"], c, parents) for c in cells], dtype=float
        )
        for g in published
    }
    shown = [g for g in published if not g["suppressed"]]
    a_eq = np.array([rows[(g["kind"], g["key"])] for g in shown]) if shown else None
    b_eq = np.array([g["n"] for g in shown], dtype=float) if shown else None
    targets = [
        (g["kind"], g["key"], rows[(g["kind"], g["key"])]) for g in published if g["suppressed"]
    ]
    targets += [
        ("cell", "/".join(c), np.eye(1, len(cells), i).ravel()) for i, c in enumerate(cells)
    ]
    found = []
    for kind, key, vector in targets:
        n = round(float(vector @ x0))
        if not 0 < n < k:
            continue
        bounds = []
        for sign in (1.0, -1.0):
            result = linprog(sign * vector, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            bounds.append(sign * result.fun if result.status == 0 else -sign * np.inf)
        low, high = bounds
        assert low - 1e-6 <= n <= high + 1e-6
        if high - low < k - 1e-6:
            found.append((kind, key, n, low, high))
    return found
