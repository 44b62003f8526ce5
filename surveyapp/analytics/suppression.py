"""Which groups may be reported (privacy rule 1), and their figures when they may."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from surveyapp.analytics import disclosure_audit

ORGANISATION = "organisation"
UNIT = "unit"
FUNCTION = "function"
LEVEL = "level"
UNIT_FUNCTION = "unit+function"
UNIT_LEVEL = "unit+level"
FUNCTION_LEVEL = "function+level"
GROUP_KINDS = (ORGANISATION, UNIT, FUNCTION, LEVEL, UNIT_FUNCTION, UNIT_LEVEL, FUNCTION_LEVEL)
ORGANISATION_KEY = "all"
KEY_SEPARATOR = "/"  # crossing keys: "BR-NORTH/sales", "BR-NORTH/frontline", "sales/manager"
LEVELS = ("frontline", "manager", "senior_leader")
HIDDEN_REASON = "hidden to protect small groups"
"""The one reason every hidden group carries: whether a group is under the minimum, hidden to
protect another, or empty is never said, since each answer would narrow its size."""

_GroupId = tuple[str, str | None, str | None, str | None]
_CELL_AXES = ("function", "level")


def size_reason(min_size: int) -> str:
    """Why a filter or comparison is refused: it would rest on fewer than `min_size` people."""
    return f"fewer than {min_size} respondents"


@dataclass(frozen=True)
class GroupPlan:
    """A reporting group, its size and whether it is hidden.

    `unit`, `function` and `level` are the values that define the group (None: not
    constrained); `units` holds the unit codes whose respondents belong to it (the unit and all
    its sub-units; None for every unit). Use `mask` or `index` to select its respondents.
    `min_size` is the campaign's k: every figure of the group must rest on at least that many
    answers (`GroupMoments.of` applies it), not only the group itself.
    """

    kind: str
    key: str
    n: int
    suppressed: bool
    reason: str | None = None
    unit: str | None = None
    function: str | None = None
    level: str | None = None
    units: frozenset[str] | None = field(default=None, repr=False, compare=False)
    min_size: int = field(default=0, repr=False, compare=False)

    def mask(self, respondents: pd.DataFrame) -> np.ndarray:
        """Boolean mask over `respondents` rows (the frame the plan was built from)."""
        mask = np.ones(len(respondents), dtype=bool)
        if self.units is not None:
            mask &= respondents["unit"].isin(self.units).to_numpy()
        if self.function is not None:
            mask &= (respondents["function"] == self.function).to_numpy()
        if self.level is not None:
            mask &= (respondents["level"] == self.level).to_numpy()
        return mask

    def index(self, respondents: pd.DataFrame) -> pd.Index:
        """The response ids of the group's members."""
        return respondents.index[self.mask(respondents)]


@dataclass(frozen=True)
class GroupResult:
    """A group's figures: None / empty when it is suppressed (a hidden group has no numbers).

    `means` maps each score column to its mean over the members who have that score;
    `answered` gives how many members have it.
    """

    kind: str
    key: str
    n: int | None
    suppressed: bool
    reason: str | None
    unit: str | None = None
    function: str | None = None
    level: str | None = None
    means: Mapping[str, float] = field(default_factory=dict)
    answered: Mapping[str, int] = field(default_factory=dict)


def _unit_order(
    unit_parents: Mapping[str, str | None], present: Sequence[str]
) -> tuple[list[str], dict[str, str | None]]:
    """Units in depth-first order from sorted roots; unknown codes become top-level units."""
    parents = dict(unit_parents)
    for code in [*parents.values(), *present]:
        if code is not None and code not in parents:
            parents[code] = None
    children: dict[str | None, list[str]] = {}
    for code in sorted(parents):
        children.setdefault(parents[code], []).append(code)
    order: list[str] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        code = stack.pop()
        order.append(code)
        stack.extend(reversed(children.get(code, [])))
    if len(order) != len(parents):
        stuck = sorted(set(parents) - set(order))
        raise ValueError(f"the unit tree has a cycle through {', '.join(stuck)}")
    return order, parents


def _codes(values: pd.Series, categories: Sequence[str]) -> np.ndarray:
    """Position of each value in `categories`; len(categories) for missing or unknown values."""
    codes = pd.Categorical(values, categories=list(categories)).codes.astype(np.int64)
    return np.where(codes < 0, len(categories), codes)


