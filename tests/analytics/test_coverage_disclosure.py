"""The coverage audit's cells: exact while the combinations to try are few, else only those
people have, which keeps the audit small and hides at least as much as the exact cells do."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

import numpy as np
import pytest

from surveyapp.analytics import coverage_disclosure, disclosure_audit
from surveyapp.analytics.literacy_evidence import Done, Organisation, Person, Use
from surveyapp.analytics.literacy_requirements import (
    MEASURE_KINDS,
    Requirements,
    TierRequirement,
)

K = 5
EVERY_KIND = Requirements(
    {t: TierRequirement(t, "aware", 0.0, MEASURE_KINDS) for t in ("minimal", "limited", "high")},
    coverage_target=0.8,
)
FIRST = date(2026, 1, 1)
MEASURES = [  # (title, kind, tiers)
    (f"{kind} {tier}", kind, (tier,)) for kind in MEASURE_KINDS for tier in ("limited", "high")
] + [("policy", "policy_acknowledgement", ())]


def organisation(seed: int, size: int) -> tuple[Organisation, list[Use], list[Done]]:
    """A bank of three units whose people use every tier, and random completions."""
    rng = random.Random(seed)
    names = {"BANK": "Bank", "CS": "CS", "FIN": "FIN", "OPS": "OPS"}
    parents = {"BANK": None, "CS": "BANK", "FIN": "BANK", "OPS": "BANK"}
    people = [
        Person(n, rng.choice(list(names)), "ops", rng.choice(["frontline", "manager"]))
        for n in range(size)
    ]
    uses = [Use("copilot", "minimal", None, None, None), Use("bot", "limited", None, None, None)]
    uses.append(Use("model", "high", None, None, None))
    done = [
        Done(p.person_id, title, kind, tiers, (), FIRST + timedelta(rng.randint(0, 120)))
        for p in people
        for title, kind, tiers in MEASURES
        if rng.random() < 0.5
    ]
    return Organisation(names, parents, people), uses, done


def watched(monkeypatch) -> list:
    """The audits publish_coverage runs: (members, cells, result) each."""
    seen = []
    original = disclosure_audit.audit

    def audit(members, cells, hidden, k, fixed=None):
        result = original(members, cells, hidden, k, fixed)
        seen.append((members, cells, result))
        return result

    monkeypatch.setattr(coverage_disclosure.disclosure_audit, "audit", audit)
    return seen


def test_nine_required_pairs_over_four_days_take_only_the_cells_people_have(monkeypatch):
    org, uses, done = organisation(1, 300)
    days = [FIRST + timedelta(days=30 * n) for n in range(1, 5)]  # 5 ** 9 combinations each
    seen = watched(monkeypatch)
    start = time.perf_counter()
    coverage_disclosure.publish_coverage(org, uses, done, EVERY_KIND, K, days)
    assert time.perf_counter() - start < 30
    ((members, cells, _),) = seen
    assert members.shape[1] <= len(org.people) and cells.sum() == len(org.people)


@pytest.mark.parametrize("seed", range(3))
def test_the_cells_people_have_hide_at_least_what_every_allowed_cell_hides(monkeypatch, seed):
    org, uses, done = organisation(seed, 60)
    uses = uses[1:]  # limited and high: six pairs over two days, 3 ** 6 combinations
    days = [date(2026, 2, 1), date(2026, 4, 1)]
    seen = watched(monkeypatch)
    coverage_disclosure.publish_coverage(org, uses, done, EVERY_KIND, K, days)
    monkeypatch.setattr(coverage_disclosure, "MAX_COMBINATIONS", 0)
    coverage_disclosure.publish_coverage(org, uses, done, EVERY_KIND, K, days)
    (every, cells, exact), (fewer, _, bounded) = seen
    assert fewer.shape[1] < every.shape[1]
    assert not (exact.hidden & ~bounded.hidden).any()  # hides all the exact audit hides
    counts = np.asarray(every @ cells).ravel()
    shown = ~bounded.hidden
    for row in np.flatnonzero(bounded.hidden & (counts > 0) & (counts < K)):
        target = every.getrow(row).toarray().ravel()  # the attacker knows every allowed cell
        low, high = disclosure_audit.protection_interval(every, counts, shown, target)
        assert high - low >= K - 1e-6, (row, counts[row], low, high)


TWO_KINDS = Requirements(
    {
        "high": TierRequirement("high", "proficient", 0.5, ("briefing", "training")),
        "limited": TierRequirement("limited", "foundational", 0.5, ("briefing",)),
        "minimal": TierRequirement("minimal", "aware", 0.0, ("policy_acknowledgement",)),
    },
    0.8,
)
WAVE, D1, D2 = date(2026, 9, 20), date(2026, 11, 1), date(2026, 12, 1)


def small_bank(rng: random.Random) -> tuple[Organisation, list[Use], list[Done]]:
    """The red team's random organisation: up to 16 units, 15 to 60 people, two systems,
    completions around a wave's day and up to two months after it."""
    names, parents = {"ROOT": "Root"}, {"ROOT": None}
    for i in range(rng.randint(2, 4)):
        names[f"U{i}"], parents[f"U{i}"] = f"U{i}", "ROOT"
        for j in range(rng.randint(0, 3)):
            names[f"U{i}{j}"], parents[f"U{i}{j}"] = f"U{i}{j}", f"U{i}"
    people = [
        Person(p, rng.choice(list(names)), rng.choice(["sales", "ops"]), "frontline")
        for p in range(rng.randint(15, 60))
    ]
    uses = [
        Use("Model", "high", rng.choice(list(names)), rng.choice([None, "sales"]), None),
        Use("Bot", "limited", rng.choice(list(names)), None, None),
    ]
    measures = [("Brief", "briefing", ("high",)), ("Train", "training", ("high",))]
    measures.append(("BotB", "briefing", ("limited",)))
    done = [
        Done(p.person_id, title, kind, tiers, (), WAVE + timedelta(rng.randint(-60, 70)))
        for p in people
        for title, kind, tiers in measures
        if rng.random() < 0.6
    ]
    return Organisation(names, parents, people), uses, done


