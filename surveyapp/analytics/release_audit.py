"""The audit of a new result release together with every release of the campaign before it.

The step rule (`release_rule`) keeps every published count moving by 0 or >= k, but a group
hidden in one release and shown in the next still gives itself away: its new size minus its
step (worked out from the organisation's step and its siblings') is its old, hidden size.
So a new release is audited with all the earlier ones stacked, as an attacker would read
them: unknowns are the first release's atomic cells x1 and each later release's step d2, d3,
.. (all >= 0, since a release only adds responses); release r publishes
A_r (x1 + d2 + .. + dr) = b_r over its shown groups. Sensitive quantities (interval at least
k wide required): every release's small hidden groups and cells, and every cell of every
step with 1..k-1 new people. Stacking all releases, not only the last two, matters: a
group hidden in releases 1 and 2 and shown in 3 is bounded by both earlier readings at once.
The earlier releases' groups are fixed (already published); only the new release hides more
(`disclosure_audit.audit`), and `withheld` returns those groups so every reader of the
release rebuilds the same pattern (`plan_groups(withheld=)`). All releases must be cut in one
unit tree (the campaign's, fixed by its first release: services/unit_snapshots.py); a cell
that shrinks between releases means they were not, and is refused rather than skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
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


@dataclass(frozen=True)
class Release:
    """A published release as the audit reads it: every response it covers (it contains the
    releases before it) and the groups its own audit withheld."""

    respondents: pd.DataFrame
    withheld: frozenset[tuple[str, str]]


def _over(block: sparse.csr_matrix, release: int, releases: int) -> sparse.csr_matrix:
    """`block`'s rows applied to the cells of a release: the first cells plus each step up to
    it (a release contains every release before it)."""
    empty = sparse.csr_matrix(block.shape)
    return sparse.hstack([block] * (release + 1) + [empty] * (releases - release - 1), "csr")


def _added(
    earlier: Sequence[Sequence[GroupPlan]],
    after: Sequence[GroupPlan],
    frames: Sequence[pd.DataFrame],
    unit_parents: Mapping[str, str | None],
    min_size: int,
) -> set[tuple[str, str]]:
    """The groups of `after` the audit over every release stacked hides beyond its own plan.

    `earlier` are the plans of the published releases, oldest first, `frames` their
    respondents and then the new release's. Unknowns: the first release's cells and each
    later release's step (all >= 0); release r shows its groups over the sum of the first
    r blocks.
    """
    new = frames[-1]
    units = sorted({*unit_parents, *new["unit"].dropna()})
    functions = sorted(new["function"].dropna().unique())
    levels = [*LEVELS, *sorted(set(new["level"].dropna()) - set(LEVELS))]
    axes = (units, functions, levels)
    shape = (len(units) + 1, len(functions) + 1, len(levels) + 1)
    totals = [_cells(frame, axes, shape) for frame in frames]
    known = disclosure_audit.known_cells(shape, totals[-1])
    rows = _members(after, axes, shape)[:, known]
    totals = [total[known] for total in totals]
    where = {(p.kind, p.key): i for i, p in enumerate(after)}
    steps = [totals[0], *(b - a for a, b in itertools.pairwise(totals))]
    if any((step < 0).any() for step in steps):
        raise ValueError(
            "a release has fewer respondents in some cell than the one before it: the "
            "releases were not cut in one unit tree"
        )
    releases, size = len(frames), rows.shape[1]
    parts, hidden = [], []
    for number, plans in enumerate(earlier):
        shown = [p for p in plans if (p.kind, p.key) in where]
        parts.append(_over(rows[[where[(p.kind, p.key)] for p in shown]], number, releases))
        hidden.append(np.array([p.suppressed for p in shown], dtype=bool))
    offset = sum(part.shape[0] for part in parts)
    parts.append(_over(rows, releases - 1, releases))
    hidden.append(np.array([p.suppressed for p in after], dtype=bool))
    identity = sparse.identity(size, format="csr")
    for number in range(1, releases):  # every later release's own cells, to protect
        parts.append(_over(identity, number, releases))
        hidden.append(np.ones(size, dtype=bool))
    hide = np.concatenate(hidden)
    fixed = np.ones(len(hide), dtype=bool)
    fixed[offset : offset + len(after)] = False
    stacked = sparse.vstack(parts, format="csr")
    result = disclosure_audit.audit(stacked, np.concatenate(steps), hide, min_size, fixed)
    return {(after[g - offset].kind, after[g - offset].key) for g in result.added}


def withheld(
    history: Sequence[Release],
    new: pd.DataFrame,
    unit_parents: Mapping[str, str | None],
    min_size: int,
) -> set[tuple[str, str]]:
    """The groups the new release must hide beyond its own plan, read against every release
    before it.

    `history` are the campaign's published releases, oldest first, and `new` the
    respondents of the new release (it contains them all). Hiding more can cascade through
    the sibling rule, so the plan is redone until the stacked audit adds nothing.
    """
    earlier = [plan_groups(r.respondents, unit_parents, min_size, r.withheld) for r in history]
    frames = [*(r.respondents for r in history), new]
    found: set[tuple[str, str]] = set()
    while True:
        after = plan_groups(new, unit_parents, min_size, found)
        more = _added(earlier, after, frames, unit_parents, min_size)
        if not more - found:
            return found
        found |= more


@dataclass(frozen=True)
class NextRelease:
    """What a new release adds (a mask over the candidates) and the groups it withholds."""

    added: np.ndarray
    withheld: frozenset[tuple[str, str]]


def next_release(
    history: Sequence[Release],
    candidates: pd.DataFrame,
    answered: np.ndarray,
    unit_parents: Mapping[str, str | None],
    min_size: int,
    final: bool,
    overall: np.ndarray | None = None,
) -> NextRelease:
    """The next release of a campaign whose published releases are `history` (oldest first).

    `candidates` are the responses in no release yet, `answered` their figure masks
    (`release_rule.figure_masks`), `overall` their organisation-only counts
    (`release_rule.quality_masks`). With no earlier release nothing can be differenced, so
    the first release takes every candidate, once there are at least k of them (or at
    close, whatever there is). Later ones take the largest subset the step rule allows
    (`release_rule.releasable`) and are audited against every release before (`withheld`).
    """
    latest = history[-1] if history else Release(candidates.iloc[:0], frozenset())
    if candidates.empty:
        return NextRelease(np.zeros(0, dtype=bool), latest.withheld)
    if latest.respondents.empty:
        enough = final or len(candidates) >= min_size
        return NextRelease(np.full(len(candidates), enough), frozenset())
    added = releasable(group_ids(candidates, unit_parents), answered, min_size, overall)
    if not added.any():
        return NextRelease(added, latest.withheld)
    combined = pd.concat([latest.respondents, candidates[added]])
    found = withheld(history, combined, unit_parents, min_size)
    return NextRelease(added, frozenset(found))