def plan_groups(
    respondents: pd.DataFrame, unit_parents: Mapping[str, str | None], min_size: int
) -> list[GroupPlan]:
    """Every reporting group with its size, and which ones must be hidden (privacy rule 1).

    Groups: the organisation (key "all"); each unit of the tree, counting its own respondents
    and all its sub-units' (rolled up); each function; each level (the three known ones
    always); and the crossings unit+function, unit+level, function+level. Every group is
    listed, empty ones too: an empty group is hidden with the same reason as any other, so a
    reader cannot tell it from a hidden small one.

    Rule, applied until nothing changes (hiding in one set can force hiding in another):
    1. a group with fewer than `min_size` (k) respondents is hidden;
    2. a sibling set is a parent group and disjoint member groups that, with the parent's
       never-shown remainder (a unit's own direct respondents), make it up: the child units of
       a unit (or of the organisation), the functions or levels within the organisation, within
       a unit or within a function or level, and the child units' crossings within a unit's
       crossing. When the parent is shown, its hidden members must number 0 or at least 2, and
       the hidden members together with the remainder must count 0 or at least k respondents
       (the remainder is never relied on as cover, since it can be worked out); otherwise the
       smallest shown member is hidden as well (ties by key), or the parent if none is left;
    3. when the parent is hidden but equals the sum of shown members (no remainder, no hidden
       member), the smallest member is hidden, so the parent cannot be rebuilt from them.
    Empty hidden groups count for nothing in these rules. Sets are checked one at a time, so
    the release audit (`disclosure_audit.audit`) then runs over all groups together and hides
    more until no small hidden group or cell can be narrowed below k by any chain of them.
    """
    total = len(respondents)
    if total == 0:
        return []
    order, parents = _unit_order(unit_parents, respondents["unit"].dropna().unique().tolist())
    position = {code: i for i, code in enumerate(order)}
    functions = sorted(respondents["function"].dropna().unique().tolist())
    known = set(respondents["level"].dropna().unique().tolist())
    levels = list(LEVELS) + sorted(known - set(LEVELS))
    cell = np.zeros((len(order) + 1, len(functions) + 1, len(levels) + 1), dtype=np.int64)
    np.add.at(
        cell,
        (
            _codes(respondents["unit"], order),
            _codes(respondents["function"], functions),
            _codes(respondents["level"], levels),
        ),
        1,
    )
    rolled = cell.copy()
    for code in reversed(order):
        if parents[code] is not None:
            rolled[position[parents[code]]] += rolled[position[code]]
    children: dict[str, list[str]] = {code: [] for code in order}
    roots = [code for code in order if parents[code] is None]
    for code in order:
        if parents[code] is not None:
            children[parents[code]].append(code)
    subtree: dict[str, frozenset[str]] = {}
    for code in reversed(order):
        subtree[code] = frozenset({code}).union(*(subtree[c] for c in children[code]))

    ids: dict[_GroupId, int] = {}
    plans: list[dict[str, Any]] = []

    def add(kind: str, key: str, n: int, unit: str | None, fn: str | None, lv: str | None) -> None:
        ids[(kind, unit, fn, lv)] = len(plans)
        units = subtree[unit] if unit is not None else None
        plans.append(
            dict(kind=kind, key=key, n=int(n), unit=unit, function=fn, level=lv, units=units)
            | {"min_size": min_size}
        )

    join = KEY_SEPARATOR.join
    add(ORGANISATION, ORGANISATION_KEY, total, None, None, None)
    for code in order:
        add(UNIT, code, rolled[position[code]].sum(), code, None, None)
    for f, fn in enumerate(functions):
        add(FUNCTION, fn, cell[:, f].sum(), None, fn, None)
    for lv_i, lv in enumerate(levels):
        add(LEVEL, lv, cell[:, :, lv_i].sum(), None, None, lv)
    for code in order:
        for f, fn in enumerate(functions):
            add(UNIT_FUNCTION, join((code, fn)), rolled[position[code], f].sum(), code, fn, None)
    for code in order:
        for lv_i, lv in enumerate(levels):
            n = rolled[position[code], :, lv_i].sum()
            add(UNIT_LEVEL, join((code, lv)), n, code, None, lv)
    for f, fn in enumerate(functions):
        for lv_i, lv in enumerate(levels):
            add(FUNCTION_LEVEL, join((fn, lv)), cell[:, f, lv_i].sum(), None, fn, lv)

    sets: list[tuple[int, list[int]]] = []

    def link(parent: _GroupId, members: list[_GroupId]) -> None:
        found = [ids[m] for m in members if m in ids]
        if parent in ids and found:
            sets.append((ids[parent], found))

    org: _GroupId = (ORGANISATION, None, None, None)
    link(org, [(UNIT, r, None, None) for r in roots])
    link(org, [(FUNCTION, None, fn, None) for fn in functions])
    link(org, [(LEVEL, None, None, lv) for lv in levels])
    for fn in functions:
        link((FUNCTION, None, fn, None), [(FUNCTION_LEVEL, None, fn, lv) for lv in levels])
        link((FUNCTION, None, fn, None), [(UNIT_FUNCTION, r, fn, None) for r in roots])
    for lv in levels:
        link((LEVEL, None, None, lv), [(FUNCTION_LEVEL, None, fn, lv) for fn in functions])
        link((LEVEL, None, None, lv), [(UNIT_LEVEL, r, None, lv) for r in roots])
    for code in order:
        unit: _GroupId = (UNIT, code, None, None)
        link(unit, [(UNIT, c, None, None) for c in children[code]])
        link(unit, [(UNIT_FUNCTION, code, fn, None) for fn in functions])
        link(unit, [(UNIT_LEVEL, code, None, lv) for lv in levels])
        for fn in functions:
            sub = [(UNIT_FUNCTION, c, fn, None) for c in children[code]]
            link((UNIT_FUNCTION, code, fn, None), sub)
        for lv in levels:
            link((UNIT_LEVEL, code, None, lv), [(UNIT_LEVEL, c, None, lv) for c in children[code]])

    hidden = _suppress([p["n"] for p in plans], [p["key"] for p in plans], sets, min_size)
    axes = (
        position,
        {fn: f for f, fn in enumerate(functions)},
        {lv: i for i, lv in enumerate(levels)},
    )
    members = disclosure_audit.membership(
        cell.shape,
        [
            (
                None if p["units"] is None else [axes[0][u] for u in p["units"]],
                None if p["function"] is None else axes[1][p["function"]],
                None if p["level"] is None else axes[2][p["level"]],
            )
            for p in plans
        ],
    )
    audited = disclosure_audit.audit(
        members, cell.ravel(), np.array([r is not None for r in hidden]), min_size
    )
    return [
        GroupPlan(
            suppressed=bool(audited.hidden[i]),
            reason=HIDDEN_REASON if audited.hidden[i] else None,
            **plan,
        )
        for i, plan in enumerate(plans)
    ]


