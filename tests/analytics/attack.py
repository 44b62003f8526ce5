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


def _bounds(vector, a_eq, b_eq) -> tuple[float, float]:
    found = []
    for sign in (1.0, -1.0):
        result = linprog(sign * vector, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        found.append(sign * result.fun if result.status == 0 else -sign * np.inf)
    return found[0], found[1]


def narrowed_across(
    first: Iterable[Mapping],
    second: Iterable[Mapping],
    before: pd.DataFrame,
    after: pd.DataFrame,
    parents: Mapping[str, str | None],
    k: int,
) -> list[tuple[str, str, int, float, float]]:
    """The same attack over two consecutive releases read together.

    Unknowns: the first release's cells x and the step's cells d (both >= 0); the first
    release shows A x, the second A (x + d). Targets: small hidden groups and cells of either
    release, and every group and cell of the step with 1..k-1 new people."""
    first, second = list(first), list(second)
    functions = sorted(
        set(after["function"]) | {g["key"] for g in first + second if g["kind"] == "function"}
    )
    cells = list(itertools.product(sorted(parents), functions, LEVELS))

    def counts(frame: pd.DataFrame) -> np.ndarray:
        truth = frame.groupby(["unit", "function", "level"]).size()
        return np.array([truth.get(cell, 0) for cell in cells], dtype=float)

    x0, x1 = counts(before), counts(after)
    zero = np.zeros(len(cells))

    def row(g: Mapping) -> np.ndarray:
        return np.array([_contains(g["kind"], g["key"], c, parents) for c in cells], dtype=float)

    equations, totals = [], []
    for release, stacked in ((first, lambda r: np.concatenate([r, zero])), (second, None)):
        for g in release:
            if not g["suppressed"]:
                r = row(g)
                equations.append(stacked(r) if stacked else np.concatenate([r, r]))
                totals.append(g["n"])
    targets = []
    for g in first:
        if g["suppressed"]:
            targets.append(("first", g["kind"], g["key"], np.concatenate([row(g), zero])))
    for g in second:
        r = row(g)
        if g["suppressed"]:
            targets.append(("second", g["kind"], g["key"], np.concatenate([r, r])))
        targets.append(("step", g["kind"], g["key"], np.concatenate([zero, r])))
    for i, c in enumerate(cells):
        e = np.eye(1, len(cells), i).ravel()
        name = "/".join(c)
        targets += [
            ("first", "cell", name, np.concatenate([e, zero])),
            ("second", "cell", name, np.concatenate([e, e])),
            ("step", "cell", name, np.concatenate([zero, e])),
        ]
    truth = np.concatenate([x0, x1 - x0])
    a_eq = np.array(equations) if equations else None
    b_eq = np.array(totals, dtype=float) if equations else None
    found = []
    for where, kind, key, vector in targets:
        n = round(float(vector @ truth))
        if not 0 < n < k:
            continue
        low, high = _bounds(vector, a_eq, b_eq)
        assert low - 1e-6 <= n <= high + 1e-6
        if high - low < k - 1e-6:
            found.append((f"{where}:{kind}", key, n, low, high))
    return found
