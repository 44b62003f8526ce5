"""An attacker with everything releases publish: LP bounds on every small hidden quantity.

Written apart from `disclosure_audit` on purpose: it reads only the published groups (kind,
key, n when shown) and the unit tree, builds its own cells and constraints, and solves its
own linear programs, so the tests check the audit rather than repeat it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence

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


def narrowed_over(
    releases: Sequence[Iterable[Mapping]],
    frames: Sequence[pd.DataFrame],
    parents: Mapping[str, str | None],
    k: int,
) -> list[tuple[str, str, int, float, float]]:
    """The same attack over every release of a campaign read together (any number of them).

    Unknowns: the first release's cells and each later release's step (all >= 0); release r
    shows its groups over the sum of the first r blocks. Targets: small hidden groups and
    cells of every release, and every group and cell of every step with 1..k-1 new people."""
    releases = [list(r) for r in releases]
    functions = sorted(
        set(frames[-1]["function"])
        | {g["key"] for r in releases for g in r if g["kind"] == "function"}
    )
    cells = list(itertools.product(sorted(parents), functions, LEVELS))

    def counts(frame: pd.DataFrame) -> np.ndarray:
        truth = frame.groupby(["unit", "function", "level"]).size()
        return np.array([truth.get(cell, 0) for cell in cells], dtype=float)

    def row(g: Mapping) -> np.ndarray:
        return np.array([_contains(g["kind"], g["key"], c, parents) for c in cells], dtype=float)

    blocks = len(releases)
    zero = np.zeros(len(cells))

    def upto(vector: np.ndarray, r: int) -> np.ndarray:  # over release r's cells
        return np.concatenate([vector] * (r + 1) + [zero] * (blocks - r - 1))

    def only(vector: np.ndarray, r: int) -> np.ndarray:  # over step r's cells
        return np.concatenate([zero] * r + [vector] + [zero] * (blocks - r - 1))

    equations, totals, targets = [], [], []
    for r, release in enumerate(releases):
        for g in release:
            vector = row(g)
            if not g["suppressed"]:
                equations.append(upto(vector, r))
                totals.append(g["n"])
            else:
                targets.append((f"{r + 1}", g["kind"], g["key"], upto(vector, r)))
            if r:
                targets.append((f"step {r + 1}", g["kind"], g["key"], only(vector, r)))
        for i, c in enumerate(cells):
            e = np.eye(1, len(cells), i).ravel()
            targets.append((f"{r + 1}", "cell", "/".join(c), upto(e, r)))
            if r:
                targets.append((f"step {r + 1}", "cell", "/".join(c), only(e, r)))
    totals_by_release = [counts(frame) for frame in frames]
    truth = np.concatenate(
        [totals_by_release[0], *(b - a for a, b in itertools.pairwise(totals_by_release))]
    )
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
