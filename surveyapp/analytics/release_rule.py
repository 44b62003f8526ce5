"""Which new responses a result release may add: every published count moves by 0 or >= k.

Two releases of an open campaign are two readings of the same groups; if a group grew by one
person between them, n x mean differences give that person's answers (issue 16, point 4).
So a release adds new responses only in steps that change every published group by 0 or at
least k respondents: the organisation, every unit with its sub-units, every function and
level, and the crossings unit x function, unit x level and function x level, as
`suppression.plan_groups` defines them; and likewise the count behind every figure (a scale
only managers were asked, a comment question), since a figure's answered count is published
too, and every count of the organisation's quality section (a scale's complete cases,
overall and per language and level; an item's "don't know" answers).

`releasable` keeps the largest such subset of the new responses by a fixed point: while some
group's (or figure's) step is 1..k-1, drop the new responses in it. It only shrinks, so it
ends. It is the largest subset: any subset that obeys the rule takes fewer than k, hence
none, of the responses of a group whose whole step is under k, so it lies inside what is
left after each drop. Pure numpy, no Flask or SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from surveyapp.analytics import LEVELS, barriers, scoring
from surveyapp.analytics.frames import CampaignData
from surveyapp.analytics.suppression import axis_codes


def _ancestors(unit_parents: Mapping[str, str | None], units: list[str]) -> np.ndarray:
    """Per unit position: itself and every unit above it (positions, padded with -1)."""
    position = {code: i for i, code in enumerate(units)}
    chains = []
    for code in units:
        chain, seen = [], set()
        current: str | None = code
        while current is not None and current not in seen:
            seen.add(current)
            chain.append(position[current])
            current = unit_parents.get(current)
        chains.append(chain)
    depth = max((len(c) for c in chains), default=1)
    table = np.full((len(units) + 1, depth), -1, dtype=np.int64)
    for i, chain in enumerate(chains):
        table[i, : len(chain)] = chain
    return table


def group_ids(respondents: pd.DataFrame, unit_parents: Mapping[str, str | None]) -> np.ndarray:
    """Per respondent, the id of every published group it belongs to (-1 pads the row).

    The groups are those of `plan_groups`: the organisation; each unit above or at the
    respondent's own (a unit counts its sub-units' respondents); its function and level; and
    the crossings of those units with the function and with the level, and of function with
    level.
    """
    units = sorted({*unit_parents, *respondents["unit"].dropna()})
    functions = sorted(respondents["function"].dropna().unique())
    levels = [*LEVELS, *sorted(set(respondents["level"].dropna()) - set(LEVELS))]
    u = axis_codes(respondents["unit"], units)
    f = axis_codes(respondents["function"], functions)
    lv = axis_codes(respondents["level"], levels)
    nu, nf, nl = len(units) + 1, len(functions) + 1, len(levels) + 1
    up = _ancestors(unit_parents, units)[u]  # n x depth, -1 padded
    known = up >= 0
    base = np.cumsum([1, nu, nf, nl, nu * nf, nu * nl])
    columns = [
        np.zeros(len(u), dtype=np.int64),
        np.where(known, base[0] + up, -1),
        (base[1] + f)[:, None],
        (base[2] + lv)[:, None],
        np.where(known, base[3] + up * nf + f[:, None], -1),
        np.where(known, base[4] + up * nl + lv[:, None], -1),
        (base[5] + f * nl + lv)[:, None],
    ]
    return np.column_stack([c.reshape(len(u), -1) for c in columns])


def figure_masks(data: CampaignData) -> np.ndarray:
    """Per respondent, whether it counts in each figure's answered count (one column each).

    Columns: every per-respondent score (scale means, quiz, indices; a literacy level or a
    share follows its score), the barrier point (all ADKAR scores), the patterns (all cluster
    scales), and each comment question. Duplicate columns are dropped: most scales are
    answered by everyone, exactly like the group itself.
    """
    scores = scoring.respondent_scores(data)
    parts = [scores.notna()]
    parts.append(barriers.individual_barriers(scores, data.scales).notna().rename("barrier"))
    cluster = [s.key for s in data.scales if s.cluster]
    if cluster:
        parts.append(scores[cluster].notna().all(axis=1).rename("patterns"))
    for _item, rows in data.comments.groupby("item"):
        parts.append(data.respondents.index.isin(rows["response_id"]))
    return _columns(parts, len(data.respondents))


def _columns(parts: list, rows: int) -> np.ndarray:
    """The parts side by side as one boolean matrix, without duplicate columns."""
    frame = [np.asarray(p, dtype=bool).reshape(rows, -1) for p in parts]
    matrix = np.column_stack(frame) if frame else np.ones((rows, 0), bool)
    return np.unique(matrix, axis=1) if matrix.shape[1] else matrix


def quality_masks(data: CampaignData) -> np.ndarray:
    """Per respondent, whether it counts in each count of the document's quality section,
    which is published for the organisation only: each scale's complete cases
    (reliability), those per language and per level (the invariance groups), and each
    item's "don't know" answers. One column each, duplicates dropped."""
    complete = pd.DataFrame(
        {s.key: data.answers[list(s.items)].notna().all(axis=1) for s in data.scales},
        index=data.respondents.index,
    )
    parts: list = [complete]
    for column in ("locale", "level"):
        if column in data.respondents:
            for value in sorted(data.respondents[column].dropna().unique()):
                parts.append(complete & (data.respondents[column] == value).to_numpy()[:, None])
    if data.declined is not None:
        parts.append(data.declined.reindex(data.respondents.index, fill_value=False))
    return _columns(parts, len(data.respondents))


def releasable(
    groups: np.ndarray,
    answered: np.ndarray,
    min_size: int,
    overall: np.ndarray | None = None,
) -> np.ndarray:
    """The largest subset of new responses (a boolean mask) whose step is 0 or >= k everywhere.

    `groups` holds each new response's group ids (-1 pads), `answered` whether it counts in
    each figure; a group's step is its number of kept new responses, a figure's step in a
    group the number of those that answered it. `overall` holds counts published for the
    whole organisation only (`quality_masks`): their step is taken there alone.
    """
    overall = np.zeros((len(groups), 0), dtype=bool) if overall is None else overall
    kept = np.ones(len(groups), dtype=bool)
    size = int(groups.max()) + 1 if groups.size else 0
    padded = np.where(groups >= 0, groups, size)
    selections = [None, *range(answered.shape[1])]
    while kept.any():
        dropped = np.zeros(len(groups), dtype=bool)
        for column in selections:
            chosen = kept if column is None else kept & answered[:, column]
            steps = np.bincount(padded[chosen].ravel(), minlength=size + 1)
            short = (steps > 0) & (steps < min_size)
            short[size] = False
            dropped |= chosen & short[padded].any(axis=1)
        for column in range(overall.shape[1]):
            chosen = kept & overall[:, column]
            if 0 < np.count_nonzero(chosen) < min_size:
                dropped |= chosen
        if not dropped.any():
            break
        kept &= ~dropped
    return kept
