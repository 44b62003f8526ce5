"""The audit of a new result release together with the one before it.

The step rule (`release_rule`) keeps every published count moving by 0 or >= k, but a group
hidden in one release and shown in the next still gives itself away: its new size minus its
step (worked out from the organisation's step and its siblings') is its old, hidden size.
So a new release is audited with the previous one stacked, as an attacker would read both:
unknowns are the old release's atomic cells x and the new responses' cells d (both >= 0);
the old release publishes A x = b1 over its shown groups, the new one A (x + d) = b2 over
its own. Sensitive quantities (interval at least k wide required): the old release's small
hidden groups and cells, the new release's small hidden groups and cells, and every cell of
the step d with 1..k-1 new people. The old release's groups are fixed (already published);
only the new release hides more (`disclosure_audit.audit`), and `withheld` returns those
groups so every reader of the release rebuilds the same pattern (`plan_groups(withheld=)`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from surveyapp.analytics import LEVELS, disclosure_audit
from surveyapp.analytics.release_rule import group_ids, releasable
from surveyapp.analytics.suppression import GroupPlan, axis_codes, plan_groups


def _cells(
    respondents: pd.DataFrame, axes: Sequence[list[str]], shape: tuple[int, ...]
) -> np.ndarray:
    """Respondent counts per flattened (unit, function, level) cell."""
    codes = [
        axis_codes(respondents[name], axis)
        for name, axis in zip(("unit", "function", "level"), axes, strict=True)
    ]
    flat = np.ravel_multi_index(tuple(codes), shape)
    return np.bincount(flat, minlength=int(np.prod(shape))).astype(float)


def _members(
    plans: Sequence[GroupPlan], axes: Sequence[list[str]], shape: tuple[int, int, int]
) -> sparse.csr_matrix:
    position = [{code: i for i, code in enumerate(axis)} for axis in axes]
    return disclosure_audit.membership(
        shape,
        [
            (
                None if p.units is None else [position[0][u] for u in p.units],
                None if p.function is None else position[1][p.function],
                None if p.level is None else position[2][p.level],
            )
            for p in plans
        ],
    )


def _added(
    before: Sequence[GroupPlan],
    after: Sequence[GroupPlan],
    old: pd.DataFrame,
    new: pd.DataFrame,
    unit_parents: Mapping[str, str | None],
    min_size: int,
) -> set[tuple[str, str]]:
    """The groups of `after` the stacked audit hides beyond its own pattern."""
    units = sorted({*unit_parents, *new["unit"].dropna()})
    functions = sorted(new["function"].dropna().unique())
    levels = [*LEVELS, *sorted(set(new["level"].dropna()) - set(LEVELS))]
    axes = (units, functions, levels)
    shape = (len(units) + 1, len(functions) + 1, len(levels) + 1)
    rows = _members(after, axes, shape)
    where = {(p.kind, p.key): i for i, p in enumerate(after)}
    earlier = [where[(p.kind, p.key)] for p in before if (p.kind, p.key) in where]
    x = _cells(old, axes, shape)
    d = _cells(new, axes, shape) - x
    if (d < 0).any():  # the tree changed between the releases: no stacked reading exists
        return set()
    size = rows.shape[1]
    identity = sparse.identity(size, format="csr")
    stacked = sparse.vstack(
        [
            sparse.hstack([rows[earlier], sparse.csr_matrix(rows[earlier].shape)]),
            sparse.hstack([rows, rows]),
            sparse.hstack([identity, identity]),
        ],
        format="csr",
    )
    first = np.array([p.suppressed for p in before if (p.kind, p.key) in where], dtype=bool)
    hidden = np.concatenate([first, [p.suppressed for p in after], np.ones(size, dtype=bool)])
    fixed = np.ones(len(hidden), dtype=bool)
    fixed[len(earlier) : len(earlier) + len(after)] = False
    result = disclosure_audit.audit(stacked, np.concatenate([x, d]), hidden, min_size, fixed)
    return {(after[g - len(earlier)].kind, after[g - len(earlier)].key) for g in result.added}


def withheld(
    old: pd.DataFrame,
    old_withheld: Collection[tuple[str, str]],
    new: pd.DataFrame,
    unit_parents: Mapping[str, str | None],
    min_size: int,
) -> set[tuple[str, str]]:
    """The groups the new release must hide beyond its own plan, read against the old one.

    `old` and `new` are the respondents of the previous and the new release (the new one
    contains the old), `old_withheld` the previous release's own withheld groups. Hiding
    more can cascade through the sibling rule, so the plan is redone until the stacked audit
    adds nothing.
    """
    before = plan_groups(old, unit_parents, min_size, old_withheld)
    found: set[tuple[str, str]] = set()
    while True:
        after = plan_groups(new, unit_parents, min_size, found)
        more = _added(before, after, old, new, unit_parents, min_size)
        if not more - found:
            return found
        found |= more


@dataclass(frozen=True)
class NextRelease:
    """What a new release adds (a mask over the candidates) and the groups it withholds."""

    added: np.ndarray
    withheld: frozenset[tuple[str, str]]


def next_release(
    published: pd.DataFrame,
    published_withheld: Collection[tuple[str, str]],
    candidates: pd.DataFrame,
    answered: np.ndarray,
    unit_parents: Mapping[str, str | None],
    min_size: int,
    final: bool,
) -> NextRelease:
    """The next release of a campaign whose latest release covers `published`.

    `candidates` are the responses in no release yet, `answered` their figure masks
    (`release_rule.figure_masks`). With no earlier release nothing can be differenced, so
    the first release takes every candidate, once there are at least k of them (or at
    close, whatever there is). Later ones take the largest subset the step rule allows
    (`release_rule.releasable`) and are audited against the one before (`withheld`).
    """
    if candidates.empty:
        return NextRelease(np.zeros(0, dtype=bool), frozenset(published_withheld))
    if published.empty:
        enough = final or len(candidates) >= min_size
        return NextRelease(np.full(len(candidates), enough), frozenset())
    added = releasable(group_ids(candidates, unit_parents), answered, min_size)
    if not added.any():
        return NextRelease(added, frozenset(published_withheld))
    combined = pd.concat([published, candidates[added]])
    found = withheld(published, published_withheld, combined, unit_parents, min_size)
    return NextRelease(added, frozenset(found))
