"""Which groups may be reported (privacy rule 1), and their figures when they may."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from surveyapp.analytics import LEVELS, disclosure_audit

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
HIDDEN_REASON = "hidden to protect small groups"
"""The one reason every hidden group carries: whether a group is under the minimum, hidden to
protect another, or empty is never said, since each answer would narrow its size."""

_GroupId = tuple[str, str | None, str | None, str | None]


@dataclass(frozen=True)
class CountBand:
    """A count shown as a band of k values, `low` to `high` (both included): 0 to k - 1 is
    "fewer than k". It travels as its bounds, and `surveyapp.language.band_words` words it,
    in the reader's language, wherever it is read."""

    low: int
    high: int

    def bounds(self) -> dict[str, int]:
        """The band as JSON (`{"low": 5, "high": 9}`)."""
        return {"low": self.low, "high": self.high}


def count_band(count: int, min_size: int) -> CountBand | None:
    """A count that grows by one with each answer, as a band of `min_size` values (under
    `min_size`, then 5 to 9, ...), for text that is read again and again (answers waiting, rows
    in the way of a change): read before and after one more answer it mostly shows no change,
    and it never tells which count under k it is (issue 16). None when there are none."""
    if not count:
        return None
    low = 0 if count < min_size else count // min_size * min_size
    return CountBand(low, low + min_size - 1)


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


def axis_codes(values: pd.Series, categories: Sequence[str]) -> np.ndarray:
    """Position of each value in `categories`; len(categories) for missing or unknown values."""
    codes = pd.Categorical(values, categories=list(categories)).codes.astype(np.int64)
    return np.where(codes < 0, len(categories), codes)


def plan_groups(
    respondents: pd.DataFrame,
    unit_parents: Mapping[str, str | None],
    min_size: int,
    withheld: Collection[tuple[str, str]] = (),
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
    `withheld` ((kind, key) pairs) are hidden from the start: the groups a result release's
    audit against the release before it hid (`release_audit`), so every reader of that
    release rebuilds the pattern it was audited with.
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
            axis_codes(respondents["unit"], order),
            axis_codes(respondents["function"], functions),
            axis_codes(respondents["level"], levels),
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

    hidden = _suppress(
        [p["n"] for p in plans],
        [p["key"] for p in plans],
        sets,
        min_size,
        [(p["kind"], p["key"]) in withheld for p in plans],
    )
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
    known = disclosure_audit.known_cells(cell.shape, cell.ravel())
    audited = disclosure_audit.audit(
        members[:, known], cell.ravel()[known], np.array([r is not None for r in hidden]), min_size
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
    sizes: list[int],
    keys: list[str],
    sets: list[tuple[int, list[int]]],
    min_size: int,
    withheld: list[bool],
) -> list[str | None]:
    """The hiding reason of each group (None: shown) under the rule of `plan_groups`."""
    reason: list[str | None] = [
        HIDDEN_REASON if n < min_size or forced else None
        for n, forced in zip(sizes, withheld, strict=True)
    ]
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
