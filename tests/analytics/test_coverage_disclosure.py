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