def _suppress(
    sizes: list[int], keys: list[str], sets: list[tuple[int, list[int]]], min_size: int
) -> list[str | None]:
    """The hiding reason of each group (None: shown) under the rule of `plan_groups`."""
    reason: list[str | None] = [HIDDEN_REASON if n < min_size else None for n in sizes]
    touching: dict[int, list[int]] = {}  # group -> the sets it is the parent or a member of
    for s, (parent, members) in enumerate(sets):
        for g in (parent, *members):
            touching.setdefault(g, []).append(s)
    queue = deque(range(len(sets)))
    queued = [True] * len(sets)
    while queue:
        s = queue.popleft()
        queued[s] = False
        parent, members = sets[s]
        remainder = sizes[parent] - sum(sizes[m] for m in members)
        while True:
            hidden = [m for m in members if reason[m] is not None and sizes[m] > 0]
            shown = [m for m in members if reason[m] is None]
            covered = remainder + sum(sizes[m] for m in hidden)
            if reason[parent] is None:
                unsafe = len(hidden) == 1 or 0 < covered < min_size
            else:
                unsafe = not hidden and remainder == 0 and bool(shown)
            if not unsafe:
                break
            target = min(shown, key=lambda m: (sizes[m], keys[m])) if shown else parent
            if reason[target] is not None:
                break
            reason[target] = HIDDEN_REASON
            for t in touching.get(target, []):
                if not queued[t]:
                    queued[t] = True
                    queue.append(t)
            if target == parent:
                break
    return reason


def reportable(plans: Sequence[GroupPlan], kind: str) -> dict[str, GroupPlan]:
    """The shown groups of one kind, keyed by their key."""
    return {plan.key: plan for plan in plans if plan.kind == kind and not plan.suppressed}


def refuse_differencing(subset_size: int, parent_size: int, min_size: int) -> str | None:
    """Why a filtered subset of a shown parent group may not be shown, or None if it may.

    A filter is refused when the subset has fewer than `min_size` respondents, or when the rest
    of the parent outside it is non-empty but smaller than `min_size` (the rest could be worked
    out by subtracting the subset from the parent: security note D2).
    """
    if subset_size < min_size:
        return size_reason(min_size)
    remainder = parent_size - subset_size
    if 0 < remainder < min_size:
        return f"the rest of the group would have fewer than {min_size} respondents"
    return None


