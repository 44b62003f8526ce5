"""The demo's closed loop: actions units took after the first wave, and an outcome series.

Two branch units (BR-NORTH, CONTACT) run role-based training after the first wave; their
knowledge is lifted in the second wave's answers and their weekly use of the AI assistant
rises after it, so "Did the actions work?" shows an action that worked. Markets holds a team
briefing that moves nothing: an action that did not. Usage is planted so that, around the
second wave, the units fall in all four say-do quadrants. The figures are synthetic and
chosen to show the pages; everything is written through the same services as real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import Campaign, OrgUnit
from surveyapp.services.action_effects import UnitTree, unit_means
from surveyapp.services.action_plans import READINESS
from surveyapp.services.actions import ActionFields, Actor, add_update, create_action
from surveyapp.services.analysis import analyze_campaign, library_from
from surveyapp.services.csv_input import CsvRow
from surveyapp.services.outcomes import import_outcomes

WORKED = ("BR-NORTH", "CONTACT")
DID_NOT_WORK = ("MARKETS",)
KNOWLEDGE_LIFT = 0.7  # z units: what the training adds to knowledge in the second wave
SECOND_WAVE_LIFTS = {code: {"knowledge": KNOWLEDGE_LIFT} for code in WORKED}
METRIC = "weekly_active_users"
PERIOD_DAYS = 28
PERIODS = 8
HIGH_USE, LOW_USE, SPREAD = 62.0, 24.0, 12.0  # % of staff using the assistant weekly
RISE = 18.0  # points of weekly use the training adds
NOISE = 0.4  # period-to-period wobble of a unit's weekly use
ADMIN = "admin@demo.example"
MANAGER = "change.manager@demo.example"


@dataclass(frozen=True)
class DemoAction:
    """One action of the demo: unit, playbook intervention, measure, owner, where it got."""

    unit: str
    intervention: str
    construct: str
    owner: str
    finding: str
    status: str
    note: str


ACTIONS = (
    *(
        DemoAction(
            code,
            "role-based-training",
            "adoption-readiness.knowledge",
            MANAGER,
            "Knowledge is the barrier point: people do not yet know how to use AI in their role.",
            "done",
            "Every team trained on its own cases; refresher booked.",
        )
        for code in WORKED
    ),
    DemoAction(
        "MARKETS",
        "awareness-briefing",
        "adoption-readiness.awareness",
        ADMIN,
        "Awareness is low: people do not know why the change is happening.",
        "done",
        "Briefing held; questions and answers published.",
    ),
    DemoAction(
        "BR-SOUTH",
        "floor-coaching",
        "adoption-readiness.ability",
        MANAGER,
        "Ability lags knowledge: people know the tool but do not use it in the work.",
        "in_progress",
        "Two coaches in place; the rest start next month.",
    ),
    DemoAction(
        "TECHOPS",
        "champions-network",
        "adoption-readiness.reinforcement",
        ADMIN,
        "Reinforcement is weak: early successes are not shared.",
        "planned",
        "",
    ),
)


def plan_actions(session: Session, first: Campaign, second: Campaign, instruments: Path) -> None:
    """The actions units took after the first wave, from the playbook, with dated updates."""
    playbook = library_from(instruments).playbook
    actor = Actor(ADMIN, "admin", None)
    started = (first.closes_at or first.opens_at or first.created_at).date() + timedelta(days=7)
    finished = (second.opens_at or second.created_at).date() - timedelta(days=21)
    units = {u.code: u for u in session.scalars(sa.select(OrgUnit))}
    for plan in ACTIONS:
        intervention = playbook.interventions[plan.intervention]
        fields = ActionFields(
            title=intervention.title["en"],
            owner=plan.owner,
            due_on=finished if plan.status != "planned" else finished + timedelta(days=120),
            finding=plan.finding,
            construct=plan.construct,
            owner_role=intervention.owner,
            timing=intervention.timing,
            notes=intervention.action["en"],
        )
        action = create_action(
            session, actor, units[plan.unit], fields, started, first.id, intervention.id
        )
        if plan.status != "planned":
            add_update(session, actor, action, "Started.", started, "in_progress")
        if plan.status == "done":
            add_update(session, actor, action, plan.note, finished, "done")
        elif plan.note:
            add_update(session, actor, action, plan.note, finished)


def _use_levels(readiness: dict[str, float]) -> dict[str, float]:
    """Each unit's weekly use around the second wave: in each half of readiness, about half
    the units use the assistant much and half little (the units that trained use it much),
    so all four say-do quadrants hold units."""
    ranked = sorted(readiness, key=lambda code: -readiness[code])
    halves = (ranked[: (len(ranked) + 1) // 2], ranked[(len(ranked) + 1) // 2 :])
    level: dict[str, float] = {}
    for half, first_low in zip(halves, (True, False), strict=True):
        others = [code for code in half if code not in WORKED]
        highs = max(0, len(half) // 2 - sum(code in WORKED for code in half))
        order = others if first_low else list(reversed(others))
        for index, code in enumerate(order):
            level[code] = HIGH_USE if index >= len(order) - highs else LOW_USE
        for code in half:
            level.setdefault(code, HIGH_USE)
    return level


def outcome_series(
    session: Session, first: Campaign, second: Campaign, instruments: Path, seed: int
) -> int:
    """Four-weekly weekly-active-user shares per leaf unit, ending at the second wave: a rise
    after the training in the units that took it; imported like a real file."""
    rng = np.random.default_rng(seed)
    analysis = analyze_campaign(session, second, instruments, previous=first)
    tree = UnitTree.read(session)
    readiness = {c: v for c, v in unit_means(analysis, READINESS).items() if c in tree.leaves}
    levels = _use_levels(readiness)
    end = (second.opens_at or second.created_at).date() + timedelta(days=21)
    finished = (second.opens_at or second.created_at).date() - timedelta(days=21)
    rows = []
    for code in sorted(tree.leaves):
        level = levels.get(code, LOW_USE) + rng.uniform(0, SPREAD)
        for k in range(PERIODS):
            start = end - timedelta(days=PERIOD_DAYS * (k + 1))
            value = level - 0.5 * k + rng.normal(0, NOISE)
            if code in WORKED and start < finished:
                value -= RISE
            rows.append(_row(len(rows) + 2, code, start, round(max(value, 0.0), 1)))
    return import_outcomes(session, rows, "demo outcomes").created


def _row(line: int, code: str, start: date, value: float) -> CsvRow:
    end = start + timedelta(days=PERIOD_DAYS - 1)
    return CsvRow(
        line,
        {
            "unit": code,
            "metric": METRIC,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "value": str(value),
        },
    )
