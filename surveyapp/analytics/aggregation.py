"""Figures of planned groups: moments per cell, and every shown group's means and counts.

Kept apart from `suppression` (which decides what may be shown) so each stays small; every
figure of a planned group goes through `GroupMoments.of`, which applies k to the answers
behind the figure as well as to the group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveyapp.analytics.suppression import GroupPlan, axis_codes

_CELL_AXES = ("function", "level")


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
        codes = [axis_codes(respondents[c], axis) for c, axis in zip(names, axes, strict=True)]
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
