"""Which coverage figures the AI-literacy evidence may publish (privacy rule 1), decided once
for the whole organisation and every day the evidence shows, whatever scope a reader asks for,
so that no two scopes (a pack of one unit, a pack of another, the whole organisation's) can be
subtracted from each other; and together with every figure earlier builds published (kept
shown: they are out), so that no two builds can be either. A day's figures rest only on
completions recorded before it (`services.measures.counts_from`), so an earlier build's days
are counted again alike.

Published: per unit (its sub-units counted in) and risk tier, how many people use the tier
(population) and, per required kind of measure and day, how many of them had completed one
(completed). Each is a sum of atomic cells: the people of one unit itself (units hold people
directly as well as through sub-units) whose function and level give them the same tiers and
systems, and who had first completed a qualifying measure of each required (tier, kind) by the
same day (or never). Only combinations the measures catalogue allows are cells: one measure can
count for several tiers, and an attacker reading the catalogue knows it (where a unit's
signature has more than `MAX_COMBINATIONS` of them to try, only those people have are cells:
the audit then hides more, never less). Not-completed counts
(population minus completed) are rows as well, never published but protected, so completed <=
population holds by construction.

Hidden first: populations under k (empty ones too, as the release hides empty groups), and
completed counts whose population is hidden or whose completed or not-completed count is 1 to
k - 1 (so no rate says "all but two"). `disclosure_audit.audit` then hides more, over every
unit and day at once, until each hidden small figure and small cell has a protection interval
at least k wide (the release's rule); a hidden population takes its completed counts with it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from itertools import product

import numpy as np
from scipy import sparse

from surveyapp.analytics import LEVELS, disclosure_audit
from surveyapp.analytics.literacy_evidence import (
    Done,
    Organisation,
    Published,
    Use,
    qualifies,
)
from surveyapp.analytics.literacy_requirements import RISK_TIERS, Requirements

OTHER = ""  # a function or level no use names
Signature = frozenset[tuple[str, str]]  # the (tier, system) pairs a person uses
Bit = tuple[str, str]  # a required (tier, kind)
Figure = tuple[date | None, str, str, str | None]  # day, unit, tier, kind (population: no day)
MAX_COMBINATIONS = 20_000  # per unit and signature, beyond which only people's own are cells


def signature(uses: Iterable[Use], ancestry: Sequence[str], function: str, level: str) -> Signature:
    """The (tier, system) pairs the inventory gives a function and level in a unit (`ancestry`:
    the unit and its parents)."""
    return frozenset(
        (use.tier, use.system)
        for use in uses
        if (use.unit is None or use.unit in ancestry)
        and use.function in (None, function)
        and use.level in (None, level)
    )


def _bits(uses: Signature, requirements: Requirements) -> tuple[Bit, ...]:
    """The required (tier, kind) pairs of the tiers in a signature, in a fixed order."""
    tiers = sorted({tier for tier, _ in uses}, key=RISK_TIERS.index)
    return tuple((tier, kind) for tier in tiers for kind in requirements.tiers[tier].measures)


def _systems(uses: Signature, tier: str) -> tuple[str, ...]:
    return tuple(sorted(system for t, system in uses if t == tier))


def _allowed(qualifying: Sequence[frozenset[str]], never: int) -> list[tuple[int, ...]]:
    """Every combination of first-completion days (0..never) the (tier, kind) pairs can take
    together, given the measures that count for each: a measure first completed on day s makes
    every pair it counts for complete by s. A combination is allowed when giving each measure
    the latest day its pairs permit reproduces it."""
    found = []
    for states in product(range(never + 1), repeat=len(qualifying)):
        latest: dict[str, int] = {}
        for state, measures in zip(states, qualifying, strict=True):
            for measure in measures:
                latest[measure] = max(latest.get(measure, 0), state)
        if all(
            min((latest[m] for m in measures), default=never) == state
            for state, measures in zip(states, qualifying, strict=True)
        ):
            found.append(states)
    return found


def _combinations(
    qualifying: Sequence[frozenset[str]], never: int, had: Iterable[tuple[int, ...]]
) -> list[tuple[int, ...]]:
    """The cells of one unit and signature: every allowed combination while there are at most
    `MAX_COMBINATIONS` of them to try, else only those people have (`had`). Fewer cells can
    only narrow what the auditor finds an attacker may prove (the true counts still solve its
    equations), so the audit then hides more, never less; it keeps the audit's size bounded
    by the people when many required (tier, kind) pairs meet many days."""
    if (never + 1) ** len(qualifying) <= MAX_COMBINATIONS:
        return _allowed(qualifying, never)
    return sorted(set(had))


def publish_coverage(
    organisation: Organisation,
    uses: Sequence[Use],
    completions: Sequence[Done],
    requirements: Requirements,
    k: int,
    days: Iterable[date],
    earlier: Collection[Figure] = (),
) -> dict[date, Published]:
    """The coverage figures each of `days` may show, for every unit of the organisation.

    Returns per day the populations by (unit, tier) and completed counts by (unit, tier, kind),
    None where hidden; a (unit, tier) is listed wherever the inventory lets someone in the unit
    use the tier, whether or not anyone does. `earlier`: the figures earlier builds published
    (`shown_figures`), audited together with these days and kept shown, so what this build
    shows cannot be combined with them. Method: the module's docstring.
    """
    shown_days = sorted(set(days))
    days = sorted(set(shown_days) | {figure[0] for figure in earlier if figure[0] is not None})
    never = len(days)
    catalogue = {done.measure: done for done in completions}
    functions = {p.function for p in organisation.people} | {u.function or OTHER for u in uses}
    levels = set(LEVELS) | {p.level for p in organisation.people} | {OTHER}
    placed = _place(organisation, uses, completions, requirements, days)
    had: dict[tuple[str, Signature], list[tuple[int, ...]]] = {}
    for unit, uses_here, states in placed:
        had.setdefault((unit, uses_here), []).append(states)
    columns: dict[tuple[str, Signature, tuple[int, ...]], int] = {}
    by_unit: dict[str, list[tuple[int, Signature, tuple[Bit, ...], tuple[int, ...]]]] = {}
    for unit in organisation.names:
        ancestry = organisation.ancestry(unit)
        possible = {signature(uses, ancestry, f, lv) for f in functions | {OTHER} for lv in levels}
        for uses_here in sorted(possible - {frozenset()}, key=sorted):
            bits = _bits(uses_here, requirements)
            qualifying = [
                frozenset(
                    title
                    for title, done in catalogue.items()
                    if qualifies(done, kind, tier, _systems(uses_here, tier))
                )
                for tier, kind in bits
            ]
            for states in _combinations(qualifying, never, had.get((unit, uses_here), [])):
                columns[(unit, uses_here, states)] = len(columns)
                by_unit.setdefault(unit, []).append((len(columns) - 1, uses_here, bits, states))
    cells = np.zeros(len(columns), dtype=np.int64)
    for key in placed:
        cells[columns[key]] += 1

    rows: list[list[int]] = []
    keys: list[tuple[str, str, str | None, int | None, bool]] = []  # unit, tier, kind, day, done
    systems: dict[tuple[str, str], tuple[str, ...]] = {}
    for unit in organisation.names:
        inside = [cell for code in organisation.subtree(unit) for cell in by_unit.get(code, [])]
        for tier in RISK_TIERS:
            users = [cell for cell in inside if any(t == tier for t, _ in cell[1])]
            if not users:
                continue
            named = {system for cell in users for t, system in cell[1] if t == tier}
            systems[(unit, tier)] = tuple(
                dict.fromkeys(u.system for u in uses if u.tier == tier and u.system in named)
            )
            rows.append([cell[0] for cell in users])
            keys.append((unit, tier, None, None, False))
            for kind in requirements.tiers[tier].measures:
                for day in range(never):
                    for completed in (True, False):
                        rows.append(
                            [
                                index
                                for index, _, bits, states in users
                                if (states[bits.index((tier, kind))] <= day) == completed
                            ]
                        )
                        keys.append((unit, tier, kind, day, completed))
    members = sparse.csr_matrix(
        (
            np.ones(sum(len(r) for r in rows)),
            (np.repeat(np.arange(len(rows)), [len(r) for r in rows]), np.concatenate(rows or [[]])),
        ),
        shape=(len(rows), len(columns)),
    )
    counts = np.asarray(members @ cells).ravel()
    hidden, fixed = _first_hidden(keys, counts, k)
    pinned, elsewhere = _earlier(keys, days, shown_days, set(earlier))
    hidden = (hidden | elsewhere) & ~pinned
    audited = disclosure_audit.audit(members, cells, hidden, k, fixed | pinned | elsewhere).hidden
    figures = _figures(keys, counts, audited, days, systems)
    return {day: figures[day] for day in shown_days}


def _earlier(
    keys: Sequence[tuple[str, str, str | None, int | None, bool]],
    days: Sequence[date],
    shown_days: Sequence[date],
    earlier: set[Figure],
) -> tuple[np.ndarray, np.ndarray]:
    """The rows earlier builds published (kept shown: they are out), and the completed counts
    of days only earlier builds show that they hid (kept hidden: this build shows none)."""
    pinned = np.zeros(len(keys), dtype=bool)
    elsewhere = np.zeros(len(keys), dtype=bool)
    for row, (unit, tier, kind, day, completed) in enumerate(keys):
        if kind is None:
            pinned[row] = (None, unit, tier, None) in earlier
        elif completed and day is not None:
            pinned[row] = (days[day], unit, tier, kind) in earlier
            elsewhere[row] = not pinned[row] and days[day] not in shown_days
    return pinned, elsewhere


def shown_figures(published: Mapping[date, Published]) -> list[Figure]:
    """The figures a build publishes (whichever scope it prints), for later builds to pin."""
    figures: set[Figure] = set()
    for day, shown in published.items():
        figures |= {(None, u, t, None) for (u, t), n in shown.populations.items() if n is not None}
        figures |= {(day, *key) for key, n in shown.completed.items() if n is not None}
    return sorted(figures, key=str)


def _place(
    organisation: Organisation,
    uses: Sequence[Use],
    completions: Sequence[Done],
    requirements: Requirements,
    days: Sequence[date],
) -> list[tuple[str, Signature, tuple[int, ...]]]:
    """Each person's cell: their unit, the (tier, system) pairs they use, and per required
    (tier, kind) the first of `days` by which they had completed it (len(days): never)."""
    done_by_person: dict[int, list[Done]] = {}
    for done in completions:
        done_by_person.setdefault(done.person_id, []).append(done)
    placed = []
    for person in organisation.people:
        uses_here = signature(
            uses, organisation.ancestry(person.unit), person.function, person.level
        )
        if not uses_here or person.unit not in organisation.names:
            continue
        states = tuple(
            min(
                (
                    bisect_left(days, done.counts_from)
                    for done in done_by_person.get(person.person_id, [])
                    if qualifies(done, kind, tier, _systems(uses_here, tier))
                ),
                default=len(days),
            )
            for tier, kind in _bits(uses_here, requirements)
        )
        placed.append((person.unit, uses_here, states))
    return placed


def _first_hidden(
    keys: Sequence[tuple[str, str, str | None, int | None, bool]], counts: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The rows hidden before the audit, and the rows it may not unhide or hide (the
    not-completed counts: protected, never published)."""
    hidden = np.zeros(len(keys), dtype=bool)
    fixed = np.zeros(len(keys), dtype=bool)
    population = 0
    for row, (_, _, kind, _, completed) in enumerate(keys):
        if kind is None:
            population = row
            hidden[row] = counts[row] < k
        elif completed:
            rest = counts[row + 1]
            hidden[row] = hidden[population] or 0 < counts[row] < k or 0 < rest < k
        else:
            hidden[row] = fixed[row] = True
    return hidden, fixed


def _figures(
    keys: Sequence[tuple[str, str, str | None, int | None, bool]],
    counts: np.ndarray,
    hidden: np.ndarray,
    days: Sequence[date],
    systems: Mapping[tuple[str, str], tuple[str, ...]],
) -> dict[date, Published]:
    """Per day, the shown counts (None where hidden; a hidden population hides its completed
    counts)."""
    populations: dict[tuple[str, str], int | None] = {}
    completed: list[dict[tuple[str, str, str], int | None]] = [{} for _ in days]
    for row, (unit, tier, kind, day, done) in enumerate(keys):
        shown = None if hidden[row] else int(counts[row])
        if kind is None:
            populations[(unit, tier)] = shown
        elif done and day is not None:
            covered = shown if populations[(unit, tier)] is not None else None
            completed[day][(unit, tier, kind)] = covered
    return {
        day: Published(systems, populations, completed[position])
        for position, day in enumerate(days)
    }
