"""Whether actions worked, and the say-do gap, read from the campaigns' released figures.

Every unit figure comes from an analysis document, which is built from the campaign's latest
result release with its suppression applied: a unit the release hides has no figure here and
so takes no part, on either side of a comparison. Outcome metrics are per unit already.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.analytics.action_effects import Effect, difference_in_differences
from surveyapp.analytics.say_do import SayDo, say_do
from surveyapp.models import Action, Campaign, OrgUnit
from surveyapp.services.action_plans import LITERACY, READINESS, shown_units
from surveyapp.services.outcomes import metric_means

OUTCOME_WINDOW = timedelta(days=91)  # a quarter before the action started, a quarter after
SAY_DO_MARGIN = timedelta(days=28)  # outcome periods around a wave's fieldwork count as its


def unit_means(analysis: dict[str, Any], measure: str) -> dict[str, float]:
    """Each shown unit's mean of `measure` (a scale key, readiness or literacy), by code."""
    means = {}
    for code, group in shown_units(analysis).items():
        if measure == READINESS:
            value = group.get("readiness_index")
        elif measure == LITERACY:
            value = (group.get("literacy") or {}).get("index")
        else:
            value = (group.get("scales", {}).get(measure) or {}).get("mean")
        if value is not None:
            means[code] = float(value)
    return means


@dataclass(frozen=True)
class UnitTree:
    """Codes and ids of the units, and which are leaves (units with no unit below them).

    Comparisons and the say-do scatter use leaf units only: a parent's figures contain its
    children's respondents, so comparing a unit with its own parent would compare it with
    itself. An action taken on a parent counts for every leaf below it.
    """

    codes: dict[int, str]
    leaves: frozenset[str]
    below: dict[str, frozenset[str]]

    @classmethod
    def read(cls, session: Session) -> UnitTree:
        rows = session.execute(sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.parent_id)).all()
        codes = {unit_id: code for unit_id, code, _ in rows}
        parents = {unit_id: parent for unit_id, _, parent in rows}
        leaves = frozenset(codes[u] for u in codes if u not in set(parents.values()))
        below: dict[str, set[str]] = defaultdict(set)
        for unit_id, code in codes.items():
            if code not in leaves:
                continue
            current: int | None = unit_id
            while current is not None:
                below[codes[current]].add(code)
                current = parents.get(current)
        return cls(codes, leaves, {code: frozenset(found) for code, found in below.items()})


def wave_day(campaign: Campaign) -> date:
    """The day a wave starts: when it opened, or when it was made if it never opened."""
    return (campaign.opens_at or campaign.created_at).date()


@dataclass(frozen=True)
class ActionEffect:
    """An action (as one or more units took it) and what followed, on the survey measure it
    addressed and, when a metric is chosen, on that outcome."""

    title: str
    construct: str
    actions: tuple[Action, ...]
    survey: Effect
    metric: str | None
    outcome: Effect | None
    started: date
    done: date


def _taken_between(session: Session, start: date, end: date) -> list[Action]:
    """Actions under way or done that were started between the two waves' starts."""
    return list(
        session.scalars(
            sa.select(Action)
            .where(
                Action.status.in_(("in_progress", "done")),
                Action.started_on >= start,
                Action.started_on < end,
            )
            .order_by(Action.id)
        )
    )


def action_effects(
    session: Session,
    before: dict[str, Any],
    after: dict[str, Any],
    earlier: Campaign,
    later: Campaign,
    scope: set[int] | None,
    metric: str | None = None,
) -> list[ActionEffect]:
    """Every action done between the two waves' starts, grouped by what it was (playbook
    intervention, else title) and the measure it addressed, with its DiD estimate.

    Treated: units with such a done action; comparison candidates: units shown in both waves
    that had no action of their own under way or done in between (whatever its measure, so
    that another action's effect is not counted as no effect). With a `scope` (None: every
    unit), treated and comparison units are the reader's own only: pooled means of units
    outside it, beside the reader's own, would give those units' figures away.
    """
    start, end = wave_day(earlier), wave_day(later)
    tree = UnitTree.read(session)
    if scope is not None:
        mine = {code for unit_id, code in tree.codes.items() if unit_id in scope}
        tree = replace(tree, leaves=tree.leaves & mine)
    taken = _taken_between(session, start, end)
    acted = {leaf for a in taken for leaf in tree.below.get(a.unit.code, frozenset())}
    groups: dict[tuple[str, str], list[Action]] = defaultdict(list)
    for action in taken:
        if action.construct and action.status == "done" and action.done_on and action.done_on < end:
            key = (action.intervention or action.title.lower(), action.construct or "")
            groups[key].append(action)
    shown = set(shown_units(before)) & set(shown_units(after)) & tree.leaves
    results = []
    for (_, construct), done in sorted(groups.items(), key=lambda item: item[1][0].id):
        if scope is not None and not any(a.unit_id in scope for a in done):
            continue
        below = (tree.below.get(a.unit.code, frozenset()) for a in done)
        treated = {leaf for leaves in below for leaf in leaves if leaf in tree.leaves}
        candidates = shown - acted
        survey = difference_in_differences(
            unit_means(before, construct), unit_means(after, construct), treated, candidates
        )
        began = min(a.started_on for a in done)
        finished = max(a.done_on for a in done if a.done_on is not None)
        outcome = None
        if metric is not None:
            outcome = difference_in_differences(
                metric_means(session, metric, began - OUTCOME_WINDOW, began - timedelta(days=1)),
                metric_means(session, metric, finished, finished + OUTCOME_WINDOW),
                set(survey.treated),
                set(survey.comparison),
                caliper=None,
            )
        results.append(
            ActionEffect(
                done[0].title, construct, tuple(done), survey, metric, outcome, began, finished
            )
        )
    return results


def named_units(
    session: Session, codes: tuple[str, ...], scope: set[int] | None
) -> tuple[list[str], int]:
    """The names of the units among `codes` the reader may see, and how many others there
    are (counted, not named; `action_effects` gives a change manager their own units only);
    the page words the count in its own language."""
    rows = session.execute(sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name)).all()
    names = {code: (unit_id, name) for unit_id, code, name in rows}
    seen = [names[c][1] for c in codes if c in names and (scope is None or names[c][0] in scope)]
    return seen, len(codes) - len(seen)


def say_do_gap(
    session: Session,
    analysis: dict[str, Any],
    campaign: Campaign,
    measure: str,
    metric: str,
    scope: set[int] | None,
    say_cut: float | None = None,
) -> SayDo:
    """Leaf units in scope placed by what they say (`measure` in the campaign's release) and do
    (`metric` over the outcome periods within four weeks of the fieldwork)."""
    start = wave_day(campaign) - SAY_DO_MARGIN
    end = (campaign.closes_at.date() if campaign.closes_at else wave_day(campaign)) + SAY_DO_MARGIN
    tree = UnitTree.read(session)
    ids = {code: unit_id for unit_id, code in tree.codes.items()}
    say = {
        code: mean
        for code, mean in unit_means(analysis, measure).items()
        if code in tree.leaves and (scope is None or ids.get(code) in scope)
    }
    return say_do(say, metric_means(session, metric, start, end, scope), say_cut=say_cut)