@pytest.mark.parametrize("seed", range(30))
def test_packs_of_two_days_together_narrow_no_hidden_small_figure(monkeypatch, seed):
    """Attack 4: build day D1, completions happen, build day D2 (both show the wave's day);
    one linear program over every figure both packs show narrows no hidden small one."""
    org, uses, done = small_bank(random.Random(seed))
    first = coverage_disclosure.publish_coverage(
        org, uses, [d for d in done if d.counts_from <= D1], TWO_KINDS, K, [D1, WAVE]
    )
    seen = watched(monkeypatch)
    keys: list = []
    original = coverage_disclosure._first_hidden

    def first_hidden(rows, counts, k):
        keys[:] = rows
        return original(rows, counts, k)

    monkeypatch.setattr(coverage_disclosure, "_first_hidden", first_hidden)
    earlier = coverage_disclosure.shown_figures(first)
    second = coverage_disclosure.publish_coverage(
        org, uses, [d for d in done if d.counts_from <= D2], TWO_KINDS, K, [D2, WAVE], earlier
    )
    ((members, cells, _),) = seen  # the second audit spans WAVE, D2 and D1 if it showed any
    days = sorted({WAVE, D2} | {figure[0] for figure in earlier if figure[0]})
    row = {key: number for number, key in enumerate(keys)}
    shown = np.zeros(len(keys), dtype=bool)
    for pack in (first, second):
        for day, figures in pack.items():
            for (unit, tier), n in figures.populations.items():
                shown[row[(unit, tier, None, None, False)]] |= n is not None
            for (unit, tier, kind), n in figures.completed.items():
                if n is not None:
                    shown[row[(unit, tier, kind, days.index(day), True)]] = True
    counts = np.asarray(members @ cells).ravel()
    for number in np.flatnonzero(~shown & (counts > 0) & (counts < K)):
        target = members.getrow(number).toarray().ravel()
        low, high = disclosure_audit.protection_interval(members, counts, shown, target)
        assert high - low >= K - 1e-6, (keys[number], counts[number], low, high)
