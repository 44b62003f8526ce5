"""The release audit: what an attacker can narrow from every count a release shows, and fixing it.

Every group a release shows publishes its respondent count, and every group is a sum of
atomic cells (a unit's own respondents x function x level). An attacker who knows all shown
counts knows that the true cells x satisfy `A x = b` (one row per shown group) and `x >= 0`.
For a hidden quantity t (a hidden group, or an atomic cell), the two linear programs
min/max t.x over that set give the interval the attacker can prove t lies in: its protection
interval. The audit requires every sensitive quantity (true count between 1 and k - 1) to have
an interval at least k wide, and hides more groups until it has (as tau-ARGUS and sdcTable
audit and complete a suppression pattern). Hiding a group drops a constraint and can only widen
intervals, so a quantity once protected stays protected while later ones are fixed.

Exact means follow from counts: a set S of people has a derivable sum (hence mean) only when
its cell vector is a combination of the shown groups' rows, and then its count is fixed too;
if 0 < |S| < k every atomic cell of S with a member lies in [0, |S|], an interval narrower
than k, which the audit refuses. So no mean of fewer than k people is derivable from a
release that passes. Pure numpy/scipy: the HiGHS solver of `scipy.optimize.linprog`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

_UNBOUNDED = 3  # linprog status: the objective is unbounded (the attacker learns no bound)
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class AuditResult:
    """The groups to hide (the input's plus those the audit added) and what it took."""

    hidden: np.ndarray
    added: tuple[int, ...]
    targets: int
    programs: int


def membership(
    shape: tuple[int, int, int],
    groups: Sequence[tuple[Sequence[int] | None, int | None, int | None]],
) -> sparse.csr_matrix:
    """0/1 rows over the flattened (unit, function, level) cells, one per group.

    A group is (unit rows, function, level); None on an axis means every value of it,
    the last "unknown" position included.
    """
    rows, columns = [], []
    everything = [np.arange(size) for size in shape]
    for g, (units, function, level) in enumerate(groups):
        axes = (
            everything[0] if units is None else np.asarray(units, dtype=np.int64),
            everything[1] if function is None else np.asarray([function]),
            everything[2] if level is None else np.asarray([level]),
        )
        cells = np.ravel_multi_index(np.ix_(*axes), shape).ravel()
        rows.append(np.full(len(cells), g))
        columns.append(cells)
    data = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
    return sparse.csr_matrix(
        (np.ones(len(data)), (data, np.concatenate(columns) if columns else data)),
        shape=(len(groups), int(np.prod(shape))),
    )


def known_cells(shape: tuple[int, int, int], counts: np.ndarray) -> np.ndarray:
    """The flattened cells to model: all, unless the axes' last "unknown" positions (a
    respondent with no unit, function or level, or one outside the axes) hold nobody, and
    then only the known ones. A response always carries its unit, function and level, and a
    reader knows it: an empty unknown cell kept in the model is mass the attacker knows is
    not there, and widens intervals in the audit that the attack does not have."""
    grid = np.indices(shape).reshape(3, -1)
    known = (grid < np.array(shape)[:, None] - 1).all(axis=0)
    return known if not counts[~known].any() else np.ones(len(known), dtype=bool)


def _extreme(
    equations: sparse.csr_matrix, totals: np.ndarray, target: np.ndarray, maximise: bool
) -> tuple[float, np.ndarray]:
    """The largest (or smallest) value of `target . x` the shown totals allow, and which
    equations bind it (nonzero duals)."""
    sign = -1.0 if maximise else 1.0
    result = linprog(sign * target, A_eq=equations, b_eq=totals, bounds=(0, None), method="highs")
    if result.status == _UNBOUNDED:
        return (np.inf if maximise else -np.inf), np.zeros(equations.shape[0], dtype=bool)
    if result.status != 0:
        raise RuntimeError(f"the audit's linear program failed: {result.message}")
    return sign * float(result.fun), np.abs(result.eqlin.marginals) > _TOLERANCE


def protection_interval(
    members: sparse.csr_matrix, counts: np.ndarray, shown: np.ndarray, target: np.ndarray
) -> tuple[float, float]:
    """The interval an attacker can prove `target . x` lies in from the shown groups' counts.

    `members` has one row per group over the atomic cells, `counts` the groups' counts, `shown`
    which groups are published; `target` weights the atomic cells (a 0/1 vector of a group).
    """
    equations, totals = members[shown], counts[shown].astype(float)
    low, _ = _extreme(equations, totals, target, maximise=False)
    high, _ = _extreme(equations, totals, target, maximise=True)
    return low, high


def audit(
    members: sparse.csr_matrix,
    cells: np.ndarray,
    hidden: np.ndarray,
    min_size: int,
    fixed: np.ndarray | None = None,
) -> AuditResult:
    """Hide groups until every sensitive quantity's protection interval is >= `min_size` wide.

    `members` holds one row per group over the atomic cells, `cells` the true cell counts,
    `hidden` the groups already hidden. Sensitive: hidden groups and atomic cells with 1 to
    k - 1 respondents. A failing quantity gets the smallest shown group that binds its
    interval hidden next (any binding group, the one of everyone last; the smallest
    overlapping one if no dual binds), then is audited again. Groups marked `fixed` are never
    hidden: they were published already (an earlier release, `release_audit`) or stand for
    quantities to protect, not for anything published (hidden rows of atomic cells).
    """
    hidden = hidden.copy()
    hideable = np.ones(len(hidden), dtype=bool) if fixed is None else ~fixed
    counts = np.asarray(members @ cells).ravel()
    everyone = cells.sum()  # the organisation: hidden only when nothing smaller binds
    small = np.flatnonzero(hidden & (counts > 0) & (counts < min_size))
    targets = [members.getrow(g).toarray().ravel() for g in small]
    for cell in np.flatnonzero((cells > 0) & (cells < min_size)):
        targets.append(np.eye(1, len(cells), cell).ravel())
    added: list[int] = []
    programs = 0
    for target in targets:
        value = float(target @ cells)
        touching = np.asarray(members @ target).ravel() > 0
        while (touching & ~hidden).any():  # a fixed row may bind it through hideable others
            shown = np.flatnonzero(~hidden)
            equations, totals = members[shown], counts[shown].astype(float)
            high, binding = _extreme(equations, totals, target, maximise=True)
            programs += 1
            if high - value >= min_size - _TOLERANCE:
                break
            low, binding_low = _extreme(equations, totals, target, maximise=False)
            programs += 1
            if high - low >= min_size - _TOLERANCE:
                break
            bound = shown[(binding | binding_low) & hideable[shown]]
            candidates = (
                bound[counts[bound] < everyone] if (counts[bound] < everyone).any() else bound
            )
            if not len(candidates):
                candidates = shown[touching[shown] & hideable[shown]]
            if not len(candidates):
                break  # only fixed rows bind it: nothing left this audit may hide
            choice = int(candidates[np.argmin(counts[candidates])])
            hidden[choice] = True
            added.append(choice)
    return AuditResult(hidden, tuple(added), len(targets), programs)