class GroupMoments:
    """Count, sum and sum of squares of value columns per (unit, function, level) cell.

    Built once with a groupby over the rows; the moments of any group are then sums over its
    cells (unit roll-ups cached), so thousands of groups cost little even at 100k rows.
    """

    def __init__(
        self, values: pd.DataFrame, respondents: pd.DataFrame, plans: Sequence[GroupPlan]
    ) -> None:
        self.columns = [str(c) for c in values.columns]
        units = set(respondents["unit"].dropna()).union(
            *(p.units for p in plans if p.units is not None)
        )
        names = ("unit", *_CELL_AXES)
        axes = [sorted(units), *(sorted(respondents[c].dropna().unique()) for c in _CELL_AXES)]
        self._position = [{code: i for i, code in enumerate(axis)} for axis in axes]
        shape = tuple(len(axis) + 1 for axis in axes)
        codes = [_codes(respondents[c], axis) for c, axis in zip(names, axes, strict=True)]
        cell = np.ravel_multi_index(tuple(codes), shape)
        size = int(np.prod(shape))
        matrix = values.reindex(index=respondents.index).to_numpy(dtype="float64")
        flat = np.zeros((size, 3, len(self.columns)))
        for j in range(len(self.columns)):
            column = matrix[:, j]
            present = ~np.isnan(column)
            where, kept = cell[present], column[present]
            flat[:, 0, j] = np.bincount(where, minlength=size)
            flat[:, 1, j] = np.bincount(where, weights=kept, minlength=size)
            flat[:, 2, j] = np.bincount(where, weights=kept * kept, minlength=size)
        self._cells = flat.reshape(*shape, 3, len(self.columns))
        self._rolled: dict[frozenset[str] | None, np.ndarray] = {None: self._cells.sum(axis=0)}

    def moments(
        self,
        units: frozenset[str] | None = None,
        function: str | None = None,
        levels: Sequence[str] | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per column: count of non-missing values, mean and sample variance (ddof=1).

        Rows are those whose unit is in `units` (None: any), whose function is `function`
        (None: any) and whose level is in `levels` (None: any); NaN where undefined.
        """
        if units not in self._rolled:
            rows = [self._position[0][u] for u in units if u in self._position[0]]
            self._rolled[units] = self._cells[rows].sum(axis=0)
        block = self._rolled[units]
        if function is not None:
            f = self._position[1].get(function)
            block = block[[] if f is None else [f]]
        block = block.sum(axis=0)
        if levels is not None:
            block = block[[self._position[2][lv] for lv in levels if lv in self._position[2]]]
        count, total, squares = block.sum(axis=0)
        mean = np.divide(total, count, out=np.full(count.shape, np.nan), where=count > 0)
        spread = np.maximum(squares - total * np.nan_to_num(mean), 0.0)
        variance = np.divide(spread, count - 1, out=np.full(count.shape, np.nan), where=count > 1)
        return count.astype(np.int64), mean, variance

    def of(self, plan: GroupPlan) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`moments` of the members of a planned group, each resting on >= plan.min_size values.

        A column answered by fewer than the group's k members reads as not answered at all
        (count 0, mean and variance NaN): a group of 20 in which one person answered a scale
        must not publish that person's score. Every figure built from `of` obeys this.
        """
        levels = None if plan.level is None else [plan.level]
        count, mean, variance = self.moments(plan.units, plan.function, levels)
        small = count < plan.min_size
        return (
            np.where(small, 0, count),
            np.where(small, np.nan, mean),
            np.where(small, np.nan, variance),
        )


def aggregate(
    scores: pd.DataFrame,
    respondents: pd.DataFrame,
    plans: Sequence[GroupPlan],
    columns: Sequence[str],
) -> list[GroupResult]:
    """The figures of every planned group: means and answered counts of the score `columns`.

    Means are over the members who have the score (`answered`); a score fewer than the group's
    k members have reads as unanswered (mean NaN, answered 0, see `GroupMoments.of`). A
    suppressed group carries no numbers at all: n None, no means, no counts.
    """
    moments = GroupMoments(scores.reindex(columns=list(columns)), respondents, plans)
    results = []
    for plan in plans:
        parts = (plan.kind, plan.key)
        defining = {"unit": plan.unit, "function": plan.function, "level": plan.level}
        if plan.suppressed:
            results.append(GroupResult(*parts, None, True, plan.reason, **defining))
            continue
        count, mean, _ = moments.of(plan)
        results.append(
            GroupResult(
                *parts,
                plan.n,
                False,
                None,
                **defining,
                means={c: float(m) for c, m in zip(moments.columns, mean, strict=True)},
                answered={c: int(a) for c, a in zip(moments.columns, count, strict=True)},
            )
        )
    return results
